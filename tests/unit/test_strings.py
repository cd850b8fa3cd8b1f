"""The vlen codecs, string data types, awkward buffers and the value transport: byte layouts pinned
against examples derived by hand from numcodecs' and zarr-extensions' documents, and round trips of
every code point class and every byte value."""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path

import numpy as np
import pytest

from zarr_conformance.adapters.worker_kit import zc_values
from zarr_conformance.errors import StoreFormatError
from zarr_conformance.fixtures import ragged, strings
from zarr_conformance.fixtures.cases import ArrayNode
from zarr_conformance.fixtures.encoder import encode_pipeline
from zarr_conformance.runners import compare_objects


def _objects(*items) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        out[i] = item
    return out


def u32(n: int) -> bytes:
    return struct.pack("<I", n)


# --- vlen codecs: numcodecs docs, "VLenUTF8/VLenBytes/VLenArray": u32le count, then (u32le length, bytes)

def test_vlen_utf8_layout_is_count_then_length_prefixed_utf8() -> None:
    encoded = strings.encode_vlen("vlen-utf8", _objects("a", "", "é"))
    assert encoded == u32(3) + u32(1) + b"a" + u32(0) + u32(2) + b"\xc3\xa9"
    assert list(strings.decode_vlen("vlen-utf8", encoded, 3, "t")) == ["a", "", "é"]


def test_vlen_bytes_layout_keeps_every_byte() -> None:
    encoded = strings.encode_vlen("vlen-bytes", _objects(b"\x00\xff", b""))
    assert encoded == u32(2) + u32(2) + b"\x00\xff" + u32(0)


def test_vlen_array_items_are_raw_arrays_of_the_codec_dtype() -> None:
    items = _objects(np.array([1, -2], dtype="<i4"), np.zeros(0, dtype="<i4"))
    encoded = strings.encode_vlen("vlen-array", items, np.dtype(">i4"))
    assert encoded == u32(2) + u32(8) + b"\x00\x00\x00\x01\xff\xff\xff\xfe" + u32(0)
    back = strings.decode_vlen("vlen-array", encoded, 2, "t", np.dtype(">i4"))
    assert back[0].tolist() == [1, -2] and back[1].size == 0


def test_astral_character_is_four_utf8_bytes() -> None:
    assert strings.encode_vlen("vlen-utf8", _objects("😀")) == u32(1) + u32(4) + b"\xf0\x9f\x98\x80"


@pytest.mark.parametrize(("data", "message"), [
    (u32(1) + u32(3) + b"a\xffb", "not valid UTF-8"),
    (u32(1) + u32(3) + b"\xed\xa0\x80", "not valid UTF-8"),  # an encoded surrogate
    (u32(1) + u32(9) + b"abc", "past the chunk end"),
    (u32(2) + u32(1) + b"a", "header says 2 items"),
    (u32(1) + u32(1) + b"ab", "after the last item"),
    (b"\x01\x00", "no item count header"),
])
def test_broken_framing_is_refused(data: bytes, message: str) -> None:
    count = 2 if message.startswith("header") else 1
    with pytest.raises(StoreFormatError, match=message):
        strings.decode_vlen("vlen-utf8", data if count == 1 else u32(2) + data[4:], 1, "chunk")


def test_lone_surrogate_cannot_be_encoded() -> None:
    with pytest.raises(UnicodeEncodeError):
        strings.encode_vlen("vlen-utf8", _objects("\ud800"))


def test_v3_vlen_utf8_then_gzip_decodes_through_the_pipeline() -> None:
    chunk = _objects("x", "ÿ").reshape(2, 1)
    data = encode_pipeline([{"name": "vlen-utf8"}, {"name": "gzip", "configuration": {"level": 1}}], chunk, "")
    from zarr_conformance.fixtures.decoder import decode_pipeline

    back = decode_pipeline([{"name": "vlen-utf8"}, {"name": "gzip", "configuration": {"level": 1}}], data, (2, 1),
                           np.dtype(object), "", "t")
    assert back.tolist() == [["x"], ["ÿ"]]


# --- fixed_length_utf32: zarr-extensions data-types/fixed_length_utf32, the "Hi" in 12 bytes example

def test_fixed_length_utf32_matches_the_extension_example() -> None:
    assert strings.v3_data_type("<U3") == {"name": "fixed_length_utf32", "configuration": {"length_bytes": 12}}
    chunk = np.array(["Hi"], dtype="<U3")
    little = encode_pipeline([{"name": "bytes", "configuration": {"endian": "little"}}], chunk, "")
    assert little == b"H\x00\x00\x00i\x00\x00\x00\x00\x00\x00\x00"
    big = encode_pipeline([{"name": "bytes", "configuration": {"endian": "big"}}], chunk, "")
    assert big == b"\x00\x00\x00H\x00\x00\x00i\x00\x00\x00\x00"
    with pytest.raises(StoreFormatError, match="multiple of 4"):
        strings.dtype_from_v3({"name": "fixed_length_utf32", "configuration": {"length_bytes": 6}})


def test_bytes_fill_value_in_both_documented_forms() -> None:
    assert strings.decode_fill("AQID", "bytes", np.dtype(object)) == b"\x01\x02\x03"
    assert strings.decode_fill([1, 2, 3], "bytes", np.dtype(object)) == b"\x01\x02\x03"
    with pytest.raises(StoreFormatError):
        strings.decode_fill([256], "bytes", np.dtype(object))


def test_v3_string_needs_vlen_utf8() -> None:
    with pytest.raises(StoreFormatError, match="does not fit"):
        strings.check_v3_codecs("string", [{"name": "vlen-bytes"}], "t")
    with pytest.raises(StoreFormatError, match="does not fit"):
        strings.check_v3_codecs(None, [{"name": "vlen-utf8"}], "t")
    strings.check_v3_codecs("bytes", [{"name": "sharding_indexed", "configuration": {
        "codecs": [{"name": "vlen-bytes", "configuration": {}}]}}], "t")


# --- the value transport: every code point class, every byte value --------------------------------

CODE_POINTS = ["", "\x00", "\x7f", "\x80", "ÿ", "\u0800", "\ud7ff", "\ue000", "\ufffd", "\uffff", "\U00010000",
               "😀", "\U0010ffff", "e\u0301", "\u2028", '"\\/\b\f\n\r\t']


def _through_the_wire(ref: dict) -> dict:
    return json.loads(json.dumps(ref).encode("utf-8").decode("utf-8"))


def test_text_of_every_code_point_class_round_trips(tmp_path: Path) -> None:
    values = _objects(*CODE_POINTS).reshape(4, 4)
    ref = _through_the_wire(zc_values.to_ref(values, str(tmp_path), "s"))
    assert set(ref) == {"json"}
    assert zc_values.from_ref(ref, [4, 4]).tolist() == values.tolist()


def test_a_lone_surrogate_arrives_and_is_a_difference(tmp_path: Path) -> None:
    ref = _through_the_wire(zc_values.to_ref(_objects("\ud800"), str(tmp_path), "s"))
    got = zc_values.from_ref(ref, [1])
    assert got[0] == "\ud800"
    node = ArrayNode(path="data", shape=(1,), chunks=(1,), dtype="string", fill_value="")
    with pytest.raises(compare_objects.ObjectMismatch, match=r"\(0,\): expected 'x'"):
        compare_objects.check_values("data", node, _objects("x"), {"values": ref, "shape": [1]})


def test_every_byte_value_round_trips(tmp_path: Path) -> None:
    values = _objects(*(bytes([b]) for b in range(256)), bytes(range(256)), b"")
    ref = _through_the_wire(zc_values.to_ref(values, str(tmp_path), "b"))
    assert set(ref) == {"bytes_b64"}
    assert zc_values.from_ref(ref, [258]).tolist() == values.tolist()


def test_ragged_round_trips_bit_for_bit(tmp_path: Path) -> None:
    payload_nan = np.array([0x7FF8000000000001], dtype="<u8").view("<f8")[0]
    values = _objects(np.array([], dtype="<f8"), np.array([payload_nan, -0.0, math.inf], dtype="<f8"),
                      np.array([1.5], dtype="<f8"))
    ref = _through_the_wire(zc_values.to_ref(values, str(tmp_path), "r"))
    back = zc_values.from_ref(ref)
    assert back.shape == (3,) and back[0].size == 0
    assert back[1].view("<u8").tolist() == values[1].view("<u8").tolist()


def test_ragged_offsets_that_do_not_fit_are_refused(tmp_path: Path) -> None:
    np.save(tmp_path / "d.npy", np.arange(3, dtype="<i4"))
    np.save(tmp_path / "o.npy", np.array([0, 2, 5], dtype="<i8"))
    ref = {"ragged": {"shape": [2], "data": {"npy": str(tmp_path / "d.npy")},
                      "offsets": {"npy": str(tmp_path / "o.npy")}}}
    with pytest.raises(ValueError, match="offsets"):
        zc_values.from_ref(ref)


def test_comparison_names_the_first_differing_element() -> None:
    node = ArrayNode(path="data", shape=(2, 2), chunks=(2, 2), dtype="|O", fill_value=None,
                     filters=({"id": "vlen-bytes"},))
    expected = _objects(b"a", b"b", b"c", b"d").reshape(2, 2)
    got = {"values": {"bytes_b64": [["YQ==", "Yg=="], ["eA==", "ZA=="]]}, "shape": [2, 2]}
    shown = r"1 of 4 bytes values differ; \(1, 0\): expected b'c', got b'x'"
    with pytest.raises(compare_objects.ObjectMismatch, match=shown):
        compare_objects.check_values("data", node, expected, got)


# --- the awkward layout: ak.to_buffers naming and offsets --------------------------------------------

def test_awkward_buffers_of_a_var_float64_form() -> None:
    form = ragged.list_form(ragged.numpy_form("float64", "node1"), "node0")
    buffers = ragged.to_buffers(form, [[1.5], [], [2.0, 3.0]])
    assert buffers["node0-offsets"].tolist() == [0, 1, 1, 3] and buffers["node0-offsets"].dtype == np.dtype("<i8")
    assert buffers["node1-data"].tolist() == [1.5, 2.0, 3.0]
    assert ragged.from_buffers(form, 3, buffers) == [[1.5], [], [2.0, 3.0]]


def test_awkward_records_strings_and_options_round_trip() -> None:
    form = ragged.record_form({"s": ragged.string_form("node1", "node2"),
                               "o": ragged.option_form(ragged.numpy_form("int32", "node4"), "node3")}, "node0")
    items = [{"s": "é😀", "o": None}, {"s": "", "o": 7}]
    buffers = ragged.to_buffers(form, items)
    assert buffers["node3-index"].tolist() == [-1, 0]
    assert bytes(buffers["node2-data"]).decode() == "é😀"
    assert ragged.from_buffers(form, 2, buffers) == items


def test_awkward_offsets_past_the_data_are_refused() -> None:
    form = ragged.list_form(ragged.numpy_form("int32", "node1"), "node0")
    with pytest.raises(ragged.RaggedError, match="node1-data"):
        ragged.from_buffers(form, 2, {"node0-offsets": np.array([0, 1, 9]), "node1-data": np.arange(3)})


def test_check_compares_object_arrays_item_by_item() -> None:
    a = _objects("x", b"y", np.array([1.0, np.nan]))
    b = _objects("x", b"z", np.array([1.0, np.nan]))
    assert compare_objects.differences(a, b).tolist() == [False, True, False]


def test_awkward_assembly_reports_where_the_ragged_array_differs(tmp_path: Path) -> None:
    from zarr_conformance.fixtures.catalogue import by_id
    from zarr_conformance.fixtures.decoder import read_nodes
    from zarr_conformance.fixtures.encoder import write_store
    from zarr_conformance.fixtures.values import expected_values

    case = by_id("v2/ragged/awkward-var-float64")
    write_store(tmp_path / "s", 2, case.nodes, {a.path: expected_values(case, a.path) for a in case.arrays})
    nodes = read_nodes(tmp_path / "s", 2, [(n.path, n.kind) for n in case.nodes])
    compare_objects.check_convention(case, nodes)  # the buffers as written assemble to the items
    data = next(n for n in nodes if n["path"] == "ragged/node1-data")
    changed = data["values"]["array"].copy()
    changed[-1] += 1.0
    data["values"] = {"array": changed}
    with pytest.raises(compare_objects.ObjectMismatch, match=r"differs at \[\d+\]\[\d+\]"):
        compare_objects.check_convention(case, nodes)


def test_zarr_python_2_default_object_fill_is_no_fill() -> None:
    assert strings.decode_fill(0, "string", np.dtype(object)) is None
    node = ArrayNode(path="data", shape=(1,), chunks=(1,), dtype="|O", fill_value=0, filters=({"id": "vlen-utf8"},))
    assert compare_objects.same_fill(node, 0, "") and compare_objects.same_fill(node, 0, 0)
