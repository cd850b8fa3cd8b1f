"""--impl ID@VERSION and --impl-source: parsing, content fingerprints, the requirement that replaces a pin."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from zarr_conformance.adapters import registry, sources
from zarr_conformance.adapters.launchers.venv import with_requirement
from zarr_conformance.errors import AdapterError


def _checkout(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    (root / "pkg").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'lib'\nversion = '1.0'\n")
    (root / "pkg" / "__init__.py").write_text("X = 1\n")
    return root


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.email=t@t", "-c", "user.name=t", *args],
                          check=True, capture_output=True, text=True).stdout.strip()


def test_folder_hash_follows_content_not_build_dirs(tmp_path: Path) -> None:
    root = _checkout(tmp_path)
    first = sources.parse(str(root))
    assert first.kind == "folder" and first.location == str(root)
    (root / "build").mkdir()
    (root / "build" / "junk.py").write_text("anything")
    (root / "x.egg-info").mkdir()
    (root / "x.egg-info" / "PKG-INFO").write_text("anything")
    assert sources.parse(str(root)).fingerprint == first.fingerprint  # build output is not content
    (root / "pkg" / "__init__.py").write_text("X = 2\n")
    changed = sources.parse(str(root))
    assert changed.fingerprint != first.fingerprint
    assert changed.identity == first.identity  # the same source: its builds replace each other


def test_git_work_tree_hashes_tracked_and_untracked_files_not_ignored_ones(tmp_path: Path) -> None:
    root = _checkout(tmp_path)
    (root / ".gitignore").write_text("*.log\n")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "one")
    before = sources.folder_hash(root)
    (root / "debug.log").write_text("ignored")
    assert sources.folder_hash(root) == before
    (root / "pkg" / "new.py").write_text("untracked but part of the checkout")
    assert sources.folder_hash(root) != before


def test_git_url_resolves_to_the_commit(tmp_path: Path) -> None:
    root = _checkout(tmp_path)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "one")
    one = _git(root, "rev-parse", "HEAD")
    source = sources.parse(f"git+{root.as_uri()}")
    assert source.kind == "git" and source.fingerprint == one
    assert source.requirement("lib") == f"lib @ git+{root.as_uri()}@{one}"
    (root / "pkg" / "__init__.py").write_text("X = 3\n")
    _git(root, "commit", "-qam", "two")
    two = sources.parse(f"git+{root.as_uri()}@main")
    assert two.fingerprint == _git(root, "rev-parse", "HEAD") != one
    assert two.identity == source.identity
    with pytest.raises(AdapterError, match="nonesuch"):
        sources.parse(f"git+{root.as_uri()}@nonesuch")


def test_file_is_keyed_by_its_sha256(tmp_path: Path) -> None:
    wheel = tmp_path / "lib-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr("pkg/__init__.py", "X = 1\n")
    source = sources.parse(str(wheel))
    import hashlib

    assert source.kind == "file" and source.fingerprint == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert source.requirement("lib") == f"lib @ {wheel.as_uri()}"


def test_bad_sources_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(AdapterError, match="no such file or folder"):
        sources.parse("./missing/checkout")
    (tmp_path / "empty").mkdir()
    with pytest.raises(AdapterError, match="not installable"):
        sources.parse(str(tmp_path / "empty"))
    with pytest.raises(AdapterError, match="expects ID=PATH"):
        sources.from_options([], ["zarr-python"])
    with pytest.raises(AdapterError, match="ID@VERSION"):
        sources.from_options(["zarr-python@"], [])
    with pytest.raises(AdapterError, match="two sources"):
        sources.from_options(["zarr-python@3.1.0"], [f"zarr-python={tmp_path}"])


def test_options_give_ids_and_sources() -> None:
    ids, chosen = sources.from_options(["zarr-python@3.1.0", "tensorstore"], [])
    assert ids == ["zarr-python", "tensorstore"]
    assert chosen == {"zarr-python": sources.Source("version", "3.1.0", "3.1.0")}
    assert chosen["zarr-python"].requirement("zarr") == "zarr==3.1.0"
    assert sources.from_options(["all", "zarr-python@3.1.0"], [])[0] == []  # every one, zarr-python pinned
    ids, chosen = sources.from_options(["reference,zarr-python@3.1.0", "tensorstore"], [])  # a,b is a then b
    assert ids == ["reference", "zarr-python", "tensorstore"] and chosen["zarr-python"].location == "3.1.0"


def test_only_adapters_that_declare_what_a_source_replaces_take_one(tmp_path: Path) -> None:
    specs = registry.select(["zarr-python", "netcdf-c-cli", "jzarr"])
    applied = sources.apply(specs, {"zarr-python": sources.version("3.1.0"), "jzarr": sources.version("0.4.0")})
    assert sources.source_of(applied[2]) == sources.version("3.1.0")  # sorted: jzarr, netcdf-c-cli, zarr-python
    assert sources.source_of(applied[1]) is None
    with pytest.raises(AdapterError, match="netcdf-c-cli: cannot be built from version 1"):
        sources.apply(specs, {"netcdf-c-cli": sources.version("1")})
    with pytest.raises(AdapterError, match="does not include"):
        sources.apply(specs, {"tensorstore": sources.version("1")})
    wheel = tmp_path / "x.whl"
    wheel.write_bytes(b"")
    with pytest.raises(AdapterError, match="jzarr: cannot be built"):
        sources.apply(specs, {"jzarr": sources.parse(str(wheel))})


def test_requirement_replaces_the_pin_whatever_its_spelling() -> None:
    text = "# pinned\nZarr==2.18.7\nnumcodecs==0.15.2  # zarr needs <0.16\nnumpy==2.3.5\n"
    assert with_requirement(text, "zarr", "zarr==2.18.6") == \
        "# pinned\nnumcodecs==0.15.2  # zarr needs <0.16\nnumpy==2.3.5\nzarr==2.18.6\n"
    assert with_requirement("numpy==2\n", "netCDF4", "netcdf4 @ file:///x.whl").endswith("netcdf4 @ file:///x.whl\n")
    assert with_requirement("netcdf4==1.7\n", "netCDF4", "y").splitlines() == ["y"]
