"""Launchers build an adapter's environment (cached by content hash) and start its worker.

A launcher is found by name, without a table to edit: the module `launchers/<name>.py` of this
package (its module-level `LAUNCHER` class), else the entry point `<name>` of the group
`zarr_conformance.launchers`, so an adapter living in another package can bring its own kind of
environment. Modules are imported on demand: the docker SDK is only loaded when a container is wanted."""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

from zarr_conformance.adapters.launchers.base import Channel, Launcher, Prepared
from zarr_conformance.errors import AdapterError

ENTRY_POINT_GROUP = "zarr_conformance.launchers"
_HERE = Path(__file__).parent
_NOT_LAUNCHERS = {"__init__", "base", "commands", "interpreters", "docker_base", "sandbox"}


@cache
def _entry_points() -> dict[str, str]:
    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


def known_launchers() -> tuple[str, ...]:
    """Every launcher name that `get_launcher` can resolve."""
    own = {p.stem for p in _HERE.glob("*.py") if p.stem not in _NOT_LAUNCHERS}
    return tuple(sorted(own | set(_entry_points())))


def launcher_class(name: str) -> type[Launcher]:
    if name not in _NOT_LAUNCHERS and (_HERE / f"{name}.py").is_file():
        cls = getattr(importlib.import_module(f"{__name__}.{name}"), "LAUNCHER", None)
    elif name in _entry_points():
        module, _, attr = _entry_points()[name].partition(":")
        cls = getattr(importlib.import_module(module), attr or "LAUNCHER", None)
    else:
        raise AdapterError(f"unknown launcher {name!r}; known: {', '.join(known_launchers())}")
    if not (isinstance(cls, type) and issubclass(cls, Launcher)):
        raise AdapterError(f"launcher {name!r}: expected a Launcher subclass, got {cls!r}")
    return cls


def get_launcher(name: str) -> Launcher:
    return launcher_class(name)()


__all__ = ["Channel", "Launcher", "Prepared", "get_launcher", "known_launchers", "launcher_class"]
