"""The node launcher's environment key: what a cached npm environment depends on, and nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zarr_conformance.adapters.launchers import node
from zarr_conformance.errors import EnvironmentBuildError


@pytest.fixture
def adapters(tmp_path: Path) -> Path:
    """An adapters folder with one npm adapter and the shared kit."""
    folder = tmp_path / "my_js"
    (tmp_path / "js_kit" / "test").mkdir(parents=True)
    folder.mkdir()
    (folder / "package.json").write_text('{"dependencies": {"zarrita": "0.7.5"}}')
    (folder / "package-lock.json").write_text('{"lockfileVersion": 3}')
    (folder / "worker.mjs").write_text("// worker\n")
    (folder / "README.md").write_text("docs\n")
    (tmp_path / "js_kit" / "kit.mjs").write_text("// kit\n")
    (tmp_path / "js_kit" / "README.md").write_text("kit docs\n")
    (tmp_path / "js_kit" / "test" / "kit.test.mjs").write_text("// tests\n")
    return tmp_path


def key(adapters: Path, version: str = "v20.20.2") -> str:
    return node.environment_key(adapters / "my_js", version)


@pytest.mark.parametrize("changed", ["my_js/package.json", "my_js/package-lock.json", "my_js/worker.mjs",
                                     "js_kit/kit.mjs"])
def test_key_follows_manifest_lockfile_worker_and_kit(adapters: Path, changed: str) -> None:
    before = key(adapters)
    (adapters / changed).write_text((adapters / changed).read_text() + " ")
    assert key(adapters) != before


@pytest.mark.parametrize("changed", ["my_js/README.md", "js_kit/README.md", "js_kit/test/kit.test.mjs"])
def test_key_ignores_docs_and_kit_tests(adapters: Path, changed: str) -> None:
    before = key(adapters)
    (adapters / changed).write_text("something else\n")
    assert key(adapters) == before


def test_key_follows_node_major_only(adapters: Path) -> None:
    assert key(adapters, "v20.20.2") == key(adapters, "v20.1.0")
    assert key(adapters, "v20.20.2") != key(adapters, "v22.3.0")


def test_a_new_kit_module_changes_the_key(adapters: Path) -> None:
    before = key(adapters)
    (adapters / "js_kit" / "extra.mjs").write_text("export const x = 1;\n")
    assert key(adapters) != before


def test_missing_lockfile_is_a_clear_error(adapters: Path) -> None:
    (adapters / "my_js" / "package-lock.json").unlink()
    with pytest.raises(EnvironmentBuildError, match="package-lock.json is missing"):
        key(adapters)


def test_unavailable_names_the_missing_tool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "npm" else f"/usr/bin/{name}")
    assert "npm" in (node.NodeLauncher().unavailable() or "")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert "node" in (node.NodeLauncher().unavailable() or "")


def test_memory_bound_is_heap_plus_data_limit_never_address_space(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    assert node.bounded(["node", "w.mjs"], 1024) == ["/usr/bin/prlimit", f"--data={1024 * 2**20}", "--",
                                                      "node", "--max-old-space-size=512", "w.mjs"]
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert node.bounded(["node", "w.mjs"], 1024) == ["node", "--max-old-space-size=512", "w.mjs"]


@pytest.mark.skipif(not (shutil.which("node") and shutil.which("prlimit")), reason="needs node and prlimit")
def test_an_allocation_past_the_bound_is_an_error_not_a_dead_machine() -> None:
    import subprocess

    script = ("try { new Float64Array(2 ** 27); console.log('allocated'); } "  # 1 GiB
              "catch (e) { console.log(`refused: ${e.message}`); }")
    done = subprocess.run(node.bounded([shutil.which("node") or "node", "-e", script], 512),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("refused:"), done.stdout
