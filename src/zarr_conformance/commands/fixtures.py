"""`zarr-conformance fixtures list | build`."""

from __future__ import annotations

from pathlib import Path

from zarr_conformance.commands.inputs import writable_folder
from zarr_conformance.fixtures import golden
from zarr_conformance.fixtures.catalogue import catalogue


def fixtures_command(action: str, cache: Path) -> int:
    cases = catalogue()
    if action == "list":
        for case in cases:
            flag = " (must reject)" if case.must_reject else ""
            print(f"{case.id:45} v{case.zarr_format} {case.feature:12} {case.description}{flag}")
        print(f"{len(cases)} cases")
        return 0
    built = golden.build(cases, writable_folder(cache, "the cache folder ($ZARR_CONFORMANCE_CACHE)"))
    print(f"{len(cases)} golden stores in {built.root} (digest {built.digest[:16]})")
    return 0
