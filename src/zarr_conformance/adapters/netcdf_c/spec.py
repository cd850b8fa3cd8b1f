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
    # No netCDF type is written as a numcodecs object codec ('|O' + vlen-*) or as numpy unicode; NC_STRING
    # becomes '|S<_nczarr_maxstrlen>' ("Zarr supports a string type, but it is restricted to fixed size strings"),
    # and its values are NUL-terminated C strings (nc_put_var_string takes char**): '|S' items may hold any
    # byte, NUL included, so '|S' arrays cannot be asked for either.
    cite={f"dtype:{name}": "https://github.com/Unidata/netcdf-c/blob/main/docs/nczarr.md (strings: fixed size only)"
          for name in ("string", "bytes", "vlen-array", "fixed-utf32", "fixed-bytes")},
)

SPEC = AdapterSpec(
    id="netcdf-c",
    name="netCDF-C NCZarr (via netCDF4-python)",
    launchers=("venv",),
    worker=("worker.py",),
    reads=NCZARR,
    writes=NCZARR,
    environment={"requirements": "requirements.txt", "python": ">=3.11"},
)
