from zarr_conformance.adapters.spec import AdapterSpec

# The harness's own spec-driven codec, driven through the same protocol as every implementation:
# it proves the golden stores decode and the protocol path works.
SPEC = AdapterSpec(
    id="reference",
    name="zarr-conformance reference codec",
    launchers=("python",),
    worker=("worker.py",),
)
