"""Hostile stores: links and keys that lead out of the store. The reference decoder and `check`
refuse them with their own error, and nothing outside the store is read or changed."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from zarr_conformance.cli import main
from zarr_conformance.errors import StoreEscapeError, StoreFormatError
from zarr_conformance.fixtures import confine, decoder, golden
from zarr_conformance.fixtures.catalogue import by_id
from zarr_conformance.fixtures.edits import MARKER, outside_dir
from zarr_conformance.fixtures.negative import escape_cases

ESCAPES = escape_cases()


@pytest.fixture(scope="module")
def built(cache: Path) -> golden.GoldenSet:
    return golden.build(tuple(ESCAPES), cache)


def _read(store: Path, case) -> list[dict]:
    return decoder.read_nodes(store, case.zarr_format, [(n.path, n.kind) for n in case.nodes])


@pytest.mark.parametrize("case", ESCAPES, ids=lambda c: c.id)
def test_the_way_out_leads_to_the_marker(case, built: golden.GoldenSet) -> None:
    """The hostile store works: what lies outside carries the marker, so a reader that follows is caught."""
    outside = outside_dir(built.store(case))
    assert outside.is_dir() and not outside.is_relative_to(built.store(case))
    marker = MARKER.to_bytes(4, "little")
    contents = [p.read_bytes() for p in outside.iterdir()]
    assert all(marker in c or str(MARKER).encode() in c for c in contents)


@pytest.mark.parametrize("case", ESCAPES, ids=lambda c: c.id)
def test_reference_decoder_refuses_with_its_own_error(case, built: golden.GoldenSet) -> None:
    with pytest.raises(StoreEscapeError, match="leads? out of the store|link out of the store"):
        _read(built.store(case), case)


@pytest.mark.parametrize("key", ["../x", "data/../../x", "/etc/passwd", "data/\0", "a\\..\\b", "data/../.."])
def test_keys_that_climb_out_are_refused(key: str, tmp_path: Path) -> None:
    with pytest.raises(StoreEscapeError):
        confine.inside(tmp_path, key)


def test_links_that_stay_inside_are_followed(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "chunk").write_bytes(b"x")
    (tmp_path / "b").symlink_to("a")
    assert confine.inside(tmp_path, "b/chunk") == (tmp_path / "a" / "chunk").resolve()
    (tmp_path / "out").symlink_to("/etc")
    with pytest.raises(StoreEscapeError, match="link out of the store"):
        confine.inside(tmp_path, "out/passwd")


@pytest.mark.parametrize("separator", ["/../", "..", "/x/\0", ".\\"])
def test_separators_that_climb_are_their_own_error(separator: str) -> None:
    with pytest.raises(StoreEscapeError, match="would lead out of the store"):
        confine.check_separator(separator, Path("zarr.json"))
    with pytest.raises(StoreFormatError, match="must be '.' or '/'"):
        confine.check_separator("_", Path("zarr.json"))


def test_an_absolute_link_to_a_host_file_is_refused(built: golden.GoldenSet, tmp_path: Path) -> None:
    store = tmp_path / "s.zarr"
    shutil.copytree(built.store(by_id("v2/reject/escape-chunk-link")), store, symlinks=True)
    for p in [store, *store.rglob("*")]:
        if not p.is_symlink():
            p.chmod(0o755 if p.is_dir() else 0o644)
    link = store / "data" / "0.0"
    link.unlink()
    link.symlink_to("/etc/passwd")
    case = by_id("v2/reject/escape-chunk-link")
    with pytest.raises(StoreEscapeError, match="/etc/passwd"):
        _read(store, case)
    assert confine.escapes(store) == ["data/0.0 is a link out of the store (to /etc/passwd)"]


@pytest.mark.parametrize("case", ESCAPES, ids=lambda c: c.id)
def test_check_refuses_the_store_before_asking_any_reader(case, built: golden.GoldenSet, capsys) -> None:
    assert main(["check", str(built.store(case)), "--impl", "reference"]) == 2
    err = capsys.readouterr().err
    assert "refused, it leads out of itself" in err
    assert len(err.strip().splitlines()) == 1


def test_manifest_records_links_without_following_them(built: golden.GoldenSet) -> None:
    files = json.loads((built.root / golden.MANIFEST).read_text())["files"]
    link = files["v2/reject/escape-chunk-link.zarr/data/0.0"]
    assert link == "link:../../escape-chunk-link.zarr.outside/chunk"
    assert golden.verify(built) == []


def test_read_only_marking_leaves_link_targets_alone(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("host file")
    victim.chmod(0o640)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "link").symlink_to(victim)
    golden._make_read_only(tree)
    golden._make_writable(tree)
    assert victim.stat().st_mode & 0o777 == 0o640


def test_before_the_fix_a_naive_reader_would_have_read_the_marker(built: golden.GoldenSet) -> None:
    """What the old decoder did (join the key to the folder, read): the outside file's bytes."""
    store = built.store(by_id("v2/reject/escape-dimension-separator"))
    meta = json.loads((store / "data" / ".zarray").read_text())
    key = meta["dimension_separator"].join(["0", "0"])
    values = np.frombuffer((store / "data" / key).read_bytes(), "<i4")
    assert (values == MARKER).all()
    assert not os.path.realpath(store / "data" / key).startswith(str(store.resolve()) + os.sep)
