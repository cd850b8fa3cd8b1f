"""`zarr-conformance run`: progress while it works, a one-screen summary at the end."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from zarr_conformance.adapters import registry
from zarr_conformance.adapters.launchers import known_launchers
from zarr_conformance.commands.inputs import read_results, writable_folder
from zarr_conformance.commands.selection import selected
from zarr_conformance.errors import HarnessError
from zarr_conformance.paths import cache_dir, default_expectations
from zarr_conformance.reports import summary
from zarr_conformance.reports.outputs import write_all
from zarr_conformance.runners import events as ev
from zarr_conformance.runners.model import Kind
from zarr_conformance.runners.plan import check_pattern
from zarr_conformance.runners.run import RunOptions, execute

STYLE = {"pass": "green", "fail": "bold red", "error": "yellow", "unsupported": "dim", "crash": "magenta",
         "timeout": "magenta", "skip": "dim"}


def _forced(pairs: list[str], selected: list[str]) -> dict[str, str]:
    """--launcher ID=LAUNCHER, each naming a selected implementation and a launcher that exists."""
    out = {}
    for pair in pairs:
        impl, sep, launcher = pair.partition("=")
        if not sep or not impl or not launcher:
            raise HarnessError(f"--launcher expects ID=LAUNCHER, got {pair!r}")
        if impl not in selected:
            known = registry.discover()
            why = "not among the implementations of this run" if impl in known else "no such implementation"
            raise HarnessError(f"--launcher {pair}: {why} ({impl!r}; this run has {', '.join(selected)})")
        if launcher not in known_launchers():
            raise HarnessError(f"--launcher {pair}: unknown launcher {launcher!r}; known: "
                               f"{', '.join(known_launchers())}")
        out[impl] = launcher
    return out


def _expectations(given: Path | None, console: Console) -> Path | None:
    if given is not None:
        if not given.is_dir():
            raise HarnessError(f"--expectations {given}: no such folder")
        _known_implementations_only(given)
        return given
    found = default_expectations()
    if found is None:
        console.print("[yellow]no expectations folder found: every known failure will count as new[/]")
    else:
        _known_implementations_only(found)
    return found


def _known_implementations_only(folder: Path) -> None:
    """An expectations file named after no implementation is a typo or a stale file: it would never apply."""
    known = registry.discover()
    for path in sorted(folder.glob("*.toml")):
        if path.stem not in known:
            raise HarnessError(f"expectations file {path}: no implementation {path.stem!r} (known: "
                               f"{', '.join(sorted(known))})")


def run_command(args: argparse.Namespace) -> int:
    console = Console(stderr=True)
    writable_folder(args.out, "--out")  # fail before the run, not after it
    check_pattern(args.pattern)
    specs, from_sources = selected(args.impl, args.impl_source)
    cache = writable_folder(cache_dir(), "the cache folder ($ZARR_CONFORMANCE_CACHE)")
    forced = {**from_sources, **_forced(args.launcher, [s.id for s in specs])}
    options = RunOptions(specs=specs, cache=cache,
                         kinds={Kind(k) for k in args.kind} or None, pattern=args.pattern, timeout=args.timeout,
                         expectations_dir=_expectations(args.expectations, console),
                         forced_launchers=forced, keep_scratch=args.keep_scratch)
    baseline = read_results(args.baseline, "--baseline") if args.baseline else None  # fails early
    show = not args.no_progress and console.is_terminal and not os.environ.get("CI")
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, disable=not show) as progress:
        listener = _Listener(console, progress, show)
        run = execute(options, listener)
    document = write_all(run, args.out, baseline, report_url=args.report_url)
    out_console = Console()
    if not out_console.is_terminal:
        out_console = Console(width=150)  # a log file or CI: no wrapping of the table
    narrowed = bool(args.impl or args.kind or args.pattern)
    _print_summary(out_console, document, run, show_unused=not narrowed)
    print(f"wrote {args.out / 'results.json'}, {args.out / 'index.html'}, {args.out / 'junit.xml'} and "
          f"{args.out / 'summary.md'}")
    if run.golden_changes_at_start:
        console.print(f"[bold red]golden stores changed since they were built; no cell was run:[/] "
                      f"{run.golden_changes_at_start[:5]} (remove {cache_dir() / 'fixtures'} to rebuild them)")
        return 2
    if run.interruption:
        console.print(f"[bold red]{run.interruption.reason}[/]: the results are partial (marked incomplete)",
                      soft_wrap=True)
        return run.interruption.exit_code
    if run.golden_changes:
        console.print(f"[bold red]golden stores changed during the run:[/] {escape(str(run.golden_changes[:5]))}")
        return 2
    if run.harness_faults:
        first = run.harness_faults[0]
        console.print(f"[bold red]{len(run.harness_faults)} cells hit a harness fault[/], first: "
                      f"{first.cell.test_id}: {escape(first.message.splitlines()[-1][:300])}")
        return 2
    outcomes = summary.outcomes(document)
    surprising = outcomes.get("new") or outcomes.get("unexpected")
    return 1 if surprising and getattr(args, "fail_on", "new") != "never" else 0


class _Listener:
    """Turns run events into the progress bar (or plain lines when there is no terminal)."""

    def __init__(self, console: Console, progress: Progress, show: bool) -> None:
        self.console, self.progress, self.show = console, progress, show
        self.task: Any = None
        self.done = 0
        self.total = 0

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.Phase):
            self.console.print(f"[bold]{event.name}[/]: {escape(event.detail)}")
        elif isinstance(event, ev.ImplementationReady):
            mark = "[green]ready[/]" if event.available else "[red]unavailable[/]"
            self.console.print(f"  {event.impl}: {mark} {escape(event.detail)}")
        elif isinstance(event, ev.CellsPlanned):
            self.total = event.total
            self.task = self.progress.add_task(f"{event.total} cells", total=event.total)
        elif isinstance(event, ev.CellFinished):
            self.done += 1
            self.progress.advance(self.task)
            step = max(1, self.total // 10)
            if not self.show and (self.done % step == 0 or self.done == self.total):
                self.console.print(f"  {self.done}/{self.total} cells")


def _print_summary(console: Console, document: dict[str, Any], run: Any, show_unused: bool) -> None:
    table = Table(title="zarr-conformance: cells per implementation (write cells count for the writer, "
                        "the others for the reader)")
    table.add_column("implementation")
    table.add_column("version")
    table.add_column("launcher")
    table.add_column("silently wrong", justify="right", style="bold red")
    for status in summary.COLUMNS:
        table.add_column(status, justify="right", style=STYLE[status])
    impls = {i["id"]: i for i in document["implementations"]}
    wrong = summary.silently_wrong(document)
    for impl, counts in summary.counts(document).items():
        info = impls.get(impl, {})
        version = info.get("version") if info.get("available") else "[red]unavailable[/]"
        table.add_row(impl, version, info.get("launcher", ""), str(len(wrong.get(impl, []))),
                      *(str(counts.get(s, 0)) for s in summary.COLUMNS))
    console.print(table)
    console.print("silently wrong: a fail that returned wrong values, nothing, or values for a store that must "
                  "be refused, with no error (defects values, missing, accepted, escape)", style="dim")
    for info in document["implementations"]:
        if not info["available"]:
            console.print(f"[red]{info['id']} unavailable:[/] {escape(info['detail'][:400])}")
    surprising = [r for r in document["results"] if r["outcome"] != "expected"]
    outcomes = summary.outcomes(document)
    console.print(f"{len(document['results'])} cells: {outcomes.get('expected', 0)} as expected, "
                  f"{outcomes.get('new', 0)} new, {outcomes.get('unexpected', 0)} unexpected "
                  f"(not in expectations/).")
    for r in surprising[:12]:
        who = r["writer"] + "->" + str(r["reader"]) if r["kind"] == "roundtrip" else (r["reader"] or r["writer"])
        console.print(f"  {r['outcome']:10} {r['status']:8} {r['kind']:9} {who:28} {r['fixture']}: "
                      f"{(r['message'].splitlines() or [''])[0][:150]}", markup=False, highlight=False)
    if len(surprising) > 12:
        console.print(f"  ... and {len(surprising) - 12} more in results.json / index.html")
    for e in run.unused_expectations[:5] if show_unused else []:
        kinds = ",".join(e.kind)
        console.print(f"[yellow]expectation matched no cell:[/] {e.impl}: {e.fixture} ({kinds}, {e.status.value})")
