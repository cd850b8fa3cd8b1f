"""`zarr-conformance check STORE [STORE ...]`: which implementations open each store, and do they agree."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.rule import Rule
from rich.table import Table

from zarr_conformance.commands.inputs import writable_file, writable_folder
from zarr_conformance.commands.selection import selected
from zarr_conformance.errors import HarnessError
from zarr_conformance.paths import cache_dir
from zarr_conformance.reports import check_html, check_json
from zarr_conformance.runners.check import CheckStatus, NodeCheck
from zarr_conformance.runners.check_run import CheckRun, StoreCheck, check_run, is_store
from zarr_conformance.runners.check_vote import AGREES_MEANS
from zarr_conformance.runners.events import Event, NodeChecked

STYLE = {CheckStatus.AGREES: "green", CheckStatus.DIFFERS: "bold red", CheckStatus.NO_CONSENSUS: "yellow",
         CheckStatus.ERROR: "yellow", CheckStatus.CRASH: "magenta", CheckStatus.TIMEOUT: "magenta",
         CheckStatus.UNSUPPORTED: "dim", CheckStatus.UNAVAILABLE: "dim", CheckStatus.SKIPPED: "dim",
         CheckStatus.READ: "yellow"}
SHOWN = 500  # characters of a message's first line in the table; --json keeps every word


def check_command(args: argparse.Namespace) -> int:
    json_out = _json_path(args.json, args.out)
    specs, forced = selected(args.impl, args.impl_source)
    cache = writable_folder(cache_dir(), "the cache folder ($ZARR_CONFORMANCE_CACHE)")
    console = Console()
    if not console.is_terminal:
        console = Console(width=150)  # a log file or CI: tables as wide as `run` makes them
    several = len(args.stores) > 1 or any(s.is_dir() and not is_store(s) for s in args.stores)
    run = check_run(args.stores, specs, cache, args.timeout, args.max_megabytes, forced_launchers=forced,
                    sample_seed=args.sample_seed, listener=progress,
                    on_store=lambda store: _print_store(console, store, several))
    for folder, count in run.found.items():
        console.print(f"{folder}: not a store; {count} store(s) found below it", highlight=False, markup=False,
                      soft_wrap=True)
    if json_out:
        document = check_json.to_document(run)
        check_json.write(document, json_out)
        check_html.write(document, json_out.with_suffix(".html"))
        console.print(f"wrote {json_out} and {json_out.with_suffix('.html')}", highlight=False)
    console.print(AGREES_MEANS, style="dim", highlight=False)
    for line in (_summary(run), _resources(run)):  # whole lines, whatever the width: scripts grep them
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    return 1 if run.failed else 0


def _json_path(json_out: Path | None, out: Path | None) -> Path | None:
    """--json FILE, or --out DIR (check.json there): fail before the run, not after it."""
    if json_out is not None and out is not None:
        raise HarnessError("--json and --out: give one (--out DIR writes DIR/check.json and DIR/check.html)")
    if out is not None:
        json_out = writable_folder(out, "--out") / "check.json"
    if json_out is not None and json_out.suffix == ".html":
        raise HarnessError(f"--json {json_out}: the HTML report is written beside the JSON as FILE.html; "
                           f"name the JSON file .json")
    if json_out is not None:
        writable_file(json_out, "--json" if out is None else "--out")
        writable_file(json_out.with_suffix(".html"), "--json (its HTML report)" if out is None else "--out")
    return json_out


def _print_store(console: Console, store: StoreCheck, several: bool) -> None:
    if store.error:
        console.print(f"[bold red]{escape(store.path)}: not checked:[/] {escape(store.error)}", soft_wrap=True)
        return
    if several:
        console.print(Rule(escape(f"{store.path}  ({len(store.nodes)} nodes, {store.seconds:.2f} s)"), align="left"))
    for node in store.nodes:
        console.print(_table(node))
        said = f"{node.seconds:.2f} s" + (f"; consensus: {node.consensus}" if node.consensus else "")
        for line in [said, *node.notes]:
            console.print(f"  {line}", highlight=False, markup=False)


def _summary(run: CheckRun) -> str:
    nodes = [n for s in run.stores for n in s.nodes]
    failed = [n for n in nodes if n.failed]
    arrays = sum(n.kind == "array" for n in nodes)
    bad = sum(bool(s.error) for s in run.stores)
    stores = (f"{len(run.stores)} stores ({bad} not checked), " if bad else
              f"{len(run.stores)} stores, " if len(run.stores) > 1 else "")
    return stores + f"{arrays} arrays, {len(nodes) - arrays} groups; " + (
        f"{len(failed)} node(s) where not every reader asked read the consensus" if failed else
        "every reader asked read the consensus" if nodes else "nothing checked")


def _resources(run: CheckRun) -> str:
    """One line: the run's wall time and the peak memory of the harness and of each worker that ran."""
    workers = ", ".join(f"{i['id']} {_mib(i['peak_rss_bytes'])}" for i in run.implementations
                        if i["peak_rss_bytes"] is not None)
    return (f"time {run.seconds:.1f} s ({run.ready_seconds:.1f} s getting the readers ready); peak RSS: "
            f"harness {_mib(run.harness_peak_rss_bytes)}" + (f", {workers}" if workers else ""))


def _mib(value: Any) -> str:
    return f"{value / 2**20:.0f} MiB"


def progress(event: Event) -> None:
    """One line per node as it is checked, on stderr: stdout (and --json) stay the results alone."""
    if isinstance(event, NodeChecked):
        what = "group" if event.kind == "group" else f"{list(event.shape)} {event.dtype}"
        print(f"[{event.index}/{event.total}] /{event.path} (v{event.zarr_format}, {what}): {event.readers} readers, "
              f"{event.seconds:.1f} s", file=sys.stderr, flush=True)


def _table(node: NodeCheck) -> Table:
    what = ("group" if node.kind == "group" else f"shape {node.shape}, {node.dtype}")
    table = Table(title=escape(f"/{node.path}  (v{node.zarr_format}, {what})"), title_justify="left")
    table.add_column("implementation")
    table.add_column("verdict")
    table.add_column("s", justify="right")
    table.add_column("detail", overflow="fold")
    if node.problem:
        table.add_row("harness", "[bold yellow]could not check[/]", "", _first_line(node.problem))
    for v in node.verdicts:
        table.add_row(v.impl, f"[{STYLE[v.status]}]{v.label()}[/]", f"{v.seconds:.2f}", _first_line(v.message))
    return table


def _first_line(message: str) -> str:
    """The cause, not a cut-off middle: the first line in full up to SHOWN characters."""
    line = message.splitlines()[0] if message else ""
    return escape(line if len(line) <= SHOWN else line[:SHOWN] + "... (all of it in --json)")
