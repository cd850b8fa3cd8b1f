"""`check`: the implementations vote on a store no oracle knows."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.fake_adapters.faulty.specs import faulty
from tests.fake_adapters.voter.specs import voter
from zarr_conformance.adapters import registry
from zarr_conformance.cli import main
from zarr_conformance.commands.check import SHOWN, _first_line
from zarr_conformance.errors import StoreFormatError
from zarr_conformance.fixtures import golden
from zarr_conformance.fixtures.catalogue import by_id, catalogue
from zarr_conformance.runners import check as check_module
from zarr_conformance.runners.check import CheckStatus, NodeCheck, check_store, discover, item_size
from zarr_conformance.runners.check_vote import attribute_difference, value_difference, vote
from zarr_conformance.runners.undefined import defined_region


@pytest.fixture(scope="module")
def store(cache: Path) -> Path:
    return golden.build(catalogue(), cache).store(by_id("v2/dtype/int32-le"))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A store folder the sandboxed readers may enter (as root they run as nobody; tmp_path is 0700)."""
    out = tmp_path / "s.zarr"
    out.mkdir(mode=0o755)
    return out


def reference() -> Any:
    return registry.discover()["reference"]


def v2_array(root: Path, path: str, values: np.ndarray, chunks: list[int], fill: Any = 0,
             absent: tuple[tuple[int, ...], ...] = (), attributes: dict[str, Any] | None = None) -> None:
    """An uncompressed v2 array written by hand, chunk by chunk, leaving out the `absent` chunks."""
    folder = root / path
    folder.mkdir(parents=True, exist_ok=True)
    (root / ".zgroup").write_text('{"zarr_format": 2}')
    (folder / ".zarray").write_text(json.dumps({
        "zarr_format": 2, "shape": list(values.shape), "chunks": chunks, "dtype": values.dtype.str,
        "compressor": None, "filters": None, "fill_value": fill, "order": "C"}))
    if attributes is not None:
        (folder / ".zattrs").write_text(json.dumps(attributes))  # NaN as Zarr writes it: a literal
    for index in np.ndindex(*[math.ceil(s / c) for s, c in zip(values.shape, chunks, strict=True)]):
        if index in absent:
            continue
        chunk = np.zeros(chunks, dtype=values.dtype)
        part = values[tuple(slice(i * c, (i + 1) * c) for i, c in zip(index, chunks, strict=True))]
        chunk[tuple(slice(0, n) for n in part.shape)] = part
        (folder / ".".join(map(str, index))).write_bytes(chunk.tobytes())


def verdicts(node: NodeCheck) -> dict[str, tuple[str, str]]:
    return {v.impl: (v.label(), v.message) for v in node.verdicts}


def test_the_odd_one_out_differs(store: Path, cache: Path) -> None:
    specs = [reference(), faulty("noisy"), faulty("wrong"), faulty("crash")]
    [_, array] = check_store(store, specs, cache, timeout=30)
    found = verdicts(array)
    assert found["reference"][0] == "agrees"
    assert found["faulty-noisy"][0] == "agrees"
    assert found["faulty-wrong"][0] == "differs (values)"
    assert found["faulty-wrong"][1].startswith("300 of 300 values differ; first at (0, 0)")
    assert found["faulty-crash"][0] == "crash"
    assert array.consensus == ("values: the reference decoder's answer, shared by faulty-noisy; attributes: the "
                               "reference decoder's answer, shared by faulty-noisy, faulty-wrong")


def test_discover_finds_nested_arrays(cache: Path) -> None:
    nested = golden.build(catalogue(), cache).store(by_id("v3/groups/nested"))
    fmt, arrays = discover(nested)
    assert fmt == 3
    assert [path for path, _ in arrays] == ["forecast/mask", "forecast/surface/pressure"]


def test_not_a_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreFormatError, match="is not a Zarr store"):
        discover(tmp_path)


# Item 1: every array reaches every reader.

def test_an_array_no_capability_claims_still_reaches_every_reader(root: Path, cache: Path) -> None:
    """A data type the catalogue and spec.py know nothing of (datetime64), and metadata the harness's
    parser refuses (a v2 structured dtype is a JSON list): every reader is asked all the same."""
    v2_array(root, "when", np.array(["2020-01-01", "NaT"], dtype="<M8[ns]"), [1])
    checks = check_store(root, [reference(), voter("honest"), voter("off")], cache, timeout=30)
    [when] = [c for c in checks if c.path == "when"]
    assert {v.impl: v.status for v in when.verdicts} == {
        "reference": CheckStatus.AGREES, "voter-honest": CheckStatus.AGREES, "voter-off": CheckStatus.DIFFERS}


def test_item_size_is_best_effort() -> None:
    assert item_size(2, {"dtype": "<U3"}) == (12, "")
    assert item_size(2, {"dtype": [["a", "<i4"], ["b", "<f8", [2]]]}) == (20, "")
    utf32 = {"name": "fixed_length_utf32", "configuration": {"length_bytes": 40}}
    assert item_size(3, {"data_type": utf32}) == (40, "")
    size, note = item_size(3, {"data_type": "string"})
    assert size == 8 and "8 bytes per element assumed" in note
    assert item_size(2, {"dtype": "|O"})[0] == 8


# Item 2: one odd array loses nothing else.

def test_a_harness_problem_with_one_array_is_its_row(root: Path, cache: Path, monkeypatch) -> None:
    v2_array(root, "odd", np.arange(4, dtype="<i4"), [2])
    v2_array(root, "plain", np.arange(4, dtype="<i4"), [2])
    real = check_module.defined_region

    def broken_for_odd(store: Path, path: str, fmt: int, doc: dict[str, Any], box: Any = None) -> Any:
        if path == "odd":
            raise KeyError("a harness bug")
        return real(store, path, fmt, doc, box)

    monkeypatch.setattr(check_module, "defined_region", broken_for_odd)
    checks = {c.path: c for c in check_store(root, [reference()], cache, timeout=30)}
    assert checks["odd"].problem == "harness could not check it: KeyError: 'a harness bug'"
    assert checks["odd"].failed
    assert [v.status for v in checks["plain"].verdicts] == [CheckStatus.AGREES] and not checks["plain"].failed


def test_odd_v2_dtypes_each_get_their_own_row(root: Path, cache: Path) -> None:
    """Strings of numpy's fixed width (both byte orders), dates, records: no traceback, one row each."""
    v2_array(root, "text", np.array(["a", "bb", "ccc"], dtype="<U3"), [2], fill="")
    v2_array(root, "text-be", np.array(["a", "bb", "ccc"], dtype=">U3"), [2], fill="")
    v2_array(root, "dates", np.array(["2020-01-01", "NaT"], dtype="<M8[ns]"), [1])
    records = np.array([(1, 2.5), (3, np.nan)], dtype=[("a", "<i4"), ("b", "<f8")])
    v2_array(root, "records", records, [1])
    zarray = json.loads((root / "records" / ".zarray").read_text())
    (root / "records" / ".zarray").write_text(json.dumps({**zarray, "dtype": [["a", "<i4"], ["b", "<f8"]]}))
    checks = {c.path: c for c in check_store(root, [reference(), voter("honest")], cache, timeout=30)}
    assert sorted(checks) == ["", "dates", "records", "text", "text-be"]
    for path in ("text", "text-be", "dates"):
        assert [v.status for v in checks[path].verdicts] == [CheckStatus.AGREES] * 2, (path, checks[path])
    # The reference decoder reads no structured dtype: it abstains, and the voter (its decoder) fails.
    assert {v.impl: v.status for v in checks["records"].verdicts} == {
        "reference": CheckStatus.UNSUPPORTED, "voter-honest": CheckStatus.ERROR}
    assert not checks["records"].problem


# Item 3: the vote.

def test_the_reference_decoders_answer_is_the_consensus_even_alone() -> None:
    same = lambda a, b: a == b  # noqa: E731
    found = vote({"reference": 1, "x": 2, "y": 2}, same, "")
    assert found.members == ["reference"] and "no other reader read the same" in found.how


def test_without_the_reference_a_strict_majority_of_two_or_more() -> None:
    same = lambda a, b: a == b  # noqa: E731
    said = "read nothing: error, StoreFormatError: no"
    assert vote({"x": 1, "y": 1, "z": 2}, same, said).members == ["x", "y"]
    lone = vote({"x": 1}, same, said)
    assert lone.members == [] and lone.how.startswith("no consensus: only x returned values, nothing confirms")
    split = vote({"x": 1, "y": 2}, same, said)
    assert split.members == [] and "2 readers gave 2 different answers" in split.how
    assert vote({"w": 1, "x": 1, "y": 2, "z": 2}, same, said).members == []


def test_a_lone_reader_is_not_shown_as_agreeing(root: Path, cache: Path) -> None:
    """The reference decoder rejects the store (a chunk too short) and one reader returns values."""
    v2_array(root, "a", np.arange(4, dtype="<i4"), [2])
    (root / "a" / "0").write_bytes(b"short")
    [_, array] = check_store(root, [reference(), voter("blind")], cache, timeout=30)
    found = verdicts(array)
    assert found["reference"][0] == "error" and "StoreFormatError" in found["reference"][1]
    assert found["voter-blind"] == ("no-consensus", "no consensus on values and attributes to compare with")
    assert array.consensus.startswith("values and attributes: no consensus: only voter-blind returned values, "
                                      "nothing confirms them (the reference decoder read nothing: error, "
                                      "StoreFormatError")
    assert array.failed


def test_the_reference_decoder_has_no_vote_on_what_it_does_not_read(root: Path, cache: Path) -> None:
    """An unknown codec: the reference decoder abstains (unsupported), and the others still vote."""
    v2_array(root, "a", np.arange(4, dtype="<i4"), [2])
    zarray = json.loads((root / "a" / ".zarray").read_text())
    (root / "a" / ".zarray").write_text(json.dumps({**zarray, "compressor": {"id": "not-a-codec"}}))
    [_, array] = check_store(root, [reference(), voter("blind")], cache, timeout=30)
    found = verdicts(array)
    assert found["reference"][0] == "unsupported"
    assert found["reference"][1].startswith("no vote, it does not read this: UnknownCodecError")
    assert found["voter-blind"][0] == "no-consensus"


def test_absent_chunks_of_a_null_fill_array_are_not_voted_on(root: Path, cache: Path) -> None:
    v2_array(root, "a", np.arange(8, dtype="<f8"), [4], fill=None, absent=((1,),))
    defined, note = defined_region(root, "a", 2, json.loads((root / "a" / ".zarray").read_text()))
    assert defined is not None and defined.tolist() == [True] * 4 + [False] * 4
    assert note.startswith("fill_value is null and 1 of 2 chunks are absent: their 4 values are undefined")
    [_, array] = check_store(root, [reference(), voter("undefined"), voter("off")], cache, timeout=30)
    found = verdicts(array)
    assert found["voter-undefined"][0] == "agrees"  # 99 where nothing is defined is no difference
    assert found["voter-off"][0] == "differs (values)" and found["voter-off"][1].startswith("4 of 4 values differ")
    assert note in array.notes


def test_value_difference_leaves_undefined_values_out() -> None:
    a, b = np.array([1.0, np.nan, 3.0]), np.array([1.0, np.nan, 4.0])
    assert value_difference(a, b, None) == "1 of 3 values differ; first at (2,): 4.0 where the consensus has 3.0"
    assert value_difference(a, b, np.array([True, True, False])) is None
    dates = np.array(["2020-01-01", "NaT"], dtype="<M8[ns]")
    assert value_difference(dates, dates.astype(">M8[ns]"), None) is None  # NaT is NaT; byte order is storage
    assert value_difference(np.array(["ab"], "<U2"), np.array(["ab"], dtype=object), None) is None
    assert value_difference(a, a.astype("<f4"), None) == "dtype <f4 where the consensus has <f8"


def test_every_status_but_agreement_fails_the_check(root: Path, cache: Path) -> None:
    v2_array(root, "a", np.arange(4, dtype="<i4"), [2])
    [group, array] = check_store(root, [reference(), voter("honest"), voter("refuse")], cache, timeout=30)
    found = {v.impl: v.status for v in array.verdicts}
    assert found == {"reference": CheckStatus.AGREES, "voter-honest": CheckStatus.AGREES,
                     "voter-refuse": CheckStatus.ERROR}
    assert array.failed and group.failed
    assert main(["check", str(root), "--impl", "reference"]) == 0
    nobody = NodeCheck("a", 2, [4], "<i4", verdicts=[check_module.Verdict("x", CheckStatus.UNAVAILABLE, "")])
    assert nobody.failed  # nothing confirmed
    assert not NodeCheck("a", 2, [4], "<i4", verdicts=[check_module.Verdict("x", CheckStatus.SKIPPED)]).failed
    (root / "a" / "0").write_bytes(b"short")  # the reference decoder now refuses the chunk
    assert main(["check", str(root), "--impl", "reference"]) == 1


# Item 5: attributes.

def test_attributes_are_voted_and_nan_equals_nan(root: Path, cache: Path) -> None:
    attributes = {"missing": float("nan"), "big": float("inf"), "units": "K"}
    v2_array(root, "a", np.arange(4, dtype="<i4"), [2], attributes=attributes)
    (root / ".zattrs").write_text('{"title": NaN}')
    checks = check_store(root, [reference(), voter("honest"), voter("attributes")], cache, timeout=30)
    for node in checks:
        found = verdicts(node)
        assert found["reference"][0] == found["voter-honest"][0] == "agrees", node
        assert found["voter-attributes"][0] == "differs (attributes)"
        assert found["voter-attributes"][1] == ("attributes differ in 1 key(s): 'added': \"by voter\" where the "
                                                "consensus has \"<absent>\" (consensus: reference, voter-honest)")
    assert attribute_difference({"x": float("nan")}, {"x": float("nan")}) is None
    assert attribute_difference({"x": float("nan")}, {"x": "NaN"}) is not None  # a string is not a number


def test_the_table_shows_a_whole_first_line() -> None:
    cause = "ValueError: " + "x" * 480
    assert _first_line(cause + "\nmore") == cause
    long = "y" * (SHOWN + 50)
    assert _first_line(long) == "y" * SHOWN + "... (all of it in --json)"


# One real reader: a store zarr-python 2 made with its own API, read back by it and the reference.

MAKE_WITH_ZARR_PYTHON_2 = """
import sys, numcodecs, numpy as np, zarr
g = zarr.open_group(sys.argv[1], mode="w")
g.attrs["missing"] = float("nan")
g.create_dataset("names", data=np.array(["a", "bb", "ccc"], dtype=object), object_codec=numcodecs.VLenUTF8(),
                 chunks=2)
g.create_dataset("dates", data=np.array(["2020-01-01", "NaT"], dtype="<M8[ns]"), chunks=1)
g.create_dataset("packed", data=np.arange(6, dtype="<i2"), chunks=4, compressor=numcodecs.BZ2())
"""


def test_a_zarr_python_2_store_with_odd_arrays(root: Path, cache: Path) -> None:
    import subprocess

    from zarr_conformance.adapters.launchers import get_launcher

    spec = registry.discover()["zarr-python-2"]
    python = get_launcher("venv").prepare(spec, cache).argv[0]
    subprocess.run([python, "-c", MAKE_WITH_ZARR_PYTHON_2, str(root)], check=True, timeout=120)
    checks = {c.path: c for c in check_store(root, [reference(), spec], cache, timeout=60)}
    for path in ("", "names", "dates"):  # the group's NaN attribute, text, dates (with a NaT)
        assert [v.status for v in checks[path].verdicts] == [CheckStatus.AGREES] * 2, checks[path]
    packed = {v.impl: v.status for v in checks["packed"].verdicts}  # bz2: beyond the reference decoder
    assert packed == {"reference": CheckStatus.UNSUPPORTED, "zarr-python-2": CheckStatus.NO_CONSENSUS}
    assert "names" in checks and not any(c.problem for c in checks.values())
