"""`zarr-conformance check PATH`: which implementations open a store, and do they agree."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from zarr_conformance.adapters import registry
from zarr_conformance.commands.inputs import writable_file, writable_folder
from zarr_conformance.errors import HarnessError
from zarr_conformance.paths import cache_dir
from zarr_conformance.runners.check import check_store

STYLE = {"agrees": "green", "differs": "bold red", "error": "yellow", "crash": "magenta", "timeout": "magenta",
         "unsupported": "dim", "skipped": "dim"}


def check_command(store: Path, impl_ids: list[str], timeout: float, max_megabytes: float,
                  json_out: Path | None) -> int:
    if not store.is_dir():
        raise HarnessError(f"{store} is not a folder: check takes a Zarr store on the local filesystem")
    if json_out is not None:
        writable_file(json_out, "--json")
    specs = registry.select(impl_ids or None)
    cache = writable_folder(cache_dir(), "the cache folder ($ZARR_CONFORMANCE_CACHE)")
    console = Console()
    results = check_store(store, specs, cache, timeout, max_megabytes)
    for array in results:
        table = Table(title=f"/{array.path}  (v{array.zarr_format}, shape {array.shape}, {array.dtype})")
        table.add_column("implementation")
        table.add_column("verdict")
        table.add_column("detail", overflow="fold")
        for v in array.verdicts:
            table.add_row(v.impl, f"[{STYLE[v.status]}]{v.status}[/]", v.message[:300])
        console.print(table)
    if json_out:
        json_out.write_text(json.dumps([a.to_dict() for a in results], indent=1))
        console.print(f"wrote {json_out}")
    disagree = any(v.status in ("differs", "crash") for a in results for v in a.verdicts)
    console.print(f"{len(results)} arrays; " + ("implementations disagree" if disagree else "no disagreement"))
    return 1 if disagree else 0
