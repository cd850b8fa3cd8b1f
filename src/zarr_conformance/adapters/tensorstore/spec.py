from zarr_conformance.adapters.spec import V2_CODECS, V3_CODECS, AdapterSpec, Role

# TensorStore's own zarr (v2) and zarr3 drivers, reading and writing through its JSON spec.
# Groups and v2 attributes are handled by the worker (TensorStore has no group API): see README.md.
# The zarr (v2) driver documents `metadata.filters` as type null: "Currently, filters are not
# supported" (https://google.github.io/tensorstore/driver/zarr/index.html, driver/zarr/schema.yml),
# so v2 arrays with numcodecs filters (delta, shuffle) are outside what it claims, read or write.
_CODECS = {2: V2_CODECS - {"delta", "shuffle"}, 3: V3_CODECS}

SPEC = AdapterSpec(
    id="tensorstore",
    name="TensorStore",
    launchers=("venv",),
    worker=("worker.py",),
    reads=Role(codecs=_CODECS),
    writes=Role(codecs=_CODECS),
    environment={"requirements": "requirements.txt", "python": ">=3.11", "package": "tensorstore"},
)
