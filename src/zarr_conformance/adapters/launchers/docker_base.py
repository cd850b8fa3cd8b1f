"""The base image every containerised Java worker builds on: a JRE, nothing else.

With ZARR_CONFORMANCE_DOCKER_BASE set (`eclipse-temurin:17-jre` on CI, say), that image is used and
pulled when missing. Otherwise a local base is bootstrapped once from the Debian mirror the machine's
apt already uses (no container registry needed), imported as `zarr-conformance/base-jre:bookworm-17`
and reused by every later run."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zarr_conformance.adapters.launchers.base import build_lock
from zarr_conformance.adapters.launchers.commands import run_command
from zarr_conformance.errors import EnvironmentBuildError

if TYPE_CHECKING:
    import docker

log = logging.getLogger(__name__)

BASE_ENV_VAR = "ZARR_CONFORMANCE_DOCKER_BASE"
LOCAL_BASE = "zarr-conformance/base-jre:bookworm-17"
SUITE = "bookworm"
# libblosc1: Java blosc bindings over JNA (jzarr's jblosc) load the system library; adapters cannot
# apt-get it themselves, local containers have no network.
PACKAGES = ("openjdk-17-jre-headless", "libblosc1")
LABEL_PACKAGES = "zarr-conformance.packages"  # a local base built with other PACKAGES is rebuilt
DEFAULT_MIRROR = "http://deb.debian.org/debian"
# Dropped from the bootstrapped tree before import: nothing at run time reads them.
SLIM_PATHS = ("var/cache/apt", "var/lib/apt/lists", "usr/share/doc", "usr/share/man", "usr/share/info",
              "usr/share/locale", "var/log")
SOURCES = (Path("/etc/apt/sources.list.d/debian.sources"), Path("/etc/apt/sources.list"))


@dataclass(frozen=True)
class BaseImage:
    ref: str  # what a Dockerfile's FROM gets
    id: str  # the image id: part of every adapter image's cache key


def ensure_base(client: docker.DockerClient, cache: Path) -> BaseImage:
    """The base image, built or pulled when the engine does not have it yet."""
    wanted = os.environ.get(BASE_ENV_VAR, "").strip()
    if wanted:
        return _pulled(client, wanted)
    found = _find(client, LOCAL_BASE, _packages_label())
    if found is not None:
        return found
    with build_lock(cache / "envs" / "docker-base.lock"):
        found = _find(client, LOCAL_BASE, _packages_label())  # built by another process meanwhile?
        if found is not None:
            return found
        stale = _find(client, LOCAL_BASE)
        built = _bootstrap(client, cache)
        if stale is not None and stale.id != built.id:
            _remove_image(client, stale.id)
        return built


def _remove_image(client: docker.DockerClient, image_id: str) -> None:
    import docker.errors

    try:
        client.images.remove(image_id)
    except docker.errors.APIError as e:  # still used by an adapter image or a container: harmless
        log.info("kept the previous base image %s: %s", image_id[:19], e)


def _packages_label() -> str:
    return ",".join(sorted(PACKAGES))


def _find(client: docker.DockerClient, ref: str, packages: str | None = None) -> BaseImage | None:
    import docker.errors

    try:
        image = client.images.get(ref)
    except docker.errors.ImageNotFound:
        return None
    if packages is not None and (image.labels or {}).get(LABEL_PACKAGES) != packages:
        log.info("%s was built with other packages; rebuilding it", ref)
        return None
    return BaseImage(ref, image.id)


def _pulled(client: docker.DockerClient, ref: str) -> BaseImage:
    import docker.errors

    found = _find(client, ref)
    if found is not None:
        return found
    log.info("pulling base image %s", ref)
    try:
        image = client.images.pull(ref)
    except docker.errors.APIError as e:
        raise EnvironmentBuildError(f"could not pull {ref} (from ${BASE_ENV_VAR}): {e}") from e
    return BaseImage(ref, image.id)


def debian_mirror(sources: tuple[Path, ...] = SOURCES) -> str:
    """The first Debian archive URI apt is configured with (deb822 or one-line format)."""
    for path in sources:
        if not path.is_file():
            continue
        for raw in path.read_text().splitlines():
            line = raw.split("#", 1)[0].strip()
            if line.startswith("URIs:"):
                uris = line.removeprefix("URIs:").split()
            elif line.startswith("deb "):
                uris = [w for w in line.split()[1:] if not w.startswith("[")][:1]
            else:
                continue
            for uri in uris:
                if "security" not in uri:
                    return uri.rstrip("/")
    return DEFAULT_MIRROR


def _bootstrap(client: docker.DockerClient, cache: Path) -> BaseImage:
    if shutil.which("debootstrap") is None:
        raise EnvironmentBuildError(f"no base image {LOCAL_BASE} and no debootstrap to build it "
                                    f"(apt-get install -y debootstrap, or set ${BASE_ENV_VAR})")
    mirror = debian_mirror()
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="docker-base-", dir=cache / "envs"))
    rootfs, tarball = work / "rootfs", work / "rootfs.tar"
    log_file = cache / "envs" / "docker-base.log"
    try:
        log.info("bootstrapping %s from %s (takes minutes, once)", LOCAL_BASE, mirror)
        run_command(["debootstrap", "--variant=minbase", f"--include={','.join(PACKAGES)}", SUITE,
                     str(rootfs), mirror], timeout=3600, log_file=log_file)
        for rel in SLIM_PATHS:
            _empty(rootfs / rel)
        run_command(["tar", "--numeric-owner", "-C", str(rootfs), "-cf", str(tarball), "."],
                    timeout=1200, log_file=log_file)
        shutil.rmtree(rootfs)
        image_id = _import(client, tarball)
    finally:
        _remove_tree(work)
    log.info("built %s in %.0f s", LOCAL_BASE, time.monotonic() - started)
    return BaseImage(LOCAL_BASE, image_id)


def _import(client: docker.DockerClient, tarball: Path) -> str:
    import docker.errors

    repository, tag = LOCAL_BASE.rsplit(":", 1)
    changes = ["ENV LANG=C.UTF-8", "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
               f"LABEL {LABEL_PACKAGES}={_packages_label()}", 'CMD ["/bin/sh"]']
    try:
        client.api.import_image_from_file(str(tarball), repository=repository, tag=tag, changes=changes)
        return client.images.get(LOCAL_BASE).id
    except docker.errors.APIError as e:
        raise EnvironmentBuildError(f"docker import of {tarball} as {LOCAL_BASE} failed: {e}") from e


def _empty(folder: Path) -> None:
    """Delete what is inside `folder`, keep the folder (dpkg and apt expect some of them to exist)."""
    if not folder.is_dir():
        return
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _remove_tree(folder: Path) -> None:
    # A bootstrapped tree can hold files only root may delete and, after an interrupted debootstrap,
    # still-mounted /proc or /sys inside it: unmount those first, never follow them.
    for sub in ("proc", "sys", "dev/pts"):
        target = folder / "rootfs" / sub
        if target.is_dir() and os.path.ismount(target):
            subprocess.run(["umount", "-l", str(target)], check=False, timeout=60)
    shutil.rmtree(folder, ignore_errors=True)
