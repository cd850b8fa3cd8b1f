"""`check` above --max-megabytes: every reader reads the same reproducible boxes, and each box is voted on."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from tests.fake_adapters.voter.specs import voter
from tests.unit.test_check import reference, v2_array
from zarr_conformance.runners.check import CheckStatus, check_store
from zarr_conformance.runners.check_sample import BOXES, box_bytes, box_extent, sample_boxes
from zarr_conformance.runners.undefined import defined_region


@pytest.mark.parametrize("shape", [[10**6], [3000, 7000], [5, 40000, 3], [1, 1, 10**7], [0, 10**9]])
def test_boxes_are_inside_the_array_within_the_budget_and_reproducible(shape: list[int]) -> None:
    budget = 2**20
    boxes = sample_boxes(shape, 8, budget, "data/t")
    assert boxes == sample_boxes(shape, 8, budget, "data/t")  # the same on every run
    assert 1 <= len(boxes) <= BOXES and len({str(b) for b in boxes}) == len(boxes)
    for box in boxes:
        assert all(0 <= a <= b <= n for (a, b), n in zip(box, shape, strict=True))
        assert box_bytes(box, 8) <= budget / BOXES or math.prod(shape) == 0
    assert boxes[0] == [[0, b] for _, b in boxes[0]]  # the first corner, then the last one
    assert len(boxes) == 1 or all(b == n for (_, b), n in zip(boxes[1], shape, strict=True))


def test_another_seed_or_array_moves_only_the_hashed_box() -> None:
    first, other = sample_boxes([10**6], 8, 2**20, "a"), sample_boxes([10**6], 8, 2**20, "a", seed=1)
    assert first[:2] == other[:2] and first[2] != other[2]
    assert sample_boxes([10**6], 8, 2**20, "b")[2] != first[2]


def test_the_box_extent_halves_the_longest_side_until_it_fits() -> None:
    extent = box_extent([1000, 10], 1000)
    assert extent[1] == 10 and 500 < math.prod(extent) <= 1000  # the short side kept, not needlessly small


def test_the_defined_region_of_a_box_is_cut_from_the_whole_one(tmp_path: Path) -> None:
    values = np.arange(100, dtype="<i4").reshape(10, 10)
    v2_array(tmp_path, "a", values, [4, 4], fill=None, absent=((0, 1), (2, 2)))
    doc = {"zarr_format": 2, "shape": [10, 10], "chunks": [4, 4], "fill_value": None, "dtype": "<i4"}
    whole, _ = defined_region(tmp_path, "a", 2, doc)
    box = [[2, 9], [3, 10]]
    part, note = defined_region(tmp_path, "a", 2, doc, box)
    assert np.array_equal(part, whole[2:9, 3:10]) and "box" in note


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A store folder the sandboxed readers may enter (tmp_path is 0700; as root they run as nobody)."""
    out = tmp_path / "s.zarr"
    out.mkdir(mode=0o755)
    return out


def _big(root: Path) -> np.ndarray:
    values = np.arange(300 * 250, dtype="<f8").reshape(300, 250)  # 586 KiB, read in three 40 KiB boxes
    v2_array(root, "big", values, [64, 48])
    return values


def test_a_large_array_is_sampled_and_an_honest_reader_agrees_on_every_box(root: Path, cache: Path) -> None:
    _big(root)
    [_, big] = check_store(root, [reference(), voter("honest")], cache, timeout=60, max_megabytes=0.12)
    assert big.sample is not None and len(big.sample) == BOXES
    assert {v.impl: v.status for v in big.verdicts} == {"reference": CheckStatus.AGREES,
                                                        "voter-honest": CheckStatus.AGREES}
    assert any("sampled" in n for n in big.notes) and not big.failed
    again = check_store(root, [reference()], cache, timeout=60, max_megabytes=0.12)[1]
    assert again.sample == big.sample  # reproducible


def test_a_reader_wrong_in_one_box_differs_and_the_box_is_named(root: Path, cache: Path) -> None:
    _big(root)
    [_, big] = check_store(root, [reference(), voter("edge"), voter("whole")], cache, timeout=60, max_megabytes=0.12)
    found = {v.impl: v for v in big.verdicts}
    edge = found["voter-edge"]
    assert edge.status is CheckStatus.DIFFERS and edge.defects == ["values"]
    assert edge.message.startswith(f"box {big.sample[1]} (1 of 3 boxes differs)")  # the far corner
    # A worker that ignores `region` and answers the whole array is not an agreeing reader.
    assert found["voter-whole"].status is CheckStatus.DIFFERS and "shape" in found["voter-whole"].message
    assert big.failed
