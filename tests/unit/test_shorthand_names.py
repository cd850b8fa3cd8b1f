"""v3 extensions may be given by a short-hand name ("crc32c" for {"name": "crc32c"}; core spec,
"Extension definition"): zarrs writes codecs without configuration that way. The reference decoder
and the metadata reader must take both spellings alike."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from zarr_conformance.fixtures import decoder, encoder
from zarr_conformance.fixtures.cases import ArrayNode
from zarr_conformance.fixtures.metadata import node_from_metadata
from zarr_conformance.fixtures.tags import codec_ids

SHARD = {"name": "sharding_indexed", "configuration": {
    "chunk_shape": [2, 2], "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}],
    "index_codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}],
    "index_location": "end"}}


def _shorten(codecs: list) -> list:
    out = []
    for codec in codecs:
        if codec["name"] == "sharding_indexed":
            conf = codec["configuration"]
            codec = {**codec, "configuration": {**conf, "codecs": _shorten(conf["codecs"]),
                                                "index_codecs": _shorten(conf["index_codecs"])}}
        out.append(codec["name"] if codec.get("configuration") is None else codec)
    return out


def test_short_hand_codec_names_decode_like_objects(tmp_path: Path) -> None:
    node = ArrayNode(path="", shape=(4, 6), chunks=(4, 4), dtype="|u1", fill_value=7, codecs=(SHARD,))
    values = np.arange(24, dtype="u1").reshape(4, 6)
    encoder.write_store(tmp_path, 3, (node,), {"": values})
    doc = json.loads((tmp_path / "zarr.json").read_text())
    doc["codecs"] = _shorten(doc["codecs"])
    doc["chunk_key_encoding"] = "default"
    assert "crc32c" in doc["codecs"][0]["configuration"]["codecs"]  # the short form is really in the file
    (tmp_path / "zarr.json").write_text(json.dumps(doc))

    _, decoded = decoder.read_array(tmp_path, "", 3)
    np.testing.assert_array_equal(decoded, values)
    written = node_from_metadata(3, "", doc)
    assert codec_ids(written) == ["sharding_indexed", "bytes", "crc32c"]
    assert (written.chunk_key_encoding, written.chunk_key_separator) == ("default", "/")
