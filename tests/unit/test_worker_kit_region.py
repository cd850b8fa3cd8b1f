"""The Python worker kit's region reads (docs/protocol.md, "Region reads"): a node's region becomes the
slices a library's indexing takes, a bad region is a clear error, and the reply repeats it."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest

from zarr_conformance.adapters.launchers.python import KIT


@pytest.fixture
def zc_worker(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(KIT))
    import zc_worker

    return zc_worker


def test_no_region_is_the_whole_array(zc_worker) -> None:
    assert zc_worker.region({"path": "a", "kind": "array"}, (4, 5)) is None


def test_region_is_half_open_slices(zc_worker) -> None:
    box = zc_worker.region({"region": [[1, 3], [0, 0]]}, (4, 5))
    assert box == (slice(1, 3), slice(0, 0))
    assert np.arange(20).reshape(4, 5)[box].shape == (2, 0)


def test_region_of_a_0d_array_reads_its_element(zc_worker) -> None:
    box = zc_worker.region({"region": []}, ())
    assert box == () and np.asarray(np.array(7)[box]).tolist() == 7


@pytest.mark.parametrize("bad", [[[0, 5]], [[0, 6], [0, 5]], [[3, 2], [0, 5]], [[-1, 2], [0, 5]],
                                 [[0, 1.0], [0, 5]], [[0, True], [0, 5]], [[0, 1, 2], [0, 5]], "0:4", None])
def test_a_region_outside_the_shape_is_an_error(zc_worker, bad) -> None:
    with pytest.raises(ValueError, match="not a \\[start, stop\\] box inside the array's shape \\[4, 5\\]"):
        zc_worker.region({"region": bad}, (4, 5))


def test_the_reply_repeats_the_region_and_keeps_the_whole_shape(zc_worker, tmp_path) -> None:
    node = {"path": "g/a", "kind": "array", "region": [[1, 3]]}
    reply = zc_worker.array_reply(node, str(tmp_path), 2, np.arange(2), shape=[9], dtype="<i8")
    assert reply["region"] == [[1, 3]] and reply["shape"] == [9] and reply["path"] == "g/a"
    assert np.load(reply["values"]["npy"]).tolist() == [0, 1]
    whole = zc_worker.array_reply({"path": "a", "kind": "array"}, str(tmp_path), 3, np.arange(9), shape=[9])
    assert "region" not in whole
