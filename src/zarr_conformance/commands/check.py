"""`zarr-conformance check PATH`: which implementations open a store, and do they agree."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from zarr_conformance.adapters import registry
from zarr_conformance.commands.inputs import writable_file, writable_folder
from zarr_conformance.errors import HarnessError
from zarr_conformance.paths import cache_dir
from zarr_conformance.runners.check import CheckStatus, NodeCheck, check_store
from zarr_conformance.runners.check_vote import AGREES_MEANS
from zarr_conformance.runners.check_zip import is_zip
from zarr_conformance.runners.events import Event, NodeChecked

STYLE = {CheckStatus.AGREES: "green", CheckStatus.DIFFERS: "bold red", CheckStatus.NO_CONSENSUS: "yellow",
         CheckStatus.ERROR: "yellow", CheckStatus.CRASH: "magenta", CheckStatus.TIMEOUT: "magenta",
         CheckStatus.UNSUPPORTED: "dim", CheckStatus.UNAVAILABLE: "dim", CheckStatus.SKIPPED: "dim",
         CheckStatus.READ: "yellow"}
SHOWN = 500  # characters of a message's first line in the table; --json keeps every word


def check_command(store: Path, impl_ids: list[str], timeout: float, max_megabytes: float,
                  json_out: Path | None) -> int:
    if not (store.is_dir() or is_zip(store)):
        raise HarnessError(f"{store} is not a folder or a zip: check takes a Zarr store (a folder, or a zip of one) "
                           f"on the local filesystem")
    if json_out is not None:
        writable_file(json_out, "--json")
    specs = registry.select(impl_ids or None)
    cache = writable_folder(cache_dir(), "the cache folder ($ZARR_CONFORMANCE_CACHE)")
    console = Console()
    results = check_store(store, specs, cache, timeout, max_megabytes, listener=progress)
    for node in results:
        console.print(_table(node))
        for line in ([f"consensus: {node.consensus}"] if node.consensus else []) + node.notes:
            console.print(f"  {line}", highlight=False, markup=False)
    if json_out:
        json_out.write_text(json.dumps([n.to_dict() for n in results], indent=1))
        console.print(f"wrote {json_out}")
    console.print(AGREES_MEANS, style="dim", highlight=False)
    failed = [n for n in results if n.failed]
    arrays = sum(n.kind == "array" for n in results)
    console.print(f"{arrays} arrays, {len(results) - arrays} groups; " + (
        f"{len(failed)} node(s) where not every reader asked read the consensus" if failed else
        "every reader asked read the consensus"))
    return 1 if failed else 0


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
    table.add_column("detail", overflow="fold")
    if node.problem:
        table.add_row("harness", "[bold yellow]could not check[/]", _first_line(node.problem))
    for v in node.verdicts:
        table.add_row(v.impl, f"[{STYLE[v.status]}]{v.label()}[/]", _first_line(v.message))
    return table


def _first_line(message: str) -> str:
    """The cause, not a cut-off middle: the first line in full up to SHOWN characters."""
    line = message.splitlines()[0] if message else ""
    return escape(line if len(line) <= SHOWN else line[:SHOWN] + "... (all of it in --json)")
