from zarr_conformance.adapters.spec import AdapterSpec

# TensorStore's own zarr (v2) and zarr3 drivers, reading and writing through its JSON spec.
# Groups and v2 attributes are handled by the worker (TensorStore has no group API): see README.md.
SPEC = AdapterSpec(
    id="tensorstore",
    name="TensorStore",
    launchers=("venv",),
    worker=("worker.py",),
    environment={"requirements": "requirements.txt", "python": ">=3.11"},
)
