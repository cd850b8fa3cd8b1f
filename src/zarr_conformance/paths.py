"""Where the harness keeps what it builds: environments, golden stores, scratch space."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_OUT = Path("conformance-report")


def cache_dir() -> Path:
    """$ZARR_CONFORMANCE_CACHE, else $XDG_CACHE_HOME/zarr-conformance, else ~/.cache/zarr-conformance."""
    explicit = os.environ.get("ZARR_CONFORMANCE_CACHE")
    if explicit:
        return Path(explicit).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return (Path(base) / "zarr-conformance").resolve()
