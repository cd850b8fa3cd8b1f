from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def cache() -> Path:
    """The harness's real cache ($ZARR_CONFORMANCE_CACHE or ~/.cache): environments are costly to build,
    and golden stores are keyed by content, so tests share them safely with real runs."""
    from zarr_conformance.paths import cache_dir

    return cache_dir()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`large` tests (gigabytes of store, minutes of writing) run only when asked for with -m large."""
    if "large" in (config.option.markexpr or ""):
        return
    for item in items:
        if "large" in item.keywords:
            item.add_marker(pytest.mark.skip(reason="a large-store test: run it with -m large"))
