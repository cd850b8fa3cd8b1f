from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def cache() -> Path:
    """The harness's real cache ($ZARR_CONFORMANCE_CACHE or ~/.cache): environments are costly to build,
    and golden stores are keyed by content, so tests share them safely with real runs."""
    from zarr_conformance.paths import cache_dir

    return cache_dir()
