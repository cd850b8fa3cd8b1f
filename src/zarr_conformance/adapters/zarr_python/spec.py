from zarr_conformance.adapters.spec import AdapterSpec

SPEC = AdapterSpec(
    id="zarr-python",
    name="zarr-python",
    launchers=("venv",),
    worker=("worker.py",),
    environment={"requirements": "requirements.txt", "python": ">=3.12", "package": "zarr"},
)
