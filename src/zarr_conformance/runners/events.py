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


Event = Phase | ImplementationReady | CellsPlanned | CellFinished
Listener = Callable[[Event], None]


def ignore(event: Event) -> None:
    """The default listener."""
