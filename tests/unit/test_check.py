"""`check`: the implementations vote on a store no oracle knows."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.fake_adapters.faulty.specs import faulty
from tests.fake_adapters.voter.specs import voter
from zarr_conformance.adapters import registry
from zarr_conformance.cli import main
from zarr_conformance.commands.check import SHOWN, _first_line
from zarr_conformance.errors import ResultsSchemaError, StoreFormatError
from zarr_conformance.fixtures import golden
from zarr_conformance.fixtures.catalogue import by_id, catalogue
from zarr_conformance.reports import check_html, check_json
from zarr_conformance.runners import check as check_module
from zarr_conformance.runners import check_run as check_run_module
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


# Issue 9 item 7: several stores per run, one report, timings and memory.

def _three_stores(folder: Path) -> tuple[Path, Path, Path]:
    """A folder of stores, one of them broken, one nested deeper, and a store with a group inside it
    (which must not be taken for a store of its own)."""
    folder.mkdir(mode=0o755)
    first, second, broken = folder / "a.zarr", folder / "deeper" / "b.zarr", folder / "c.zarr"
    v2_array(first, "x", np.arange(4, dtype="<i4"), [2])
    v2_array(first, "inner/y", np.arange(3, dtype="<f8"), [3])
    (first / "inner" / ".zgroup").write_text('{"zarr_format": 2}')
    v2_array(second, "z", np.arange(5, dtype="<u2"), [5])
    broken.mkdir()
    (broken / ".zarray").write_text('{"zarr_format": 2, "shape": [3')
    for path in (folder, *folder.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)  # sandboxed readers run as nobody
    return first, second, broken


def test_find_stores_does_not_descend_into_a_store(tmp_path: Path) -> None:
    first, second, broken = _three_stores(tmp_path / "stores")
    assert check_run_module.find_stores(tmp_path / "stores") == [first, broken, second]
    assert check_run_module.find_stores(first) == [first]
    (tmp_path / "empty").mkdir()
    assert check_run_module.find_stores(tmp_path / "empty") == []


def test_a_folder_of_stores_is_one_run_and_a_bad_store_is_its_own_line(tmp_path: Path, cache: Path,
                                                                          monkeypatch) -> None:
    first, second, broken = _three_stores(tmp_path / "stores")
    started = []
    ready_all = check_module.ready_all
    monkeypatch.setattr(check_module, "ready_all", lambda specs, cache, mounts, *a: started.append(mounts) or
                        ready_all(specs, cache, mounts, *a))
    run = check_run_module.check_run([tmp_path / "stores"], [reference(), voter("honest")], cache, timeout=30)
    assert len(started) == 1 and set(started[0].read_only) == {first, second}  # once, every store mounted
    assert run.found == {str(tmp_path / "stores"): 3}
    by_path = {Path(s.path): s for s in run.stores}
    assert [n.path for n in by_path[first].nodes] == ["", "inner", "inner/y", "x"]
    assert [n.path for n in by_path[second].nodes] == ["", "z"]
    assert by_path[broken].error.endswith("not valid JSON (Expecting ',' delimiter: line 1 column 31 (char 30))")
    assert not by_path[broken].nodes and not by_path[first].failed and not by_path[second].failed and run.failed
    for node in by_path[first].nodes:
        assert {v.status for v in node.verdicts} == {CheckStatus.AGREES}, node
        assert node.seconds >= sum(v.seconds for v in node.verdicts) > 0
    assert by_path[first].seconds > 0
    peaks = {i["id"]: i["peak_rss_bytes"] for i in run.implementations}
    assert set(peaks) == {"reference", "voter-honest"}
    for impl, peak in peaks.items():  # each worker's own tree, measured from /proc: a Python worker is > 5 MiB
        assert isinstance(peak, int) and 5 * 2**20 < peak < 2**32, (impl, peak)
    assert run.harness_peak_rss_bytes > 20 * 2**20

    document = check_json.to_document(run)
    check_json.validate(document)
    assert document["kind"] == "check" and document["schema_version"] == 1
    assert [s["error"] != "" for s in document["stores"]] == [False, True, False]
    page = check_html.render(document)
    for store in run.stores:
        assert f"<code>{store.path}</code>" in page
        for node in store.nodes:
            assert f'data-path="{node.path}"' in page
    assert page.count('data-status="agrees"') == 2 * 6  # 6 nodes, 2 readers
    assert page.count('class="num tally">6 / 6<') == 2  # each reader: agrees / asked
    assert "not valid JSON" in page and "✓" in page


def test_the_check_json_schema_refuses_what_it_does_not_describe(tmp_path: Path, cache: Path) -> None:
    first, _, _ = _three_stores(tmp_path / "stores")
    document = check_json.to_document(check_run_module.check_run([first], [reference()], cache, timeout=30))
    check_json.validate(document)
    for flaw in ({"kind": "results"}, {"schema_version": 7}, {"stores": [{"path": "x"}]}):
        with pytest.raises(ResultsSchemaError):
            check_json.validate({**document, **flaw})
    bad = json.loads(json.dumps(document))
    bad["stores"][0]["nodes"][0]["verdicts"][0]["status"] = "pass"
    with pytest.raises(ResultsSchemaError, match="verdicts/0/status"):
        check_json.validate(bad)


def test_the_command_line_over_a_folder(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "500")  # rich wraps at the terminal's width: no line is cut here
    first, second, broken = _three_stores(tmp_path / "stores")
    assert main(["check", str(tmp_path / "stores"), "--impl", "reference", "--out", str(tmp_path / "out")]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / 'stores'}: not a store; 3 store(s) found below it" in out
    assert "not checked: " in out and "not valid JSON" in out
    assert "3 stores (1 not checked), 3 arrays, 3 groups; every reader asked read the consensus" in out
    assert re.search(r"time [0-9.]+ s \([0-9.]+ s getting the readers ready\); peak RSS: harness \d+ MiB, "
                     r"reference \d+ MiB", out)
    document = json.loads((tmp_path / "out" / "check.json").read_text())
    check_json.validate(document)
    assert (tmp_path / "out" / "check.html").read_text().count("<h2 class=\"store\"") == 3
    # `report` re-renders the page from the JSON alone
    (tmp_path / "out" / "check.html").unlink()
    assert main(["report", str(tmp_path / "out" / "check.json")]) == 0
    assert f"<code>{first}</code>" in (tmp_path / "out" / "check.html").read_text()
    # the good stores alone pass; the broken one alone stays bad input (exit 2, one line)
    assert main(["check", str(first), str(second), "--impl", "reference"]) == 0
    capsys.readouterr()
    assert main(["check", str(broken), "--impl", "reference"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_check_and_bench_take_implementation_sources(tmp_path: Path, capsys) -> None:
    first, _, _ = _three_stores(tmp_path / "stores")
    for verb in (["check", str(first)], ["bench", "-k", "v2/dtype/int32-le"]):
        assert main([*verb, "--impl", "reference@1.0"]) == 2
        assert "reference: cannot be built from version 1.0; it takes no other source" in capsys.readouterr().err
        assert main([*verb, "--impl", "reference", "--impl-source", f"reference={tmp_path / 'nowhere'}"]) == 2
        assert "no such file or folder" in capsys.readouterr().err
        assert main([*verb, "--impl", "zarr-python@"]) == 2
        assert "expected ID@VERSION" in capsys.readouterr().err
