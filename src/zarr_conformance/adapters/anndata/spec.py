from zarr_conformance.adapters.spec import AdapterSpec

# An implementation of anndata's element encodings (here csr_matrix / csc_matrix), not a Zarr reader:
# it gets the anndata cases only (planner: AdapterSpec.conventions), and reads and writes the matrix
# through anndata.io.read_elem / write_elem (README.md).
SPEC = AdapterSpec(
    id="anndata",
    name="anndata",
    launchers=("venv",),
    worker=("worker.py",),
    environment={"requirements": "requirements.txt", "python": ">=3.12"},
    conventions=frozenset({"anndata"}),
)
