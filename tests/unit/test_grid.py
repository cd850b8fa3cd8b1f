"""Rectilinear chunk grid arithmetic, pinned against the zarr-extensions document
(chunk-grids/rectilinear/README.md): its indexing example and its 5-d metadata example."""

from __future__ import annotations

import numpy as np
import pytest

from zarr_conformance.errors import StoreFormatError
from zarr_conformance.fixtures.grid import chunk_region, chunks_of, edges_from_metadata, expand_dimension, locate


def _rect(*chunk_shapes):
    return {"name": "rectilinear", "configuration": {"kind": "inline", "chunk_shapes": list(chunk_shapes)}}


def test_document_example_expands_as_the_document_says() -> None:
    edges = edges_from_metadata(_rect(4, [1, 2, 3], [[4, 2]], [[1, 3], 3], [4, 4, 4]), (6, 6, 6, 6, 6))
    assert edges == ((4, 4), (1, 2, 3), (4, 4), (1, 1, 1, 3), (4, 4, 4))


def test_document_indexing_example() -> None:
    # edges [[16, 10], [24, 14]]: array index (20, 15) is in chunk (1, 0) at (4, 15)
    edges = edges_from_metadata(_rect([16, 10], [24, 14]), (26, 38))
    assert (locate(edges[0], 20), locate(edges[1], 15)) == ((1, 4), (0, 15))
    assert chunk_region(edges, (1, 0), (26, 38)) == (slice(16, 26), slice(0, 24))


def test_integer_step_repeats_until_it_covers_the_axis() -> None:
    assert expand_dimension(3, 10) == (3, 3, 3, 3)  # the document's L = 10, m = 3


def test_chunks_past_the_end_hold_nothing_and_partial_ones_keep_their_size() -> None:
    edges = edges_from_metadata(_rect([8, 8, 8, 8], [10, 10]), (20, 15))
    chunks = list(chunks_of(edges, (20, 15)))
    assert [c[0] for c in chunks] == [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1)]
    index, region, shape = chunks[-1]
    assert region == (slice(16, 20), slice(10, 15)) and shape == (8, 10)


def test_chunks_tile_the_array_exactly_once() -> None:
    shape = (21, 16)
    edges = edges_from_metadata(_rect([[6, 3], 4], [[8, 2]]), shape)
    seen = np.zeros(shape, dtype=int)
    for _, region, _ in chunks_of(edges, shape):
        seen[region] += 1
    assert (seen == 1).all()


@pytest.mark.parametrize("spec, message", [
    ([5, 5, 5], "sum to 15"),
    ([[5, 0], 5, [5, 3]], "repeat count"),
    ([[5, -1], 10, [5, 3]], "repeat count"),
    ([5, 0, 10, 5], "edge length 0"),
    ([[5, 2, 1]], "must be"),
    ([True, 19], "edge length True"),
])
def test_broken_dimensions_are_refused(spec, message) -> None:
    with pytest.raises(StoreFormatError, match=message):
        edges_from_metadata(_rect(spec, 15), (20, 15))


def test_kind_other_than_inline_is_refused() -> None:
    grid = _rect(4, 4)
    grid["configuration"]["kind"] = "external"
    with pytest.raises(StoreFormatError, match="kind"):
        edges_from_metadata(grid, (8, 8))


def test_absurd_grid_is_refused_before_it_is_built() -> None:
    with pytest.raises(StoreFormatError, match="absurd"):
        edges_from_metadata(_rect(1, [[1, 2**40]]), (4, 2**40))
