"""`zarr-conformance run`: progress while it works, a one-screen summary at the end."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from zarr_conformance.adapters import registry, sources
from zarr_conformance.errors import HarnessError
from zarr_conformance.paths import cache_dir, default_expectations
from zarr_conformance.reports import results_json, summary
from zarr_conformance.reports.outputs import write_all
from zarr_conformance.runners import events as ev
from zarr_conformance.runners.model import Kind
from zarr_conformance.runners.run import RunOptions, execute

STYLE = {"pass": "green", "fail": "bold red", "error": "yellow", "unsupported": "dim", "crash": "magenta",
         "timeout": "magenta", "skip": "dim"}


def _forced(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        impl, sep, launcher = pair.partition("=")
        if not sep:
            raise HarnessError(f"--launcher expects ID=LAUNCHER, got {pair!r}")
        out[impl] = launcher
    return out


def _jvm_for_sources(specs: list[Any]) -> dict[str, str]:
    """A Java implementation built from another source runs on the host JVM (its container image stays
    the pinned one), unless --launcher says otherwise."""
    return {s.id: "jvm" for s in specs if sources.source_of(s) is not None and "jvm" in s.launchers
            and "package" not in s.environment}


def _output_folder(out: Path) -> None:
    """Fail before the run, not after it: an output folder that can't be written loses nothing yet."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as e:
        raise HarnessError(f"cannot write the output folder {out}: {e.strerror or e}") from None


def _expectations(given: Path | None, console: Console) -> Path | None:
    if given is not None:
        if not given.is_dir():
            raise HarnessError(f"--expectations {given}: no such folder")
        return given
    found = default_expectations()
    if found is None:
        console.print("[yellow]no expectations folder found: every known failure will count as new[/]")
    return found


def run_command(args: argparse.Namespace) -> int:
    console = Console(stderr=True)
    _output_folder(args.out)
    ids, chosen = sources.from_options(args.impl, args.impl_source)
    specs = sources.apply(registry.select(ids), chosen)
    forced = {**_jvm_for_sources(specs), **_forced(args.launcher)}
    options = RunOptions(specs=specs, cache=cache_dir(),
                         kinds={Kind(k) for k in args.kind} or None, pattern=args.pattern, timeout=args.timeout,
                         expectations_dir=_expectations(args.expectations, console),
                         forced_launchers=forced, keep_scratch=args.keep_scratch)
    baseline = results_json.read(args.baseline) if args.baseline else None  # a bad baseline fails early
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
    if run.golden_changes:
        console.print(f"[bold red]golden stores changed during the run:[/] {run.golden_changes[:5]}")
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
            self.console.print(f"[bold]{event.name}[/]: {event.detail}")
        elif isinstance(event, ev.ImplementationReady):
            mark = "[green]ready[/]" if event.available else "[red]unavailable[/]"
            self.console.print(f"  {event.impl}: {mark} {event.detail}")
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
    for status in summary.COLUMNS:
        table.add_column(status, justify="right", style=STYLE[status])
    impls = {i["id"]: i for i in document["implementations"]}
    for impl, counts in summary.counts(document).items():
        info = impls.get(impl, {})
        version = info.get("version") if info.get("available") else "[red]unavailable[/]"
        table.add_row(impl, version, info.get("launcher", ""), *(str(counts.get(s, 0)) for s in summary.COLUMNS))
    console.print(table)
    for info in document["implementations"]:
        if not info["available"]:
            console.print(f"[red]{info['id']} unavailable:[/] {info['detail'][:400]}")
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
        console.print(f"[yellow]expectation matched no cell:[/] {e.impl}: {e.fixture} ({e.kind}, {e.status.value})")
