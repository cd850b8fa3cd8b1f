"""Java implementations in a container: the adapter's jar on a JRE base image, one long-lived container
per run, no network, the run's folders bind-mounted at the same paths so requests need no translation.

The image is keyed by the hash of the jar, the Dockerfile and the base image id; a run that finds the
tag reuses it."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import socket
import tempfile
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zarr_conformance.adapters.launchers import sandbox
from zarr_conformance.adapters.launchers.base import MAX_LINE_BYTES, Channel, Launcher, Mounts, Prepared, build_lock
from zarr_conformance.adapters.launchers.commands import content_hash
from zarr_conformance.adapters.launchers.docker_base import ensure_base
from zarr_conformance.adapters.launchers.jvm import JAR, build_jar
from zarr_conformance.adapters.launchers.memory import tree_peak_rss
from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.errors import EnvironmentBuildError

if TYPE_CHECKING:
    import docker
    from docker.models.containers import Container

log = logging.getLogger(__name__)

LABEL_RUN = "zarr-conformance.run"  # "<host>:<pid>" of the harness process that started it
LABEL_LAUNCHER = "zarr-conformance.launcher"  # one id per DockerLauncher instance
WORKER_ARGV = ("java", "-Xss4m", "-XX:+UseSerialGC", "-jar", f"/opt/zc/{JAR}")
PING_TIMEOUT = 5.0
PIDS_LIMIT = 256  # a JVM's threads count as processes: generous for one worker, fatal to a fork bomb
CONFINEMENT = "container: no network, read-only root, no capabilities, not root"
API_TIMEOUT = 600.0  # per HTTP read: covers image builds, which stream their progress


def _client(timeout: float = API_TIMEOUT) -> docker.DockerClient:
    import docker

    return docker.from_env(timeout=timeout)


def image_repository(adapter_id: str) -> str:
    """Docker repository names are lower-case [a-z0-9._-]."""
    return "zarr-conformance/" + (re.sub(r"[^a-z0-9._-]+", "-", adapter_id.lower()).strip("._-") or "adapter")


class DockerLauncher(Launcher):
    name = "docker"

    def __init__(self, mem_limit: str = "1g") -> None:
        self.mem_limit = mem_limit
        self.id = uuid.uuid4().hex[:12]
        self.run_label = f"{socket.gethostname()}:{os.getpid()}"
        self._docker: docker.DockerClient | None = None
        self._containers: dict[str, Container] = {}
        self._starts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._swept = False
        self._empty_dir: Path | None = None

    @property
    def client(self) -> docker.DockerClient:
        if self._docker is None:
            self._docker = _client()
        return self._docker

    def unavailable(self) -> str | None:
        try:
            client = _client(PING_TIMEOUT)
            client.ping()
            client.close()
        except ImportError:
            return "the docker Python package is not installed"
        except Exception as e:  # the SDK raises DockerException, requests' errors or OSError
            return f"no Docker engine reachable ({type(e).__name__}: {e}); see scripts/start-dockerd.sh"
        return None

    def prepare(self, spec: AdapterSpec, cache: Path) -> Prepared:
        assert spec.folder is not None
        jar = build_jar(spec, cache)
        base = ensure_base(self.client, cache)
        dockerfile = spec.folder / spec.environment.get("dockerfile", "Dockerfile")
        if not dockerfile.is_file():
            raise EnvironmentBuildError(f"{spec.id}: no {dockerfile.name} in {spec.folder}")
        tag = f"{image_repository(spec.id)}:{content_hash([jar, dockerfile], base.id)}"
        with build_lock(cache / "envs" / f"docker-{spec.id}.lock"):
            if not self._has_image(tag):
                self._build(tag, dockerfile, jar, base.ref)
                self._remove_older(tag)
        return Prepared(launcher=self.name, argv=WORKER_ARGV, image=tag,
                        detail=f"image {tag}, base {base.ref}")

    def _has_image(self, ref: str) -> bool:
        import docker.errors

        try:
            self.client.images.get(ref)
        except docker.errors.ImageNotFound:
            return False
        return True

    def _remove_older(self, tag: str) -> None:
        """Older images of the same adapter: with the vfs driver each holds a full copy of the base."""
        import docker.errors

        repository = tag.rsplit(":", 1)[0]
        for image in self.client.images.list(name=repository):
            if tag not in image.tags:
                with contextlib.suppress(docker.errors.APIError):  # still used by a container: keep it
                    self.client.images.remove(image.id, force=False)
                    log.info("removed the older image %s", image.tags)

    def _build(self, tag: str, dockerfile: Path, jar: Path, base: str) -> None:
        import docker.errors

        log.info("building image %s", tag)
        with tempfile.TemporaryDirectory(prefix="zc-docker-") as ctx:
            shutil.copyfile(dockerfile, Path(ctx) / "Dockerfile")
            shutil.copyfile(jar, Path(ctx) / JAR)
            try:  # the engine's default build network: a Dockerfile may apt-get on a foreign base
                self.client.images.build(path=ctx, tag=tag, buildargs={"BASE": base}, pull=False, rm=True,
                                         forcerm=True, timeout=API_TIMEOUT)
            except docker.errors.BuildError as e:
                tail = "".join(str(c.get("stream") or c.get("error") or "") for c in e.build_log)[-3000:]
                raise EnvironmentBuildError(f"docker build of {tag} failed: {e.msg}\n{tail}") from e
            except docker.errors.APIError as e:
                raise EnvironmentBuildError(f"docker build of {tag} failed: {e}") from e

    def start(self, prepared: Prepared, mounts: Mounts) -> Channel:
        if prepared.image is None:
            raise EnvironmentBuildError("docker launcher: prepared environment has no image")
        if not self._swept:
            self._sweep_stale()
            self._swept = True
        if self._starts[prepared.image]:
            log.warning("starting container #%d of %s in this run (the previous one died)",
                        self._starts[prepared.image] + 1, prepared.image)
        self._starts[prepared.image] += 1
        uid, gid = sandbox.identity()  # never root: nobody when the harness is root, else the harness's user
        container = self.client.containers.create(
            prepared.image, command=list(prepared.argv), stdin_open=True, tty=False,
            network_mode="none", network_disabled=True, mounts=_covers(mounts, self._empty()) + _mounts(mounts),
            user=f"{uid}:{gid}", environment={"HOME": "/tmp", **prepared.env},
            working_dir="/tmp", mem_limit=self.mem_limit, auto_remove=False,
            # A hostile store's reader finds nothing to change: read-only root, no capabilities, no
            # setuid gains, a bounded number of processes, and /tmp in memory.
            read_only=True, cap_drop=["ALL"], security_opt=["no-new-privileges"], pids_limit=PIDS_LIMIT,
            # exec: JNA unpacks its native stub (libjnidispatch.so) into /tmp and loads it from there;
            # Docker's tmpfs default is noexec, and jzarr's blosc then cannot load.
            tmpfs={"/tmp": "rw,exec,nosuid,nodev,size=512m,mode=1777"},
            labels={LABEL_RUN: self.run_label, LABEL_LAUNCHER: self.id})
        with self._lock:
            self._containers[container.id] = container
        try:
            channel = DockerChannel(container, forget=self._forget)
        except Exception:
            self._remove(container)
            raise
        log.info("started container %s from %s", container.short_id, prepared.image)
        return channel

    def _forget(self, container_id: str) -> None:
        with self._lock:
            self._containers.pop(container_id, None)

    def _remove(self, container: Container) -> None:
        self._forget(container.id)
        _remove_container(container)

    def stop_all(self) -> None:
        with self._lock:
            containers = list(self._containers.values())
        for container in containers:
            self._remove(container)
        if self._empty_dir is not None:
            shutil.rmtree(self._empty_dir, ignore_errors=True)
            self._empty_dir = None

    def _empty(self) -> Path:
        """The folder `_covers` mounts: the harness's, 0755, so a worker that is nobody can pass, not write."""
        with self._lock:
            if self._empty_dir is None:
                self._empty_dir = Path(tempfile.mkdtemp(prefix="zc-docker-cover-"))
                self._empty_dir.chmod(0o755)
            return self._empty_dir

    def _sweep_stale(self) -> None:
        """Remove containers left by earlier runs: stopped ones, and running ones of a dead process here."""
        host = socket.gethostname()
        for container in self.client.containers.list(all=True, filters={"label": LABEL_RUN}):
            owner = container.labels.get(LABEL_RUN, "")
            if owner == self.run_label:
                continue
            owner_host, _, pid = owner.rpartition(":")
            orphan = owner_host == host and pid.isdigit() and not _alive(int(pid))
            if container.status in ("created", "exited", "dead") or orphan:
                log.info("removing stale container %s (%s, run %s)", container.short_id, container.status,
                         owner)
                _remove_container(container)


IMAGE_FOLDERS = {"bin", "boot", "dev", "etc", "lib", "lib32", "lib64", "libx32", "opt", "proc", "sbin", "srv",
                 "sys", "tmp", "usr", "var"}


def _covers(mounts: Mounts, empty: Path) -> list[Any]:
    """An empty folder of ours over the top folder of each mounted path that the image has no business
    with (/root, /home, /work...): the image's /root is private, and the worker, not root, could not
    reach the run's folders through it. (A tmpfs would copy the image's private mode.)"""
    from docker.types import Mount

    tops = {Path(os.path.abspath(p)).parts[1] for p in (*mounts.read_only, *mounts.read_write)
            if len(Path(os.path.abspath(p)).parts) > 1}
    return [Mount(target=f"/{top}", source=str(empty), type="bind") for top in sorted(tops - IMAGE_FOLDERS)]


def _mounts(mounts: Mounts) -> list[Any]:
    """Every folder at the same path inside, read-only or read-write."""
    from docker.types import Mount

    result = []
    for paths, read_only in ((mounts.read_only, True), (mounts.read_write, False)):
        for path in paths:
            absolute = Path(os.path.abspath(path))
            if not absolute.exists():
                if read_only:
                    raise FileNotFoundError(f"cannot mount {absolute} into the container: it does not exist")
                absolute.mkdir(parents=True)
            result.append(Mount(target=str(absolute), source=str(absolute), type="bind", read_only=read_only))
    return result


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_container(container: Container) -> None:
    import docker.errors
    import requests.exceptions

    try:
        container.remove(force=True)
    except docker.errors.NotFound:
        pass
    except (docker.errors.APIError, requests.exceptions.RequestException) as e:
        log.warning("could not remove container %s: %s", container.short_id, e)


class DockerChannel(Channel):
    """The worker's stdin, stdout and stderr over one attach socket (Docker's multiplexed stream)."""

    confinement = CONFINEMENT

    def __init__(self, container: Container, forget: Callable[[str], None]) -> None:
        super().__init__()
        self.container = container
        self._forget = forget
        self._code: int | None = None
        self._eof = threading.Event()
        # Attach before start, so nothing the worker prints early is lost.
        raw = container.attach_socket(params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
        self._raw = raw  # keeps the HTTP response, and so the connection, alive
        self._sock: socket.socket = getattr(raw, "_sock", raw)
        self._sock.settimeout(None)  # idle between requests is normal; deadlines are the runner's
        try:
            container.start()
        except Exception:
            raw.close()
            raise
        threading.Thread(target=self._pump, daemon=True, name=f"docker-{container.short_id}").start()

    def _pump(self) -> None:
        partial = {1: bytearray(), 2: bytearray()}
        try:
            while True:
                header = _read_exactly(self._sock, 8)
                if header is None:
                    break
                size = int.from_bytes(header[4:8], "big")
                payload = _read_exactly(self._sock, size) if size else b""
                if payload is None:
                    break
                self._feed(header[0], partial, payload)
        except OSError:
            pass  # the socket was closed under us (kill)
        finally:
            if partial[1]:
                self.lines.put(bytes(partial[1]))
            if partial[2]:
                self._stderr.append(partial[2].decode(errors="replace").rstrip())
            self._eof.set()
            self.stderr_closed.set()  # one multiplexed stream: its end is the end of both
            self.lines.put(None)

    def _feed(self, kind: int, partial: dict[int, bytearray], payload: bytes) -> None:
        buf = partial.setdefault(kind if kind in (1, 2) else 2, bytearray())
        buf += payload
        while (end := buf.find(b"\n")) >= 0:
            line = bytes(buf[: end + 1])
            del buf[: end + 1]
            if kind == 1:
                self.lines.put(line)
            else:
                self._stderr.append(line.decode(errors="replace").rstrip())
        if len(buf) >= MAX_LINE_BYTES:  # no newline in sight: never buffer without bound
            if kind == 1:
                self.lines.put(bytes(buf))  # the harness reads it as a protocol error
            else:
                self._stderr.append(buf[:2000].decode(errors="replace") + " ...")
            buf.clear()

    def send(self, line: bytes) -> None:
        self._sock.sendall(line)

    def exit_code(self) -> int | None:
        # Cheap while the worker runs: the engine is only asked once its output stream has ended.
        if self._code is not None or not self._eof.is_set():
            return self._code
        import docker.errors

        try:
            self.container.reload()
        except docker.errors.NotFound:
            self._code = -9  # removed under us
            return self._code
        state = self.container.attrs.get("State", {})
        if state.get("Status") in ("exited", "dead"):
            self._code = int(state.get("ExitCode", -1))
        return self._code

    def peak_rss(self) -> int | None:
        """The container's processes are processes of this host: the same /proc walk from its main pid."""
        import docker.errors
        import requests.exceptions

        try:
            self.container.reload()
        except (docker.errors.APIError, requests.exceptions.RequestException):
            return None
        pid = int(self.container.attrs.get("State", {}).get("Pid") or 0)
        return tree_peak_rss(pid) if pid > 0 else None

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            self._raw.close()
        self._forget(self.container.id)
        _remove_container(self.container)


def _read_exactly(sock: socket.socket, n: int) -> bytes | None:
    """`n` bytes, or None when the stream ends first."""
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


LAUNCHER = DockerLauncher
