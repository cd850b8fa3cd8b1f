"""Property test: whatever the reference encoder writes, the reference decoder reads back exactly."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from zarr_conformance.fixtures import decoder
from zarr_conformance.fixtures.cases import ArrayNode
from zarr_conformance.fixtures.encoder import write_store
from zarr_conformance.runners.compare import differences

DTYPES = ["|b1", "<i1", "<u2", ">i4", "<u8", "<f4", ">f8"]
LE = {"name": "bytes", "configuration": {"endian": "little"}}


@st.composite
def grids(draw):
    ndim = draw(st.integers(1, 3))
    shape = tuple(draw(st.integers(1, 9)) for _ in range(ndim))
    chunks = tuple(draw(st.integers(1, 6)) for _ in range(ndim))
    return shape, chunks


@st.composite
def arrays(draw, zarr_format: int):
    shape, chunks = draw(grids())
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32)))
    values = (rng.random(shape) * 200 - 100).astype(dtype)
    if zarr_format == 2:
        extra = {"order": draw(st.sampled_from("CF")), "chunk_key_separator": draw(st.sampled_from("./")),
                 "compressor": draw(st.sampled_from([None, {"id": "zlib", "level": 1}, {"id": "gzip", "level": 1},
                                                     {"id": "zstd", "level": 1}]))}
    else:
        order = list(range(len(shape)))
        draw(st.randoms()).shuffle(order)
        codecs = [{"name": "transpose", "configuration": {"order": order}},
                  {"name": "bytes", "configuration": {"endian": draw(st.sampled_from(["little", "big"]))}}]
        if draw(st.booleans()):
            codecs.append({"name": "crc32c"})
        extra = {"codecs": tuple(codecs), "dtype": dtype.newbyteorder("=").str}
    node = ArrayNode(**{"path": "a", "shape": shape, "chunks": chunks, "dtype": dtype.str,
                        "fill_value": False if dtype.kind == "b" else 0, **extra})
    return node, values


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([2, 3]).flatmap(lambda f: st.tuples(st.just(f), arrays(f))))
def test_encode_then_decode_is_identity(drawn) -> None:
    zarr_format, (node, values) = drawn
    with tempfile.TemporaryDirectory() as tmp:
        write_store(Path(tmp), zarr_format, (node,), {"a": values})
        _, got = decoder.read_array(Path(tmp), "a", zarr_format)
    expected = values.astype(np.dtype(node.dtype))
    assert got.shape == expected.shape
    assert not differences(expected, got.astype(expected.dtype.newbyteorder("="))).any()
