"""The oracle checked against something outside itself: a few stores' exact bytes, derived by hand
from the specs (v2 "Chunks"; v3 core "bytes" codec; the crc32c codec; sharding_indexed "Binary shard
format"), not from the encoder's own layout and codec code."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from zarr_conformance.fixtures import decoder
from zarr_conformance.fixtures.cases import ArrayNode, GroupNode
from zarr_conformance.fixtures.encoder import write_store

LE = {"name": "bytes", "configuration": {"endian": "little"}}
BE = {"name": "bytes", "configuration": {"endian": "big"}}
NO_CHUNK = 2**64 - 1  # sharding spec: offset and nbytes of an absent inner chunk


def _write(tmp_path: Path, fmt: int, values: np.ndarray, **node: object) -> Path:
    write_store(tmp_path, fmt, (GroupNode(""), ArrayNode(path="a", **node)), {"a": values})  # type: ignore[arg-type]
    return tmp_path / "a"


def test_v2_chunk_in_c_and_f_order(tmp_path: Path) -> None:
    values = np.array([[1, 2], [3, 4]], dtype="<u2")
    common = {"shape": (2, 2), "chunks": (2, 2), "dtype": "<u2", "fill_value": 0, "compressor": None,
              "chunk_key_separator": "."}
    c = _write(tmp_path / "c", 2, values, order="C", **common)
    assert (c / "0.0").read_bytes() == bytes([1, 0, 2, 0, 3, 0, 4, 0])
    f = _write(tmp_path / "f", 2, values, order="F", **common)
    assert (f / "0.0").read_bytes() == bytes([1, 0, 3, 0, 2, 0, 4, 0])  # column-major: 1, 3, 2, 4
    assert decoder.read_array(tmp_path / "f", "a", 2)[1].tolist() == values.tolist()


def test_v3_big_endian_bytes_codec(tmp_path: Path) -> None:
    a = _write(tmp_path, 3, np.array([1, 258], dtype="<i2"), shape=(2,), chunks=(2,), dtype="<i2",
               fill_value=0, codecs=(BE,))
    assert (a / "c" / "0").read_bytes() == bytes([0x00, 0x01, 0x01, 0x02])


def test_crc32c_of_the_standard_check_string(tmp_path: Path) -> None:
    # CRC-32C of "123456789" is 0xE3069283 (RFC 3720, B.4); the codec appends it little-endian.
    a = _write(tmp_path, 3, np.frombuffer(b"123456789", dtype="u1"), shape=(9,), chunks=(9,), dtype="|u1",
               fill_value=0, codecs=(LE, {"name": "crc32c"}))
    assert (a / "c" / "0").read_bytes() == b"123456789" + bytes([0x83, 0x92, 0x06, 0xE3])


def _shard(location: str) -> dict:
    return {"name": "sharding_indexed", "configuration": {
        "chunk_shape": [2], "codecs": [LE], "index_codecs": [LE], "index_location": location}}


def test_shard_with_index_at_end_and_at_start(tmp_path: Path) -> None:
    values = np.array([1, 2, 3, 4], dtype="u1")
    end = _write(tmp_path / "end", 3, values, shape=(4,), chunks=(4,), dtype="|u1", fill_value=0,
                 codecs=(_shard("end"),))
    index = struct.pack("<4Q", 0, 2, 2, 2)  # (offset, nbytes) per inner chunk, C order
    assert (end / "c" / "0").read_bytes() == bytes([1, 2, 3, 4]) + index
    start = _write(tmp_path / "start", 3, values, shape=(4,), chunks=(4,), dtype="|u1", fill_value=0,
                   codecs=(_shard("start"),))
    assert (start / "c" / "0").read_bytes() == struct.pack("<4Q", 32, 2, 34, 2) + bytes([1, 2, 3, 4])


def test_absent_inner_chunk_is_all_ones_in_the_index(tmp_path: Path) -> None:
    values = np.array([7, 7, 3, 4], dtype="u1")
    write_store(tmp_path, 3, (GroupNode(""), ArrayNode(
        path="a", shape=(4,), chunks=(4,), dtype="|u1", fill_value=7, codecs=(_shard("end"),),
        missing_chunks=((0,),))), {"a": values})
    raw = (tmp_path / "a" / "c" / "0").read_bytes()
    assert raw == bytes([3, 4]) + struct.pack("<4Q", NO_CHUNK, NO_CHUNK, 0, 2)
    assert decoder.read_array(tmp_path, "a", 3)[1].tolist() == [7, 7, 3, 4]
