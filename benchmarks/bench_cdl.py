"""Benchmark of the ncdump CDL parser (adapters/netcdf_c_cli/cdl.py) against the size of its input:
seconds per MB at growing sizes; a flat ratio means linear time (never asserted in a test).

    python benchmarks/bench_cdl.py [--megabytes 1 4 10]"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src/zarr_conformance/adapters/netcdf_c_cli"))
import cdl  # noqa: E402


def _cdl(values: int) -> str:
    rows = ",\n    ".join(", ".join(str(i) for i in range(j, min(j + 10, values))) for j in range(0, values, 10))
    return f"netcdf x {{\ndimensions:\n\tn = {values} ;\nvariables:\n\tint data(n) ;\ndata:\n\n data = {rows} ;\n}}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, nargs="+", default=[1, 4, 10])
    args = parser.parse_args()
    for mb in args.megabytes:
        values = int(mb * 1e6 / 8.3)  # about 8.3 bytes of CDL per int value
        text = _cdl(values)
        started = time.perf_counter()
        groups = cdl.parse(text)
        cdl.values(groups[""].variables["data"], (values,), 0)
        seconds = time.perf_counter() - started
        print(f"{len(text) / 1e6:6.1f} MB, {values} values: {seconds:6.2f} s, {seconds / (len(text) / 1e6):.3f} s/MB")


if __name__ == "__main__":
    main()
