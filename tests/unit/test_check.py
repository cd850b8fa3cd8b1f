"""`check`: the implementations vote on a store no oracle knows."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fake_adapters.faulty.specs import faulty
from zarr_conformance.adapters import registry
from zarr_conformance.errors import StoreFormatError
from zarr_conformance.fixtures import golden
from zarr_conformance.fixtures.catalogue import by_id, catalogue
from zarr_conformance.runners.check import check_store, discover


@pytest.fixture(scope="module")
def store(cache: Path) -> Path:
    return golden.build(catalogue(), cache).store(by_id("v2/dtype/int32-le"))


def test_the_odd_one_out_differs(store: Path, cache: Path) -> None:
    specs = [registry.discover()["reference"], faulty("noisy"), faulty("wrong"), faulty("crash")]
    [array] = check_store(store, specs, cache, timeout=30)
    verdicts = {v.impl: (v.status, v.message) for v in array.verdicts}
    assert verdicts["reference"][0] == "agrees"
    assert verdicts["faulty-noisy"][0] == "agrees"
    assert verdicts["faulty-wrong"] == ("differs", "300 of 300 values differ from reference, faulty-noisy")
    assert verdicts["faulty-crash"][0] == "crash"


def test_discover_finds_nested_arrays(cache: Path) -> None:
    nested = golden.build(catalogue(), cache).store(by_id("v3/groups/nested"))
    fmt, arrays = discover(nested)
    assert fmt == 3
    assert [path for path, _ in arrays] == ["forecast/mask", "forecast/surface/pressure"]


def test_not_a_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreFormatError, match="is not a Zarr store"):
        discover(tmp_path)
