from zarr_conformance.adapters.spec import AdapterSpec, Role

# TensorStore's own zarr (v2) and zarr3 drivers, reading and writing through its JSON spec.
# Groups and v2 attributes are handled by the worker (TensorStore has no group API): see README.md.
# Every write is asked: the request's metadata goes into the driver's `metadata` member as it is, so
# v2 numcodecs filters too, although the zarr driver documents `filters` as null ("Currently, filters
# are not supported", https://google.github.io/tensorstore/driver/zarr/index.html); what it does
# with them is the write cell's result (expectations/tensorstore.toml).

SPEC = AdapterSpec(
    id="tensorstore",
    name="TensorStore",
    launchers=("venv",),
    worker=("worker.py",),
    reads=Role(),  # every read is asked; documented limits are in expectations/
    # The zarr3 driver's `metadata.chunk_grid` is the regular grid only (name "regular", chunk_shape).
    writes=Role(grids=frozenset({"regular"}), cite={
        "grid:rectilinear": "https://google.github.io/tensorstore/driver/zarr3/index.html "
                            "(metadata.chunk_grid: only name 'regular' with chunk_shape)"}),
    environment={"requirements": "requirements.txt", "python": ">=3.11", "package": "tensorstore"},
)
