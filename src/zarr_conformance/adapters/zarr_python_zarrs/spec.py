from zarr_conformance.adapters.spec import AdapterSpec

# zarr-python 3 with its codec pipeline switched to zarrs (Rust): the same worker as zarr-python,
# so any difference in the matrix between the two columns is the pipeline's.
SPEC = AdapterSpec(
    id="zarr-python+zarrs",
    name="zarr-python + zarrs codec pipeline",
    launchers=("venv",),
    worker=("worker.py",),
    environment={"requirements": "requirements.txt", "python": ">=3.12"},
)
