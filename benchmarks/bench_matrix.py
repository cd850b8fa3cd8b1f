"""Benchmark of a whole matrix run, as ratios of one run (never asserted in a test).

    python benchmarks/bench_matrix.py [--impl ID ...] [--rounds N]

What each figure means: benchmarks/README.md. Environments are built before the first round, so
rounds measure a warm run. `--out FOLDER` writes the last round's results.json (and report) there,
with the project's expectations applied, to compare two versions' verdicts with `zarr-conformance diff`."""

from __future__ import annotations

import argparse
import logging
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

from zarr_conformance.adapters import registry
from zarr_conformance.adapters.launchers.base import Mounts
from zarr_conformance.paths import cache_dir, default_expectations
from zarr_conformance.reports.outputs import write_all
from zarr_conformance.runners.events import CellFinished, CellsPlanned, Event, ignore
from zarr_conformance.runners.implementations import ready_all, stop_all
from zarr_conformance.runners.model import Kind
from zarr_conformance.runners.run import RunOptions, RunResults, execute

sys.path.insert(0, str(Path(__file__).parent))
from proc_cpu import DescendantsCpu, machine_busy_cpu  # noqa: E402 - a sibling module, not part of the package


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Timeline:
    """When the cells started (all workers ready) and when each implementation's last cell finished.
    Only clock readings here: CPU times come from the sampler's history (asking the kernel for the
    process's CPU time at each cell cost a sixth of the harness's own time per cell)."""

    def __init__(self, sampler: DescendantsCpu) -> None:
        self.sampler = sampler
        self.started = time.perf_counter()
        self.cells_from: float | None = None
        self.cells = 0
        self.last: dict[str, float] = {}

    def __call__(self, event: Event) -> None:
        if isinstance(event, CellsPlanned):
            self.cells_from = time.perf_counter()
        elif isinstance(event, CellFinished):
            self.last[event.result.cell.worker] = time.perf_counter()
            self.cells += 1

    def figures(self, ended: float) -> dict[str, float]:
        start = self.cells_from or self.started
        last = max(self.last.values(), default=start)
        (workers0, busy0, harness0), (workers1, busy1, harness1) = self.sampler.at(start), self.sampler.at(last)
        span = max(last - start, 1e-9) * (os.cpu_count() or 1)
        harness = harness1 - harness0
        return {"setup_s": start - self.started, "cells_s": last - start, "teardown_s": ended - last,
                "harness_cpu_ms_per_cell_while_cells_run": 1000 * harness / max(self.cells, 1),
                "cores_busy_in_workers_while_cells_run": (workers1 - workers0) / span,
                "cores_busy_outside_harness_while_cells_run": (busy1 - busy0 - harness) / span}

    def finishes(self) -> str:
        start = self.cells_from or self.started
        return ", ".join(f"{impl} {t - start:.0f}" for impl, t in sorted(self.last.items(), key=lambda kv: kv[1]))


def protocol_round_trips(options: RunOptions, n: int = 500) -> dict[str, float]:
    """Microseconds per `hello` round trip, per implementation (worker warmed up first)."""
    impls = ready_all(options.specs, options.cache, Mounts(), ignore)
    out = {}
    try:
        for impl in impls:
            if impl.handle is None:
                continue
            for _ in range(50):
                impl.handle.request({"op": "hello"}, 30)
            t0 = time.perf_counter()
            for _ in range(n):
                impl.handle.request({"op": "hello"}, 30)
            out[f"{impl.spec.id} ({impl.launcher})"] = 1e6 * (time.perf_counter() - t0) / n
    finally:
        stop_all(impls)
    return out


def read_cell_means(results: list) -> dict[str, float]:
    times: dict[str, list[float]] = defaultdict(list)
    for r in results:
        if r.cell.kind is Kind.READ and r.worker_s:
            times[str(r.cell.reader)].append(r.worker_s)
    return {impl: 1000 * sum(t) / len(t) for impl, t in sorted(times.items())}


def one_round(options: RunOptions) -> tuple[dict[str, float], RunResults, str]:
    wall0, cpu0, kids0, busy0 = time.perf_counter(), time.process_time(), _children_cpu(), machine_busy_cpu()
    with DescendantsCpu() as workers:
        timeline = Timeline(workers)
        run = execute(options, timeline)
    wall, kids = time.perf_counter() - wall0, _children_cpu() - kids0
    cpu = time.process_time() - cpu0 - workers.sampler_cpu_s  # the sampler is the benchmark's, not the harness's
    busy = machine_busy_cpu() - busy0
    cores = os.cpu_count() or 1
    cells = len(run.results)
    waited = sum(r.worker_s for r in run.results)
    # A roundtrip cell's time beyond its worker's answer: mostly waiting for its writer's write cell.
    blocked = sum(r.duration_s - r.worker_s for r in run.results if r.cell.kind is Kind.ROUNDTRIP)
    return {"wall_s": wall, "cells": cells, "cells_per_s": cells / wall, "harness_cpu_ms_per_cell": 1000 * cpu / cells,
            "worker_wait_ms_per_cell": 1000 * waited / cells,
            "roundtrips_waiting_for_writes_s": blocked,
            "cores_busy_in_workers": workers.cpu_s / (wall * cores),
            "cores_busy_in_reaped_children": kids / (wall * cores),
            "cores_busy_outside_harness": (busy - cpu - workers.sampler_cpu_s) / (wall * cores),
            "cores_busy_in_harness": cpu / (wall * cores),
            "peak_worker_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            **timeline.figures(time.perf_counter())}, run, timeline.finishes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--impl", action="append", default=[])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("-k", dest="pattern", help="only cells whose '<kind> <test id>' contains this (as `run -k`)")
    parser.add_argument("--out", type=Path, help="write the last round's results.json and report here")
    parser.add_argument("--no-round-trips", action="store_true", help="skip the hello round-trip timings")
    args = parser.parse_args()
    # The run's own timings of its closing steps (workers stopped, scratch removed, stores verified)
    logging.basicConfig(format="  %(name)s: %(message)s")
    logging.getLogger("zarr_conformance.runners.run").setLevel(logging.DEBUG)
    options = RunOptions(specs=registry.select(args.impl or None), cache=cache_dir(),
                         pattern=args.pattern, expectations_dir=default_expectations())
    t0 = time.perf_counter()
    execute(RunOptions(specs=options.specs, cache=options.cache, pattern="v2/compressor/none"))  # build envs
    print(f"environments ready in {time.perf_counter() - t0:.1f} s")
    run = None
    for n in range(args.rounds):
        figures, run, finishes = one_round(options)
        print(f"round {n + 1}: " + ", ".join(f"{k} {v:.3g}" for k, v in figures.items()), flush=True)
        print(f"  last cell of each implementation, s after the first: {finishes}", flush=True)
    if run is None:
        return
    if args.out:
        write_all(run, args.out, auto_baseline=False)
        print(f"wrote {args.out / 'results.json'}")
    means = read_cell_means(run.results)
    print("mean read cell, ms: " + ", ".join(f"{k} {v:.2f}" for k, v in means.items()))
    if args.no_round_trips:
        return
    trips = protocol_round_trips(options)
    print("protocol round trip (hello), us: " + ", ".join(f"{k} {v:.0f}" for k, v in trips.items()))


if __name__ == "__main__":
    main()
