from zarr_conformance.adapters.spec import NUMERIC_DTYPES, AdapterSpec, Role

# netCDF-C's NCZarr (as bundled in the netCDF4 wheels). Writes are asked whenever netCDF4-python has a
# keyword for the request (dtypes it may refuse, complex through auto_complex=True, shuffle=True for
# the shuffle filter, a '/' separator through the rc key ZARR.DIMENSION_SEPARATOR); what follows has
# none, each with the reference that shows it (README.md).
_NUG = "https://docs.unidata.ucar.edu/nug/current/nczarr_head.html"
_CREATE_VARIABLE = "https://unidata.github.io/netcdf4-python/#Dataset.createVariable"
NCZARR = Role(
    formats=frozenset({2}),
    codecs=frozenset({"zlib", "blosc", "zstd", "shuffle"}),
    orders=frozenset({"C"}),
    declines=(("*/root-array/*", "a netCDF dataset's root is a group and createVariable makes variables in "
                                 "groups: a store whose root is an array has no netCDF form (see "
                                 "https://docs.unidata.ucar.edu/netcdf-c/current/groups.html)"),),
    # No netCDF type is written as a numcodecs object codec ('|O' + vlen-*) or as numpy unicode; NC_STRING
    # becomes '|S<_nczarr_maxstrlen>' ("Zarr supports a string type, but it is restricted to fixed size strings"),
    # and its values are NUL-terminated C strings (nc_put_var_string takes char**): '|S' items may hold any
    # byte, NUL included, so '|S' arrays cannot be asked for either.
    dtypes=NUMERIC_DTYPES,
    cite={
        **{f"dtype:{name}": "https://github.com/Unidata/netcdf-c/blob/main/docs/nczarr.md (strings: fixed size only)"
           for name in ("string", "bytes", "vlen-array", "fixed-utf32", "fixed-bytes")},
        **{f"codec:{c}": f"{_CREATE_VARIABLE} (no numcodecs object codecs; NCZarr writes strings as fixed-size |S)"
           for c in ("vlen-utf8", "vlen-bytes", "vlen-array")},
        "v3": f"{_NUG} (NCZarr 'extends the Zarr Version 2 Specification'; netCDF-C 4.10.1 has no zarr.json "
              "support and no mode to ask for v3)",
        "codec:gzip": f"{_CREATE_VARIABLE} (compression: zlib, szip, zstd, bzip2, blosc_*; no gzip)",
        "codec:delta": f"{_CREATE_VARIABLE} (filters: shuffle=, fletcher32= only; no delta)",
        "orders": f"{_CREATE_VARIABLE} (no storage-order keyword; netCDF variables are row-major, "
                  f"and {_NUG} 'column-major order ... output the data in the wrong order')",
    },
)

SPEC = AdapterSpec(
    id="netcdf-c",
    name="netCDF-C NCZarr (via netCDF4-python)",
    launchers=("venv",),
    worker=("worker.py",),
    reads=Role(),  # every read is asked; documented limits are in expectations/
    writes=NCZARR,
    environment={"requirements": "requirements.txt", "python": ">=3.11", "package": "netCDF4"},
)
