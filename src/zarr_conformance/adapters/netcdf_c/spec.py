from zarr_conformance.adapters.spec import AdapterSpec, Role

# netCDF-C's NCZarr (as bundled in the netCDF4 wheels). What it documents it does not do
# (docs/nczarr.md of Unidata/netcdf-c; README.md cites each):
NCZARR = Role(
    formats=frozenset({2}),  # "extends the Zarr Version 2 Specification"; v3 is not in the released library
    codecs=frozenset({"zlib", "blosc", "zstd"}),  # netCDF's filter set: deflate, blosc, zstd (no gzip)
    dtypes=frozenset({"int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
                      "float32", "float64"}),  # netCDF-4 atomic types: no bool
    orders=frozenset({"C"}),  # "column-major order ... output the data in the wrong order"
    declines=(("*/root-array/*", "a netCDF dataset's root is a group: a store whose root is an array "
                                 "has no netCDF form"),),
)

SPEC = AdapterSpec(
    id="netcdf-c",
    name="netCDF-C NCZarr (via netCDF4-python)",
    launchers=("venv",),
    worker=("worker.py",),
    reads=NCZARR,
    writes=NCZARR,
    environment={"requirements": "requirements.txt", "python": ">=3.11", "package": "netCDF4"},
)
