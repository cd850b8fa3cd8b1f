from zarr_conformance.adapters.spec import AdapterSpec, Role

# Debian's netcdf-bin `ncdump` (a system netCDF-C, not the wheel's), read-only. Same documented NCZarr
# limits as the netcdf-c adapter (Unidata/netcdf-c docs/nczarr.md; README.md cites each).
NCDUMP = Role(
    formats=frozenset({2}),
    codecs=frozenset({"zlib", "blosc", "zstd"}),
    dtypes=frozenset({"int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
                      "float32", "float64"}),
    orders=frozenset({"C"}),
    declines=(("*/root-array/*", "a netCDF dataset's root is a group: a store whose root is an array "
                                 "has no netCDF form"),),
)

SPEC = AdapterSpec(
    id="netcdf-c-cli",
    name="netCDF-C ncdump (Debian netcdf-bin)",
    launchers=("venv",),
    worker=("worker.py",),
    reads=NCDUMP,
    writes=None,
    environment={"requirements": "requirements.txt", "python": ">=3.11"},
)
