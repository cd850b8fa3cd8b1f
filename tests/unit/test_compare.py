from __future__ import annotations

import numpy as np
import pytest

from zarr_conformance.fixtures.catalogue import by_id
from zarr_conformance.fixtures.values import expected_values
from zarr_conformance.runners.compare import Mismatch, check_read, differences


def test_nan_equals_nan_but_signed_zero_differs() -> None:
    e = np.array([np.nan, 0.0, 1.5], dtype="<f8")
    g = np.array([np.nan, -0.0, 1.5], dtype=">f8")
    assert differences(e, g.astype("<f8")).tolist() == [False, True, False]


def _answer(case_id: str, **changes):
    case = by_id(case_id)
    node = case.arrays[0]
    values = expected_values(case, node.path).copy()
    reply = {"path": node.path, "kind": "array", "shape": list(node.shape), "dtype": values.dtype.str,
             "fill_value": node.fill_value, "attributes": dict(node.attributes), "dimension_names": None,
             "values": {"array": values}}
    reply.update(changes)
    groups = [{"path": g.path, "kind": "group", "attributes": g.attributes} for g in case.groups]
    return case, groups + [reply]


def test_exact_answer_passes() -> None:
    case, nodes = _answer("v2/fill/missing-chunks-nan")
    check_read(case, nodes)


@pytest.mark.parametrize(("change", "words"), [
    ({"fill_value": 0}, "fill_value reported 0"),
    ({"shape": [1, 2]}, "shape reported"),
    ({"attributes": {"x": 1}}, "attributes differ"),
    ({"dtype": "<f4"}, "reported dtype <f4"),
])
def test_metadata_differences_fail(change, words) -> None:
    case, nodes = _answer("v2/fill/missing-chunks-nan", **change)
    with pytest.raises(Mismatch, match=words):
        check_read(case, nodes)


def test_one_wrong_value_fails_and_says_where() -> None:
    case, nodes = _answer("v2/dtype/int32-be")
    nodes[-1]["values"]["array"][3, 2] += 1
    with pytest.raises(Mismatch, match=r"1 of 300 values differ; \(3, 2\)"):
        check_read(case, nodes)


def test_byte_order_of_returned_values_does_not_matter() -> None:
    case, nodes = _answer("v2/dtype/int32-be")
    nodes[-1]["values"]["array"] = nodes[-1]["values"]["array"].astype("<i4")
    check_read(case, nodes)


def test_missing_group_fails() -> None:
    case, nodes = _answer("v3/groups/nested")
    with pytest.raises(Mismatch, match="missing from the reply"):
        check_read(case, nodes[1:])


def test_fill_values_compare_by_value_and_hex_by_bits() -> None:
    from zarr_conformance.fixtures.fillvalue import same_fill

    assert same_fill("NaN", "NaN") and same_fill(0, 0.0) and not same_fill(False, 0)
    assert same_fill("0x7fc00001", "0x7fc00001")
    assert not same_fill("0x7fc00001", "NaN")  # the payload was lost
    assert same_fill("0x7fc00000", "NaN") and same_fill("0x3f800000", 1.0)
    assert same_fill([1.5, "NaN"], [1.5, "NaN"]) and not same_fill([1.5, 0], 1.5)
