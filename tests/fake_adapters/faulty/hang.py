"""The hanging faulty worker as an installable adapter (entry point `zarr_conformance.adapters`), so a
test can drive it through the real command line: tests/e2e/test_interrupt.py."""

from tests.fake_adapters.faulty.specs import faulty

SPEC = faulty("hang")
