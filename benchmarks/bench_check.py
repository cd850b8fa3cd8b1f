"""`check` on a store larger than memory should hold: its time, and the peak memory of every process.

Makes (once, in the cache) a Zarr v3 store of float32 noise with zarr-python 3's own API, in that
adapter's venv: 24000 x 24000 by default, 2.15 GiB of values that do not compress, in 1000 x 1000
chunks, written in row bands so the writer stays small. Then runs `zarr-conformance check` on it with
every reader (or --impl) and prints, from check.json: the wall time, each reader's time on the
sampled array, and the peak RSS of the harness and of each worker. Nothing is asserted: read the
figures against `--max-megabytes` (the boxes read) and the store's size.

    python benchmarks/bench_check.py [--side 24000] [--impl ID ...] [--max-megabytes 512]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from zarr_conformance.adapters import registry
from zarr_conformance.adapters.launchers.venv import VenvLauncher
from zarr_conformance.paths import cache_dir

MAKE = """
import sys, numpy as np, zarr
out, side = sys.argv[1], int(sys.argv[2])
root = zarr.open_group(out, mode="w", zarr_format=3, attributes={"made_by": "zarr-python " + zarr.__version__})
noise = root.create_array("noise", shape=(side, side), chunks=(1000, 1000), dtype="float32",
                          fill_value=float("nan"), compressors=[zarr.codecs.ZstdCodec(level=1)],
                          dimension_names=["y", "x"])
rng = np.random.default_rng(7)
for row in range(0, side, 1000):
    noise[row:row + 1000, :] = rng.standard_normal((min(1000, side - row), side), dtype=np.float32)
root.create_array("axis", shape=(side,), chunks=(5000,), dtype="float64")[:] = np.linspace(-90, 90, side)
"""


def large_store(side: int) -> Path:
    store = cache_dir() / "bench" / f"noise-{side}.zarr"
    if (store / "noise" / "zarr.json").exists():
        return store
    store.parent.mkdir(parents=True, exist_ok=True)
    python = VenvLauncher().prepare(registry.discover()["zarr-python"], cache_dir()).argv[0]
    started = time.monotonic()
    subprocess.run([python, "-c", MAKE, str(store), str(side)], check=True)
    size = sum(p.stat().st_size for p in store.rglob("*") if p.is_file())
    print(f"made {store}: {size / 2**30:.2f} GiB on disk in {time.monotonic() - started:.0f} s")
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=24000, help="the array is side x side float32")
    parser.add_argument("--impl", action="append", default=[])
    parser.add_argument("--max-megabytes", default="512")
    args = parser.parse_args()
    store = large_store(args.side)
    out = Path(tempfile.mkdtemp(prefix="bench-check-"))
    command = [sys.executable, "-m", "zarr_conformance.cli", "check", str(store), "--out", str(out),
               "--max-megabytes", args.max_megabytes, *[f"--impl={i}" for i in args.impl]]
    started = time.monotonic()
    code = subprocess.run(command, stdout=subprocess.DEVNULL).returncode
    wall = time.monotonic() - started
    document = json.loads((out / "check.json").read_text())
    run = document["run"]
    print(f"check exit {code}; wall {wall:.1f} s, {run['ready_seconds']:.1f} s of it getting the readers ready; "
          f"harness peak RSS {run['harness_peak_rss_bytes'] / 2**20:.0f} MiB")
    peaks = {i["id"]: i["peak_rss_bytes"] for i in document["implementations"]}
    for node in document["stores"][0]["nodes"]:
        if node.get("sample"):
            print(f"/{node['path']} {node['shape']} {node['dtype']}: boxes {node['sample']}")
            for v in node["verdicts"]:
                peak = f"{peaks[v['impl']] / 2**20:.0f} MiB" if peaks.get(v["impl"]) else "-"
                print(f"  {v['impl']:<20} {v['status']:<12} {v['seconds']:7.2f} s  peak RSS {peak}")


if __name__ == "__main__":
    main()
