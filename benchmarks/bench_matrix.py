"""Benchmark of a whole matrix run, as ratios of one run (never asserted in a test).

    python benchmarks/bench_matrix.py [--impl ID ...] [--rounds N]

Prints, per round: wall time, cells, cells per second, the harness's own CPU per cell (the main
process's CPU time over the cells: sending lines, loading .npy, comparing), the share of the
machine's cores spent inside worker processes (their CPU time over wall x cores; containerised
workers are not children of the harness and are not counted), and the largest worker's peak RSS.
Environments are built before the first round, so rounds measure a warm run."""

from __future__ import annotations

import argparse
import os
import resource
import time

from zarr_conformance.adapters import registry
from zarr_conformance.paths import cache_dir
from zarr_conformance.runners.run import RunOptions, execute


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_round(options: RunOptions) -> dict[str, float]:
    wall0, cpu0, kids0 = time.perf_counter(), time.process_time(), _children_cpu()
    run = execute(options)
    wall, cpu, kids = time.perf_counter() - wall0, time.process_time() - cpu0, _children_cpu() - kids0
    cells = len(run.results)
    waited = sum(r.worker_s for r in run.results)
    return {"wall_s": wall, "cells": cells, "cells_per_s": cells / wall, "harness_cpu_ms_per_cell": 1000 * cpu / cells,
            "worker_wait_ms_per_cell": 1000 * waited / cells,
            "cores_busy_in_workers": kids / (wall * (os.cpu_count() or 1)),
            "peak_worker_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--impl", action="append", default=[])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    options = RunOptions(specs=registry.select(args.impl or None), cache=cache_dir())
    t0 = time.perf_counter()
    execute(RunOptions(specs=options.specs, cache=options.cache, pattern="v2/compressor/none"))  # build envs
    print(f"environments ready in {time.perf_counter() - t0:.1f} s")
    for n in range(args.rounds):
        figures = one_round(options)
        print(f"round {n + 1}: " + ", ".join(f"{k} {v:.3g}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
