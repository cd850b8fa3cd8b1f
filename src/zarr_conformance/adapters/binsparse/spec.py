from zarr_conformance.adapters.spec import AdapterSpec

# An implementation of the binsparse convention, not a Zarr reader: it gets the binsparse cases only
# (planner: AdapterSpec.conventions), reads a group's matrix through the package's own parser and
# writes a matrix through its tensor classes (README.md).
SPEC = AdapterSpec(
    id="binsparse",
    name="binsparse (Python reference implementation)",
    launchers=("venv",),
    worker=("worker.py",),
    environment={"requirements": "requirements.txt", "python": ">=3.12"},
    conventions=frozenset({"binsparse"}),
)
