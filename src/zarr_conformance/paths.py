"""Where the harness keeps what it builds: environments, golden stores, scratch space."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_OUT = Path("conformance-report")


def default_expectations() -> Path | None:
    """./expectations when the current folder has one, else the project's own: beside the package in a
    source checkout (src layout), or shipped inside the installed package."""
    here = Path(__file__).resolve().parent
    for candidate in (Path("expectations"), here.parents[1] / "expectations", here / "expectations"):
        if candidate.is_dir() and any(candidate.glob("*.toml")):
            return candidate
    return None


def cache_dir() -> Path:
    """$ZARR_CONFORMANCE_CACHE, else $XDG_CACHE_HOME/zarr-conformance, else ~/.cache/zarr-conformance."""
    explicit = os.environ.get("ZARR_CONFORMANCE_CACHE")
    if explicit:
        return Path(explicit).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return (Path(base) / "zarr-conformance").resolve()
