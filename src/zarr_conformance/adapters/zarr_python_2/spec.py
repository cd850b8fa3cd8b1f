from zarr_conformance.adapters.spec import AdapterSpec, Role

# The last zarr-python 2 release. Zarr v3 writes are asked too, through its experimental v3 API
# (ZARR_V3_EXPERIMENTAL_API=1, zarr_version=3), which writes the pre-release v3 draft: the worker
# declines, citing zarr.create, what that API has no keyword for (sharding's index codecs, a
# transpose other than F order, chunk key encoding "v2", dimension names, more than one compressor).

SPEC = AdapterSpec(
    id="zarr-python-2",
    name="zarr-python 2",
    launchers=("venv",),
    worker=("worker.py",),
    reads=Role(),  # every read is asked; v3 stores are asked too (expectations/zarr-python-2.toml)
    writes=Role(),
    environment={"requirements": "requirements.txt", "python": ">=3.11", "package": "zarr"},
)
