from zarr_conformance.adapters.spec import ALL_DTYPES, V3_CODECS, AdapterSpec, Role

CREATE = "zarrita 0.7.5 create() (https://github.com/manzt/zarrita.js/blob/main/packages/zarrita/src/create.ts)"
DATA_TYPES = "zarrita 0.7.5 DataType (https://github.com/manzt/zarrita.js/blob/main/packages/zarrita/src/metadata.ts)"

# Reads ask the library for everything. Writes: zarr.create() writes zarr.json only (no .zarray/.zgroup)
# with the "default" chunk key encoding (no option for "v2") and the regular chunk grid of its chunkShape
# (no rectilinear grid), and zarrita's DataType has no complex types.
# Sharded writes and float16 are expressible (codec metadata, the "float16" name), so they are asked.
SPEC = AdapterSpec(
    id="zarrita-js",
    name="zarrita.js",
    launchers=("node",),
    worker=("worker.mjs",),
    writes=Role(
        formats=frozenset({3}),
        codecs={3: V3_CODECS},
        dtypes=ALL_DTYPES - {"complex64", "complex128"},
        declines=(("v3/chunk-key/v2-encoding-*", f"zarr.create has no chunk key encoding option (see {CREATE})"),),
        grids=frozenset({"regular"}),
        cite={"formats": CREATE, "dtypes": DATA_TYPES, "grids": CREATE},
    ),
)
