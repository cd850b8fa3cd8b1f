from zarr_conformance.adapters.netcdf_c.spec import NCZARR
from zarr_conformance.adapters.spec import AdapterSpec

# Debian's netcdf-bin `ncdump` (a system netCDF-C, not the wheel's), read-only. The same documented
# NCZarr limits as the netcdf-c adapter, whose declaration this reuses (README.md cites each).
SPEC = AdapterSpec(
    id="netcdf-c-cli",
    name="netCDF-C ncdump (Debian netcdf-bin)",
    launchers=("venv",),
    worker=("worker.py",),
    reads=NCZARR,
    writes=None,
    environment={"requirements": "requirements.txt", "python": ">=3.11"},
)
