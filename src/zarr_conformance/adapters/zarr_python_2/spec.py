from zarr_conformance.adapters.spec import AdapterSpec, Role

# The last zarr-python 2 release: Zarr v2 only (its v3 support was experimental and is not claimed).
V2_ONLY = Role(formats=frozenset({2}))

SPEC = AdapterSpec(
    id="zarr-python-2",
    name="zarr-python 2",
    launchers=("venv",),
    worker=("worker.py",),
    reads=V2_ONLY,
    writes=V2_ONLY,
    environment={"requirements": "requirements.txt", "python": ">=3.11", "package": "zarr"},
)
