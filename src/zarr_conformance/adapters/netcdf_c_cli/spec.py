from zarr_conformance.adapters.spec import AdapterSpec, Role

# Debian's netcdf-bin `ncdump` (a system netCDF-C, not the wheel's), read-only. NCZarr's documented
# limits are expectations (expectations/netcdf-c-cli.toml), as for netcdf-c.
SPEC = AdapterSpec(
    id="netcdf-c-cli",
    name="netCDF-C ncdump (Debian netcdf-bin)",
    launchers=("venv",),
    worker=("worker.py",),
    reads=Role(),  # every read is asked; documented limits are in expectations/
    writes=None,
    environment={"requirements": "requirements.txt", "python": ">=3.11"},
)
