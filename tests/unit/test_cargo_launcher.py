"""The cargo launcher's cache key follows the crate's manifests, the worker's and the kit's sources and
the toolchain, and nothing else; a launcher without cargo says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from zarr_conformance.adapters.launchers import cargo, launcher_class
from zarr_conformance.errors import EnvironmentBuildError


@pytest.fixture
def adapters(tmp_path: Path) -> Path:
    """A worker crate and the shared kit, side by side as under adapters/."""
    worker, kit = tmp_path / "rusty", tmp_path / "rust_kit"
    for folder, source in ((worker, "main.rs"), (kit, "lib.rs")):
        (folder / "src").mkdir(parents=True)
        (folder / "Cargo.toml").write_text(f"[package]\nname = '{folder.name}'\n")
        (folder / "src" / source).write_text("fn main() {}\n")
    (worker / "Cargo.lock").write_text("version = 4\n")
    return tmp_path


def test_unchanged_sources_keep_their_key(adapters: Path) -> None:
    first = cargo.cache_key(adapters / "rusty", "cargo 1.95.0")
    (adapters / "rusty" / "README.md").write_text("docs are not built into the binary")
    (adapters / "rust_kit" / "Cargo.lock").write_text("the kit's own lock is not used")
    assert cargo.cache_key(adapters / "rusty", "cargo 1.95.0") == first


@pytest.mark.parametrize("changed", ["rusty/src/main.rs", "rusty/Cargo.lock", "rusty/Cargo.toml",
                                     "rust_kit/src/lib.rs", "rust_kit/Cargo.toml"])
def test_a_changed_input_is_a_new_key(adapters: Path, changed: str) -> None:
    first = cargo.cache_key(adapters / "rusty", "cargo 1.95.0")
    with (adapters / changed).open("a") as f:
        f.write("// changed\n")
    assert cargo.cache_key(adapters / "rusty", "cargo 1.95.0") != first


def test_a_new_source_file_or_toolchain_is_a_new_key(adapters: Path) -> None:
    first = cargo.cache_key(adapters / "rusty", "cargo 1.95.0")
    assert cargo.cache_key(adapters / "rusty", "cargo 1.96.0") != first
    (adapters / "rusty" / "src" / "read.rs").write_text("pub fn read() {}\n")
    assert cargo.cache_key(adapters / "rusty", "cargo 1.95.0") != first


def test_a_missing_lock_file_is_a_clear_error(adapters: Path) -> None:
    (adapters / "rusty" / "Cargo.lock").unlink()
    with pytest.raises(EnvironmentBuildError, match="Cargo.lock"):
        cargo.cache_key(adapters / "rusty", "cargo 1.95.0")


def test_without_cargo_the_launcher_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cargo, "cargo_binary", lambda: None)
    assert "no cargo" in (launcher_class("cargo")().unavailable() or "")
