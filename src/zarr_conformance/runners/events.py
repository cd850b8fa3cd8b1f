"""Structured events of a run. The runner never prints; the CLI and the pytest plugin decide what to show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from zarr_conformance.runners.model import CellResult


@dataclass(frozen=True)
class Phase:
    name: str  # "fixtures", "environments", "workers", "cells", "reports"
    detail: str = ""


@dataclass(frozen=True)
class ImplementationReady:
    impl: str
    available: bool
    detail: str


@dataclass(frozen=True)
class CellsPlanned:
    total: int


@dataclass(frozen=True)
class CellFinished:
    result: CellResult


@dataclass(frozen=True)
class NodeChecked:
    """`check` finished one node (the index-th of total): every reader asked took `seconds` in all."""
    index: int
    total: int
    path: str
    zarr_format: int
    kind: str  # "group" | "array"
    shape: tuple[object, ...]
    dtype: str
    readers: int
    seconds: float


Event = Phase | ImplementationReady | CellsPlanned | CellFinished | NodeChecked
Listener = Callable[[Event], None]


def ignore(event: Event) -> None:
    """The default listener."""
