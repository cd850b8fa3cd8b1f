"""`check` on stores as they come: consolidated metadata, zips, implicit groups, NCZarr, v3 drafts.

The stores under tests/data/check_stores/ were made by the implementations themselves (make.sh there:
zarr-python 2.18, zarr-python 3, netCDF-C's ncgen); each test edits a copy."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest

from zarr_conformance.adapters import registry
from zarr_conformance.cli import main
from zarr_conformance.errors import StoreEscapeError, StoreFormatError
from zarr_conformance.runners import check_zip
from zarr_conformance.runners.check import CheckStatus, check_store
from zarr_conformance.runners.check_open import OpenedStore, open_folder, open_store
from zarr_conformance.runners.check_run import find_stores
from zarr_conformance.runners.check_zip import unpack

DATA = Path(__file__).parents[1] / "data" / "check_stores"


def copy(name: str, tmp_path: Path) -> Path:
    """A copy of a store of tests/data/check_stores the sandboxed readers may enter."""
    target = tmp_path / "stores" / name
    shutil.copytree(DATA / name, target) if (DATA / name).is_dir() else (
        target.parent.mkdir(parents=True), shutil.copy(DATA / name, target))
    for folder, _, files in os.walk(tmp_path / "stores"):
        os.chmod(folder, 0o755)
        for file in files:
            os.chmod(Path(folder) / file, 0o644)
    return target


def kinds(opened: OpenedStore) -> dict[str, str]:
    return {path: kind for path, kind, _ in opened.nodes}


def reference() -> Any:
    return registry.discover()["reference"]


# Consolidated metadata, v2 (.zmetadata by zarr-python 2) and v3 (inline, by zarr-python 3).

def test_a_fresh_v2_consolidation_says_nothing(tmp_path: Path) -> None:
    opened = open_folder(copy("v2-consolidated.zarr", tmp_path))
    assert kinds(opened) == {"": "group", "sub": "group", "a": "array", "sub/b": "array"}
    assert opened.notes == {}


def test_v2_nodes_known_only_from_zmetadata_are_found(tmp_path: Path) -> None:
    """A cloud export whose only metadata is .zmetadata: every node is still found, and each says why."""
    store = copy("v2-consolidated.zarr", tmp_path)
    for name in (".zgroup", ".zattrs", "a/.zarray", "a/.zattrs", "sub/.zgroup", "sub/b/.zarray"):
        (store / name).unlink()
    opened = open_folder(store)
    assert kinds(opened) == {"": "group", "sub": "group", "a": "array", "sub/b": "array"}
    assert [doc["shape"] for path, _, doc in opened.nodes if path == "a"] == [[6]]
    for path in ("", "a", "sub", "sub/b"):
        assert opened.notes[path] == ["no node document in the store: known only from the consolidated metadata "
                                      "(.zmetadata); a reader that does not open consolidated metadata does not "
                                      "see this node"]


def test_a_stale_v2_consolidation_is_said_on_each_node(tmp_path: Path) -> None:
    store = copy("v2-consolidated.zarr", tmp_path)
    zarray = json.loads((store / "a" / ".zarray").read_text())
    (store / "a" / ".zarray").write_text(json.dumps({**zarray, "shape": [8]}))  # resized after consolidating
    (store / "a" / ".zattrs").write_text('{"units": "km"}')
    (store / "late").mkdir()
    (store / "late" / ".zarray").write_text(json.dumps(zarray))  # added after consolidating
    opened = open_folder(store)
    assert "late" in kinds(opened)
    assert opened.notes["late"] == ["not in the consolidated metadata (.zmetadata): a reader that opens consolidated "
                                    "metadata does not see this node"]
    [shape, attributes] = opened.notes["a"]
    assert shape.startswith("the consolidated metadata (.zmetadata) differs from the node document: 'shape' is [6] "
                            "there, [8] in the document; readers that open consolidated metadata see the former")
    assert attributes == ("the consolidated metadata (.zmetadata) holds other attributes than .zattrs: 'units' is "
                          "\"m\" there, \"km\" in the document")
    assert "" not in opened.notes and "sub/b" not in opened.notes


def test_a_fresh_v3_consolidation_says_nothing(tmp_path: Path) -> None:
    """zarr-python 3 gives each consolidated group an empty consolidated_metadata of its own: no difference."""
    opened = open_folder(copy("v3-consolidated.zarr", tmp_path))
    assert kinds(opened) == {"": "group", "x": "group", "x/y": "group", "a": "array", "x/y/b": "array"}
    assert opened.notes == {}


def test_a_stale_v3_consolidation_and_a_node_only_it_knows(tmp_path: Path) -> None:
    store = copy("v3-consolidated.zarr", tmp_path)
    doc = json.loads((store / "a" / "zarr.json").read_text())
    (store / "a" / "zarr.json").write_text(json.dumps({**doc, "attributes": {"units": "km"}}))
    (store / "x" / "y" / "b" / "zarr.json").unlink()
    opened = open_folder(store)
    assert kinds(opened)["x/y/b"] == "array"  # from the root's consolidated_metadata
    assert opened.notes["x/y/b"][0].startswith("no node document in the store: known only from the consolidated "
                                               "metadata (zarr.json's consolidated_metadata)")
    assert opened.notes["a"] == ["the consolidated metadata (zarr.json's consolidated_metadata) differs from the node "
                                 "document: 'attributes' is {\"units\": \"m\"} there, {\"units\": \"km\"} in the "
                                 "document; readers that open consolidated metadata see the former, the others the "
                                 "latter"]


@pytest.mark.parametrize("key", ["../outside", "/etc", "a/./b", "a//b"])
def test_consolidated_metadata_naming_a_place_outside_the_store_is_refused(tmp_path: Path, key: str) -> None:
    """Readers are asked about the nodes it names: a path out of the store never reaches them."""
    store = copy("v3-consolidated.zarr", tmp_path)
    root = json.loads((store / "zarr.json").read_text())
    root["consolidated_metadata"]["metadata"][key] = {"zarr_format": 3, "node_type": "group"}
    (store / "zarr.json").write_text(json.dumps(root))
    said = re.escape(f"zarr.json: refused, its consolidated metadata names {key!r}")
    with pytest.raises(StoreEscapeError, match=said):
        open_folder(store)
    v2 = copy("v2-consolidated.zarr", tmp_path)
    zmetadata = json.loads((v2 / ".zmetadata").read_text())
    zmetadata["metadata"][f"{key}/.zarray"] = {}
    (v2 / ".zmetadata").write_text(json.dumps(zmetadata))
    with pytest.raises(StoreEscapeError, match=r"\.zmetadata: refused"):
        open_folder(v2)


def test_every_reader_is_asked_about_a_node_only_the_consolidation_knows(tmp_path: Path, cache: Path) -> None:
    store = copy("v3-consolidated.zarr", tmp_path)
    (store / "x" / "y" / "b" / "zarr.json").unlink()
    checks = {c.path: c for c in check_store(store, [reference()], cache, timeout=60)}
    b = checks["x/y/b"]
    assert [v.impl for v in b.verdicts] == ["reference"]  # asked, and its answer is the finding
    assert b.notes[0].startswith("no node document in the store")
    assert [v.status for v in checks["a"].verdicts] == [CheckStatus.AGREES]


# Zip stores.

def test_a_zarr_python_zip_store_is_unpacked_and_checked(tmp_path: Path, cache: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """zarr-python 3's ZipStore appends a rewritten a/zarr.json: the zip holds that name twice."""
    folders: list[Path] = []

    def watched(store: Path, into: Path) -> Any:
        folders.append(into)
        return unpack(store, into)

    monkeypatch.setattr(check_zip, "unpack", watched)
    checks = {c.path: c for c in check_store(copy("v3-store.zip", tmp_path), [reference()], cache, timeout=60)}
    assert sorted(checks) == ["", "a"]
    assert [v.status for v in checks["a"].verdicts] == [CheckStatus.AGREES]
    [unpacked, twice] = checks[""].notes
    assert unpacked == "read from the zip v3-store.zip: every reader read a copy unpacked by the harness, not the zip"
    assert twice.startswith("the zip holds 1 name(s) more than once (a/zarr.json): the last copy was unpacked")
    assert folders and folders[0].parent.parent == cache and not folders[0].parent.exists()  # gone with the check


def test_a_zipped_folder_is_the_store_in_it(tmp_path: Path) -> None:
    source = copy("v2-consolidated.zarr", tmp_path)
    zipped = tmp_path / "folder.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for path in sorted(source.rglob("*")):
            archive.write(path, f"v2-consolidated.zarr/{path.relative_to(source).as_posix()}")
    opened = open_store(zipped, tmp_path / "unpacked")
    assert opened.folder == tmp_path / "unpacked" / "v2-consolidated.zarr"
    assert "sub/b" in kinds(opened)


def hostile(tmp_path: Path, name: str, data: bytes = b"{}", mode: int | None = None) -> Path:
    zipped = tmp_path / "hostile.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("zarr.json", '{"zarr_format": 3, "node_type": "group"}')
        info = zipfile.ZipInfo(name)
        if mode is not None:
            info.external_attr = mode << 16
        archive.writestr(info, data)
    return zipped


@pytest.mark.parametrize(("name", "mode", "said"), [
    ("/etc/zarr.json", None, "'/etc/zarr.json' is an absolute name"),
    ("a/../../outside", None, "'a/../../outside' leads out of the store ('..')"),
    ("a\\..\\..\\outside", None, "leads out of the store ('..')"),
    ("link", stat.S_IFLNK | 0o777, "'link' is a symbolic link"),
])
def test_a_hostile_zip_is_refused_before_anything_is_unpacked(tmp_path: Path, name: str, mode: int | None,
                                                              said: str) -> None:
    with pytest.raises(StoreEscapeError, match="refused, the zip entry .*" + re.escape(said)):
        unpack(hostile(tmp_path, name, mode=mode), tmp_path / "unpacked")
    assert not (tmp_path / "unpacked").exists()


def test_a_zip_bomb_stops_at_the_limit(tmp_path: Path) -> None:
    bomb = hostile(tmp_path, "a/c/0", b"\0" * 2**20)
    with pytest.raises(StoreFormatError, match=r"declare 1\.0 MiB unpacked, above the 0\.5 MiB limit for a zip store"):
        unpack(bomb, tmp_path / "unpacked", limit=2**19)


def test_a_zip_that_understates_its_sizes_still_stops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Declared sizes can lie: zipfile stops at the declared size (and then fails the CRC), and the harness
    counts the bytes as they come out besides."""
    bomb = hostile(tmp_path, "a/c/0", b"\0" * 2**20)
    real = zipfile.ZipFile.infolist

    def understated(self: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
        infos = real(self)
        for info in infos:
            if info.file_size > 1000:
                info.file_size = 10  # what the header claims, not what inflates
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", understated)
    with pytest.raises(StoreFormatError, match=r"not a readable zip \(Bad CRC-32 for file 'a/c/0'\)"):
        unpack(bomb, tmp_path / "unpacked", limit=2**19)
    assert sum(f.stat().st_size for f in (tmp_path / "unpacked").rglob("*") if f.is_file()) <= 2**19


def test_the_cli_takes_a_zip_and_refuses_a_hostile_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(copy("v3-store.zip", tmp_path)), "--impl", "reference"]) == 0
    assert main(["check", str(hostile(tmp_path, "../x")), "--impl", "reference"]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()[-1:]
    assert line.endswith("refused, the zip entry '../x' leads out of the store ('..')")


# v3 stores without a root document (implicit groups).

def test_implicit_groups_are_found_and_asked_about(tmp_path: Path, cache: Path) -> None:
    store = copy("v3-nested.zarr", tmp_path)
    (store / "zarr.json").unlink()
    (store / "x" / "zarr.json").unlink()
    opened = open_folder(store)
    assert kinds(opened) == {"": "group", "x": "group", "x/y": "group", "a": "array", "x/y/b": "array"}
    for path in ("", "x"):
        assert opened.notes[path][0].startswith("implicit group: no zarr.json here, only nodes below it")
    assert "x/y" not in opened.notes
    checks = {c.path: c for c in check_store(store, [reference()], cache, timeout=60)}
    assert [v.impl for v in checks[""].verdicts] == ["reference"]  # the root is asked about too
    assert [v.status for v in checks["x/y/b"].verdicts] == [CheckStatus.AGREES]


def test_a_folder_without_any_document_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "a" / "c").mkdir(parents=True)
    with pytest.raises(StoreFormatError, match="is not a Zarr store: no zarr.json, .zgroup, .zarray or .zmetadata"):
        open_folder(tmp_path)


# NCZarr.

def test_nczarr_keys_by_netcdf_c_are_named(tmp_path: Path) -> None:
    opened = open_folder(copy("nczarr.file", tmp_path))
    assert kinds(opened) == {"": "group", "t": "array"}
    assert opened.notes["t"] == [
        "NCZarr metadata present (keys _NCZARR_ARRAY in the node's document): only netCDF-C reads them",
        "attributes _NCZARR_ATTR are NCZarr's own metadata: netCDF-C hides them, every other reader shows them as "
        "ordinary attributes, so the attribute vote differs on them"]
    assert opened.notes[""][1] == (
        "attributes _NCZARR_ATTR are NCZarr's own metadata, and _NCProperties is netCDF-4's provenance: netCDF-C hides "
        "them, every other reader shows them as ordinary attributes, so the attribute vote differs on them")


def test_netcdf_c_pure_zarr_mode_names_only_its_provenance(tmp_path: Path) -> None:
    opened = open_folder(copy("zarr-by-netcdf.file", tmp_path))
    assert "t" not in opened.notes
    assert opened.notes[""] == [
        "attribute _NCProperties is netCDF-4's provenance (netCDF-C wrote this node, in its pure Zarr mode=zarr as it "
        "carries no NCZarr keys): netCDF-C hides it, every other reader shows it as an ordinary attribute, so the "
        "attribute vote differs on it"]


def test_nczarr_keys_in_zattrs_as_later_netcdf_c_writes_them(tmp_path: Path) -> None:
    """netCDF-C after 4.9.0 moved its keys into .zattrs, in lower case (docs/nczarr.md, "Zarr vs NCZarr"):
    made by hand from ncgen 4.9.0's store, the keys moved as the section says."""
    store = copy("nczarr.file", tmp_path)
    for folder, kind in ((store, ".zgroup"), (store / "t", ".zarray")):
        doc = json.loads((folder / kind).read_text())
        attributes = json.loads((folder / ".zattrs").read_text())
        moved = {k.lower(): doc.pop(k) for k in list(doc) if k.startswith("_NCZARR")}
        attributes = {**{k.lower() if k.startswith("_NCZARR") else k: v for k, v in attributes.items()}, **moved}
        (folder / kind).write_text(json.dumps(doc))
        (folder / ".zattrs").write_text(json.dumps(attributes))
    opened = open_folder(store)
    assert opened.notes["t"] == ["attributes _nczarr_array, _nczarr_attr are NCZarr's own metadata: netCDF-C hides "
                                 "them, every other reader shows them as ordinary attributes, so the attribute vote "
                                 "differs on them"]
    assert opened.notes[""][0].startswith("attributes _nczarr_attr, _nczarr_group, _nczarr_superblock are NCZarr's "
                                          "own metadata, and _NCProperties is netCDF-4's provenance")


def test_nczarr_version_1_objects_are_not_nodes(tmp_path: Path) -> None:
    """netCDF-C 4.8's layout, which current netCDF-C no longer writes, by hand after netcdf-c docs/nczarr.md,
    "Appendix F. NCZarr Version 1 Meta-Data Representation": .nczarr, .nczgroup, .nczarray, .nczattr objects
    beside the Zarr ones, holding what _nczarr_superblock, _nczarr_group, _nczarr_array, _nczarr_attr hold;
    .nczarr as netCDF-C's writer filled it (zarr_format and nczarr_version)."""
    store = copy("zarr-by-netcdf.file", tmp_path)
    (store / ".nczarr").write_text('{"zarr_format": 2, "nczarr_version": "1.0.0"}')
    (store / ".nczgroup").write_text('{"dims": {"x": 4}, "vars": ["t"], "groups": []}')
    (store / ".nczattr").write_text('{"types": {"title": "<U1"}}')
    (store / "t" / ".nczarray").write_text('{"dimrefs": ["/x"], "storage": "chunked"}')
    (store / "t" / ".nczattr").write_text('{"types": {"units": "<U1", "scale": "<f8"}}')
    opened = open_folder(store)
    assert kinds(opened) == {"": "group", "t": "array"}
    assert opened.notes["t"] == ["NCZarr metadata present (legacy objects .nczarray, .nczattr, NCZarr version 1 as "
                                 "netCDF-C 4.8 wrote it): not nodes; only netCDF-C reads them"]
    assert opened.notes[""][0].startswith("NCZarr metadata present (legacy objects .nczarr, .nczgroup, .nczattr,")
    assert opened.notes[""][1].startswith("attribute _NCProperties is netCDF-4's provenance: netCDF-C hides it")


# Pre-release v3 drafts.

def test_a_zarr_python_2_v3_draft_store_is_refused_with_what_to_do(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    store = copy("v3-draft.zarr", tmp_path)
    with pytest.raises(StoreFormatError) as raised:
        open_folder(store)
    said = str(raised.value)
    assert "a pre-release Zarr v3 draft store (zarr.json names the protocol https://purl.org/zarr/spec/protocol/" \
           "core/3.0; its node documents are meta/root/**.group.json and .array.json" in said
    assert "the final Zarr v3 spec and its readers do not read it; re-write it with a current implementation" in said
    assert main(["check", str(store), "--impl", "reference"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_a_draft_without_its_root_document_is_still_recognised(tmp_path: Path) -> None:
    store = copy("v3-draft.zarr", tmp_path)
    (store / "zarr.json").unlink()
    with pytest.raises(StoreFormatError, match=r"pre-release Zarr v3 draft store \(its node documents are meta/root/"):
        open_folder(store)


# A progress line per node.

def test_a_progress_line_per_node_on_stderr_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = copy("v2-consolidated.zarr", tmp_path)
    out = tmp_path / "out.json"
    assert main(["check", str(store), "--impl", "reference", "--json", str(out)]) == 0
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["[1/4] / (v2, group)", "[2/4] /sub (v2, group)",
                                                      "[3/4] /a (v2, [6] <i4)", "[4/4] /sub/b (v2, [5] <f8)"]
    assert all(" 1 readers, " in line and line.endswith(" s") for line in lines)
    assert "[1/4]" not in captured.out
    assert [n["path"] for n in json.loads(out.read_text())["stores"][0]["nodes"]] == ["", "sub", "a", "sub/b"]


def test_a_folder_of_stores_finds_zips_and_implicit_group_stores_whole(tmp_path: Path) -> None:
    """A zip among the stores is one store; a *.zarr folder without a root document is one store with
    implicit groups, not a folder of the arrays below it."""
    copy("v3-store.zip", tmp_path)
    implicit = copy("v3-nested.zarr", tmp_path)
    (implicit / "zarr.json").unlink()
    plain = copy("v2-consolidated.zarr", tmp_path)
    assert find_stores(tmp_path / "stores") == sorted([implicit, plain, tmp_path / "stores" / "v3-store.zip"])
    renamed = implicit.rename(tmp_path / "stores" / "v3-nested")  # no store name: a folder of stores again
    assert renamed not in find_stores(tmp_path / "stores")
