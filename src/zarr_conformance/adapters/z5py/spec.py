from zarr_conformance.adapters.spec import AdapterSpec, Role

Z5PY = "https://github.com/constantinpape/z5/blob/master/src/python/module/z5py"
CREATE = f"z5py 3.0 Group.create_dataset ({Z5PY}/group.py)"
DTYPES = f"z5py 3.0 Dataset._dtype_dict ({Z5PY}/dataset.py)"
CODECS = f"z5py 3.0 COMPRESSORS_ZARR / COMPRESSORS_ZARR_V3 ({Z5PY}/dataset.py)"

# Reads ask the library for everything. Writes: create_dataset takes integers and float32/64 only (no
# bool, float16, complex), has no order argument (C only) and no filters; in v3 it takes one compressor
# and a shard shape (no transpose or crc32c codec), and a chunk shape only (the regular grid, no
# rectilinear). Finer gaps (big-endian dtypes, zstd checksum, v3 dimension names, shard index options)
# are declined by the worker with the same citation.
SPEC = AdapterSpec(
    id="z5py",
    name="z5py",
    launchers=("venv",),
    worker=("worker.py",),
    writes=Role(
        codecs={2: frozenset({"zlib", "gzip", "blosc", "zstd"}),
                3: frozenset({"bytes", "gzip", "blosc", "zstd", "sharding_indexed"})},
        dtypes=frozenset({"int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
                          "float32", "float64"}),
        orders=frozenset({"C"}),
        grids=frozenset({"regular"}),
        cite={"dtypes": DTYPES, "orders": CREATE, "codecs": CODECS, "grids": CREATE},
    ),
    environment={"requirements": "requirements.txt", "python": ">=3.11"},
)
