"""Which implementations a command runs, and built from what: `--impl ID[@VERSION]` and
`--impl-source ID=SOURCE`, the same for `run`, `check` and `bench` (adapters/sources.py parses them)."""

from __future__ import annotations

import argparse

from zarr_conformance.adapters import registry, sources
from zarr_conformance.adapters.spec import AdapterSpec


def add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--impl", action="append", default=[], metavar="ID[@VERSION]",
                        help="only these implementations (repeatable; default all, also 'all'); ID@VERSION runs "
                             "that released version instead of the pinned one (zarr-python@3.1.0, jzarr@0.4.2)")
    parser.add_argument("--impl-source", action="append", default=[], metavar="ID=SOURCE",
                        help="build ID from SOURCE instead of its pinned release: a local checkout folder, "
                             "git+URL[@REF], a wheel, or a .jar for Java implementations (repeatable)")


def selected(impls: list[str], impl_sources: list[str]) -> tuple[list[AdapterSpec], dict[str, str]]:
    """The specs to run, each with its source attached, and the launchers that building from another
    source forces (a Java implementation from another source runs on the host JVM: its container image
    stays the pinned one)."""
    ids, chosen = sources.from_options(impls, impl_sources)
    specs = sources.apply(registry.select(ids or None), chosen)
    forced = {s.id: "jvm" for s in specs if sources.source_of(s) is not None and "jvm" in s.launchers
              and "package" not in s.environment}
    return specs, forced
