"""Java implementations: a Maven project in the adapter folder, built into one jar, run on the host JVM.

The jar is keyed by the hash of the adapter's pom.xml and sources (and the shared java_kit's)."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

from zarr_conformance.adapters.launchers.base import Launcher, Prepared, build_lock, worker_memory_mb
from zarr_conformance.adapters.launchers.commands import content_hash, mark_in_use, prune_older, run_command
from zarr_conformance.adapters.sources import source_of
from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.errors import EnvironmentBuildError

JAR = "worker.jar"
JVM_HEAP_MB = 1024


def java_sources(folder: Path) -> list[Path]:
    """Everything a worker jar is built from: its pom, its sources and resources, and the shared kit's."""
    kit = folder.parent / "java_kit"
    files = [*folder.glob("src/**/*"), *kit.glob("src/**/*")]
    return [folder / "pom.xml", *sorted(p for p in files if p.is_file())]


def _version_override(spec: AdapterSpec) -> tuple[str, list[str]]:
    """(name suffix, mvn -D flags) for `--impl ID@VERSION`: the pom's version property set to it."""
    source = source_of(spec)
    if source is None or source.kind != "version":
        return "", []
    return f"~{source.identity}", [f"-D{spec.environment['version_property']}={source.location}"]


def build_jar(spec: AdapterSpec, cache: Path) -> Path:
    """Build (or find) the adapter's self-contained jar."""
    assert spec.folder is not None
    files = java_sources(spec.folder)
    suffix, overrides = _version_override(spec)
    key = content_hash(files, *(str(p.relative_to(spec.folder.parent)) for p in files), *overrides)
    out = cache / "envs" / f"{spec.id}{suffix}-{key}"
    jar = out / JAR
    with build_lock(out.with_suffix(".lock")):
        mark_in_use(out)  # before any pruning: no other run removes it while this one runs
        if not jar.exists():
            mvn = shutil.which("mvn") or "mvn"
            run_command([mvn, "-B", "-q", "-f", str(spec.folder / "pom.xml"), "package", "-DskipTests",
                         f"-Dzc.buildDir={out}", *overrides], timeout=1200, log_file=out.with_suffix(".log"))
            if not jar.exists():
                raise FileNotFoundError(f"maven finished but {jar} is missing")
            prune_older(out)
    return jar


class JvmLauncher(Launcher):
    name = "jvm"

    def unavailable(self) -> str | None:
        if not shutil.which("java"):
            return "no java on PATH"
        if not shutil.which("mvn"):
            return "no mvn on PATH (needed to build the worker jar)"
        return None

    def prepare(self, spec: AdapterSpec, cache: Path) -> Prepared:
        jar = build_jar(spec, cache)
        java = shutil.which("java") or "java"
        heap = f"-Xmx{worker_memory_mb(JVM_HEAP_MB)}m"  # the JVM bounds itself; RLIMIT_AS would break it
        start: tuple[str, ...] = ("-jar", str(jar))
        detail = f"jar {jar.parent.name}"
        source = source_of(spec)
        if source is not None and source.kind == "file":
            # A library jar given with --impl-source comes first on the class path, so its classes win
            # over the released ones the worker jar bundles (which still supply its dependencies).
            start = ("-cp", f"{source.location}{os.pathsep}{jar}", _main_class(jar))
            detail += f", library classes from {source.label()}"
        elif source is not None:
            detail += f", source {source.label()}"
        return Prepared(launcher=self.name, argv=(java, heap, "-Xss4m", "-XX:+UseSerialGC", *start), detail=detail)


def _main_class(jar: Path) -> str:
    with zipfile.ZipFile(jar) as z:
        manifest = z.read("META-INF/MANIFEST.MF").decode()
    for line in manifest.splitlines():
        if line.startswith("Main-Class:"):
            return line.split(":", 1)[1].strip()
    raise EnvironmentBuildError(f"{jar}: no Main-Class in its manifest")


LAUNCHER = JvmLauncher
