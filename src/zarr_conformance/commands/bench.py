"""`zarr-conformance bench`: each implementation's read and write times on the same fixtures.

Times are the worker's answer time per cell (request sent to reply read), median over the cells
that passed and the repeats, so a failing or unsupported cell does not count as fast. All
implementations run side by side, as in a matrix run: compare them as ratios, not as absolutes."""

from __future__ import annotations

import statistics
import sys
from collections import defaultdict

from rich.console import Console
from rich.table import Table

from zarr_conformance.adapters import sources
from zarr_conformance.commands.inputs import writable_folder
from zarr_conformance.commands.selection import selected
from zarr_conformance.paths import cache_dir
from zarr_conformance.runners.model import Kind, Status
from zarr_conformance.runners.plan import check_pattern
from zarr_conformance.runners.run import RunOptions, execute


def bench_command(impls: list[str], impl_sources: list[str], pattern: str | None, repeat: int) -> int:
    check_pattern(pattern)
    specs, forced = selected(impls, impl_sources)
    cache = writable_folder(cache_dir(), "the cache folder ($ZARR_CONFORMANCE_CACHE)")
    options = RunOptions(specs=specs, cache=cache, pattern=pattern, kinds={Kind.READ, Kind.WRITE},
                         forced_launchers=forced)
    times: dict[tuple[str, Kind], list[float]] = defaultdict(list)
    for _ in range(repeat):
        run = execute(options)
        if run.interruption is not None:  # partial timings would mislead: say so and stop
            print(f"zarr-conformance: bench {run.interruption.reason}; no table", file=sys.stderr)
            return run.interruption.exit_code
        for r in run.results:
            if r.status is Status.PASS:
                times[(r.cell.worker, r.cell.kind)].append(r.worker_s)
    table = Table(title=f"median ms per passing cell ({repeat} repeats; lower is faster)")
    for column in ("implementation", "read ms", "read cells", "write ms", "write cells"):
        table.add_column(column, justify="left" if column == "implementation" else "right")
    for spec in options.specs:
        source = sources.source_of(spec)
        row = [spec.id + (f" ({source.label()})" if source else "")]
        for kind in (Kind.READ, Kind.WRITE):
            values = times.get((spec.id, kind), [])
            row += [f"{1000 * statistics.median(values):.2f}" if values else "-", str(len(values) // repeat)]
        table.add_row(*row)
    Console().print(table)
    return 0
