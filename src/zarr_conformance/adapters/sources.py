"""Where an implementation comes from when it is not the pinned release: `--impl ID@VERSION` and
`--impl-source ID=PATH|git+URL|FILE`.

A `Source` knows its content fingerprint (a released version's text, a git commit, a hash of a
folder's files, a file's sha256): the launchers key the environment on it, so a changed checkout
rebuilds and an unchanged one does not. The adapter says what a source replaces in its own
`spec.environment`: `package` (the pip distribution in requirements.txt) for venv adapters,
`version_property` (the Maven property holding the library's version in pom.xml) for Java ones.
`ID@latest` asks the registry (PyPI, or Maven Central for `maven = "group:artifact"`) for the newest
release and runs that."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from pathlib import Path

from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.errors import AdapterError

# Build and tool folders that are not part of a checkout's content (when it is not a git work tree).
_SKIP_DIRS = {".git", "build", "dist", "__pycache__", ".tox", ".nox", ".venv", "venv", "node_modules", "target",
              ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis", ".eggs"}
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+!_-]*")


@dataclass(frozen=True)
class Source:
    kind: str  # "version", "git", "folder" or "file"
    location: str  # the version text, the git URL (with the resolved commit), or an absolute path
    fingerprint: str  # what the environment is keyed on

    @property
    def identity(self) -> str:
        """Stable across content changes of the same source: builds of one source replace each other."""
        where = self.location.rsplit("@", 1)[0] if self.kind == "git" else self.location
        return hashlib.sha256(f"{self.kind}\0{where}".encode()).hexdigest()[:8]

    def label(self) -> str:
        """What the report says ran."""
        if self.kind == "version":
            return f"version {self.location}"
        if self.kind == "git":
            return f"git {self.location}"
        return f"{self.kind} {self.location} (content {self.fingerprint[:12]})"

    def requirement(self, package: str) -> str:
        """The pip requirement line that installs this source as `package`."""
        if self.kind == "version":
            return f"{package}=={self.location}"
        if self.kind == "git":
            return f"{package} @ {self.location}"
        return f"{package} @ {Path(self.location).as_uri()}"


def parse(text: str, cwd: Path | None = None) -> Source:
    """`git+URL[@REF]`, a folder, a file (.whl, .tar.gz, .jar), or a version (`3.1.0`)."""
    text = text.strip()
    if not text:
        raise AdapterError("an implementation source is empty; expected PATH, git+URL or a file")
    if text.startswith("git+"):
        return _git(text)
    path = (cwd or Path.cwd()) / Path(text).expanduser()
    if path.is_dir():
        if not any((path / f).is_file() for f in ("pyproject.toml", "setup.py", "pom.xml")):
            raise AdapterError(f"source folder {path}: no pyproject.toml, setup.py or pom.xml (not installable)")
        return Source("folder", str(path.resolve()), folder_hash(path))
    if path.is_file():
        return Source("file", str(path.resolve()), hashlib.sha256(path.read_bytes()).hexdigest())
    if "/" in text or text.endswith((".whl", ".jar", ".tar.gz", ".zip")):
        raise AdapterError(f"source {text!r}: no such file or folder")
    return version(text)


def version(text: str) -> Source:
    if not _VERSION.fullmatch(text):
        raise AdapterError(f"expected a version like 3.1.0. Got {text!r} instead.")
    return Source("version", text, text)


def _git(text: str) -> Source:
    url = text[len("git+"):]
    ref = "HEAD"
    tail = url.rsplit("/", 1)[-1]
    if "@" in tail:  # pip's git+URL@REF: the ref follows the last path segment's '@'
        url, ref = url[: len(url) - len(tail)] + tail.split("@", 1)[0], tail.split("@", 1)[1]
    commit = ref if re.fullmatch(r"[0-9a-f]{40}", ref) else _ls_remote(url, ref)
    return Source("git", f"git+{url}@{commit}", commit)


def _ls_remote(url: str, ref: str) -> str:
    try:
        done = subprocess.run(["git", "ls-remote", url, ref], capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL, env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
    except (OSError, subprocess.TimeoutExpired) as e:
        raise AdapterError(f"git ls-remote {url} {ref}: {e}") from None
    lines = [line.split()[0] for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 or not lines:
        why = done.stderr.strip().splitlines()[-1:] or ["no such ref"]
        raise AdapterError(f"git source {url}@{ref}: {why[0]}")
    return lines[0]


def _files(folder: Path) -> list[Path]:
    """A git work tree's tracked and untracked-but-not-ignored files, else every file outside build dirs."""
    if (folder / ".git").exists():
        # safe.directory: a checkout owned by another user (an unpacked archive, a mounted folder) is still listed
        done = subprocess.run(["git", "-c", f"safe.directory={folder}", "-C", str(folder), "ls-files", "-z",
                               "--cached", "--others", "--exclude-standard"],
                              capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
        if done.returncode == 0:
            return sorted(folder / p.decode() for p in done.stdout.split(b"\0") if p)
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in _SKIP_DIRS and not d.endswith(".egg-info")]
        found += [Path(root) / f for f in files]
    return sorted(found)


def folder_hash(folder: Path) -> str:
    """sha256 over every content file's relative path and bytes (deleted tracked files are skipped)."""
    h = hashlib.sha256()
    for path in _files(folder):
        if path.is_file() and not path.is_symlink():
            h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def split_impl(text: str) -> tuple[str, str | None]:
    """`zarr-python@3.1.0` -> ("zarr-python", "3.1.0"); `zarr-python` -> ("zarr-python", None)."""
    impl, sep, ver = text.partition("@")
    if sep and not ver:
        raise AdapterError(f"--impl {text!r}: expected ID@VERSION, e.g. zarr-python@3.1.0")
    return impl, (ver or None)


def from_options(impls: list[str], impl_sources: list[str],
                 cwd: Path | None = None) -> tuple[list[str], dict[str, Source]]:
    """The implementation ids to run (empty: all) and each one's source, from `--impl` and `--impl-source`."""
    ids: list[str] = []
    chosen: dict[str, Source] = {}
    for text in (part for item in impls for part in item.split(",") if part):  # `--impl a,b` is `--impl a --impl b`
        impl, ver = split_impl(text)
        ids.append(impl)
        if ver:
            chosen[impl] = version(ver)
    for text in impl_sources:
        impl, sep, where = text.partition("=")
        if not sep or not impl:
            raise AdapterError(f"--impl-source expects ID=PATH|git+URL|FILE, got {text!r}")
        if impl in chosen:
            raise AdapterError(f"{impl}: given two sources (--impl {impl}@... and --impl-source)")
        chosen[impl] = parse(where, cwd)
        if ids and impl not in ids:
            ids.append(impl)
    if "all" in ids:  # `--impl all --impl zarr-python@3.1.0`: every implementation, one of them pinned
        ids = []
    return ids, chosen


def newest_release(spec: AdapterSpec) -> str:
    """The newest release of what `ID@latest` names: PyPI's for a venv adapter's package, Maven
    Central's for a Java adapter's library (its groupId:artifactId in spec.environment["maven"])."""
    env = spec.environment
    try:
        if "package" in env:
            with urllib.request.urlopen(f"https://pypi.org/pypi/{env['package']}/json", timeout=60) as f:
                return str(json.load(f)["info"]["version"])
        if "maven" in env:
            group, artifact = env["maven"].split(":")
            url = f"https://repo.maven.apache.org/maven2/{group.replace('.', '/')}/{artifact}/maven-metadata.xml"
            with urllib.request.urlopen(url, timeout=60) as f:
                release = ET.parse(f).findtext("versioning/release")
            if release:
                return release
    except (OSError, ValueError, KeyError, ET.ParseError) as e:
        raise AdapterError(f"{spec.id}@latest: cannot ask the registry for the newest release: {e}") from None
    raise AdapterError(f"{spec.id}@latest: its spec.environment names no 'package' (PyPI) or 'maven' "
                       f"(groupId:artifactId) to look the newest release up")


def apply(specs: list[AdapterSpec], chosen: dict[str, Source]) -> list[AdapterSpec]:
    """The specs with their sources attached (environment["source"]), checked against what each declares."""
    by_id = {s.id: s for s in specs}
    unknown = sorted(set(chosen) - set(by_id))
    if unknown:
        raise AdapterError(f"a source was given for {unknown}, which this run does not include")
    out = []
    for spec in specs:
        source = chosen.get(spec.id)
        if source is not None and source.kind == "version" and source.location == "latest":
            source = version(newest_release(spec))
        if source is not None:
            _check_replaceable(spec, source)
            spec = replace(spec, environment={**spec.environment, "source": source})
        out.append(spec)
    return out


def _check_replaceable(spec: AdapterSpec, source: Source) -> None:
    env = spec.environment
    if "package" in env and source.kind != "file" or "package" in env and source.location.endswith(
            (".whl", ".tar.gz", ".zip")):
        return
    if "version_property" in env and (source.kind == "version" or source.location.endswith(".jar")):
        return
    can = ("a version, a folder, git+URL or a wheel" if "package" in env else
           "a version or a .jar" if "version_property" in env else "no other source")
    raise AdapterError(f"{spec.id}: cannot be built from {source.label()}; it takes {can} "
                       f"(its spec.environment declares no 'package' or 'version_property' for this)")


def source_of(spec: AdapterSpec) -> Source | None:
    found = spec.environment.get("source")
    return found if isinstance(found, Source) else None
