"""The Java worker kit's own tests (java_kit/test/*.java): single-file programs run against a worker jar,
which holds the kit's classes and Jackson. zarr-java's jar is built (or found) in the environment cache."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from zarr_conformance.adapters import registry
from zarr_conformance.adapters.launchers.jvm import build_jar

KIT_TESTS = Path(__file__).parents[2] / "src" / "zarr_conformance" / "adapters" / "java_kit" / "test"
pytestmark = pytest.mark.skipif(not (shutil.which("java") and shutil.which("mvn")), reason="no java or mvn on PATH")


@pytest.mark.parametrize("program", sorted(p.name for p in KIT_TESTS.glob("*.java")))
def test_kit_program_passes(program: str, cache: Path) -> None:
    jar = build_jar(registry.discover()["zarr-java"], cache)
    done = subprocess.run(["java", "-cp", str(jar), str(KIT_TESTS / program)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stdout[-2000:] + done.stderr[-3000:]
