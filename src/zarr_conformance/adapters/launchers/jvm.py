"""Java implementations: a Maven project in the adapter folder, built into one jar, run on the host JVM.

The jar is keyed by the hash of the adapter's pom.xml and sources (and the shared java_kit's)."""

from __future__ import annotations

import shutil
from pathlib import Path

from zarr_conformance.adapters.launchers.base import Launcher, Prepared, build_lock, worker_memory_mb
from zarr_conformance.adapters.launchers.commands import content_hash, prune_older, run_command
from zarr_conformance.adapters.spec import AdapterSpec

JAR = "worker.jar"
JVM_HEAP_MB = 1024


def java_sources(folder: Path) -> list[Path]:
    """Everything a worker jar is built from: its pom, its sources and resources, and the shared kit's."""
    kit = folder.parent / "java_kit"
    files = [*folder.glob("src/**/*"), *kit.glob("src/**/*")]
    return [folder / "pom.xml", *sorted(p for p in files if p.is_file())]


def build_jar(spec: AdapterSpec, cache: Path) -> Path:
    """Build (or find) the adapter's self-contained jar."""
    assert spec.folder is not None
    files = java_sources(spec.folder)
    key = content_hash(files, *(str(p.relative_to(spec.folder.parent)) for p in files))
    out = cache / "envs" / f"{spec.id}-{key}"
    jar = out / JAR
    with build_lock(out.with_suffix(".lock")):
        if not jar.exists():
            mvn = shutil.which("mvn") or "mvn"
            run_command([mvn, "-B", "-q", "-f", str(spec.folder / "pom.xml"), "package", "-DskipTests",
                         f"-Dzc.buildDir={out}"], timeout=1200, log_file=out.with_suffix(".log"))
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
        return Prepared(launcher=self.name, argv=(java, heap, "-Xss4m", "-XX:+UseSerialGC", "-jar", str(jar)),
                        detail=f"jar {jar.parent.name}")


LAUNCHER = JvmLauncher
