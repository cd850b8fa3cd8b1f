#!/bin/sh
# Remakes the stores of tests/unit/test_check_open.py, each with the implementation's own API:
# zarr-python 2.18 (consolidated v2, the pre-release v3 draft), zarr-python 3 (consolidated v3, a
# zip store, a nested v3 store), netCDF-C's ncgen (NCZarr and pure Zarr). Run from this folder:
#   ZP2=<zarr-python 2.18 venv>/bin/python ZP3=<zarr-python 3 venv>/bin/python sh make.sh
# (the harness's own venvs: ~/.cache/zarr-conformance/envs/zarr-python-2-*/, zarr-python-*/).
set -eu
rm -rf v2-consolidated.zarr v3-draft.zarr v3-consolidated.zarr v3-nested.zarr v3-store.zip \
       nczarr.file zarr-by-netcdf.file
"$ZP2" - <<'PY'
import numpy as np, zarr
g = zarr.open_group("v2-consolidated.zarr", mode="w")
g.attrs["title"] = "consolidated by zarr-python 2"
g.create_dataset("a", data=np.arange(6, dtype="<i4"), chunks=4, compressor=None).attrs["units"] = "m"
g.create_group("sub").create_dataset("b", data=np.linspace(0, 1, 5), chunks=5, compressor=None)
zarr.consolidate_metadata("v2-consolidated.zarr")
PY
ZARR_V3_EXPERIMENTAL_API=1 "$ZP2" -W ignore - <<'PY'
import numpy as np, zarr
from zarr._storage.v3 import DirectoryStoreV3
g = zarr.open_group(DirectoryStoreV3("v3-draft.zarr"), mode="w", zarr_version=3, path="grp")
g.create_dataset("a", data=np.arange(6, dtype="<i4"), chunks=4, compressor=None).attrs["units"] = "m"
PY
"$ZP3" - <<'PY'
import numpy as np, zarr
from zarr.storage import ZipStore
for where in ("v3-consolidated.zarr", "v3-nested.zarr"):
    g = zarr.open_group(where, mode="w", attributes={"title": where})
    g.create_array("a", data=np.arange(6, dtype="<i4"), chunks=(4,), compressors=None).attrs["units"] = "m"
    g.create_group("x").create_group("y").create_array("b", data=np.linspace(0, 1, 5), chunks=(5,),
                                                       compressors=None)
zarr.consolidate_metadata("v3-consolidated.zarr")
with ZipStore("v3-store.zip", mode="w") as store:
    g = zarr.open_group(store, mode="w", attributes={"title": "zipped"})
    g.create_array("a", data=np.arange(6, dtype="<i4"), chunks=(4,), compressors=None).attrs["units"] = "m"
PY
cat > nczarr.cdl <<'CDL'
netcdf nczarr {
dimensions:
  x = 4 ;
variables:
  int t(x) ;
    t:units = "K" ;
    t:scale = 2.5 ;
// global attributes:
  :title = "made by ncgen" ;
data:
  t = 1, 2, 3, 4 ;
}
CDL
ncgen -4 -lb -o "file://$PWD/nczarr.file#mode=nczarr,file" nczarr.cdl
ncgen -4 -lb -o "file://$PWD/zarr-by-netcdf.file#mode=zarr,file" nczarr.cdl
rm nczarr.cdl
chmod -R a+rX nczarr.file zarr-by-netcdf.file  # ncgen makes its files 0600; the sandboxed readers are nobody
