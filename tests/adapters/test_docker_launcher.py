"""The container launcher against a real Docker engine: the channel (frames in, lines out, exit codes),
isolation (no network, read-only mounts), ownership of written files, and container bookkeeping.

Skips when no engine answers (scripts/start-dockerd.sh starts one) or when the jzarr jar cannot be built."""

from __future__ import annotations

import os
import queue
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from zarr_conformance.adapters import registry
from zarr_conformance.adapters.launchers.base import Channel, Mounts, Prepared
from zarr_conformance.adapters.launchers.docker import LABEL_LAUNCHER, LABEL_RUN, DockerLauncher
from zarr_conformance.adapters.launchers.docker_base import ensure_base
from zarr_conformance.adapters.launchers.jvm import build_jar
from zarr_conformance.adapters.launchers.sandbox import identity, writable_dir
from zarr_conformance.runners.worker import WorkerHandle

WAIT = 60.0  # seconds for any one line; a container start on the vfs driver copies the image


@pytest.fixture(scope="module")
def engine() -> DockerLauncher:
    launcher = DockerLauncher()
    reason = launcher.unavailable()
    if reason and os.environ.get("CI"):
        # CI's .ci/run starts an engine: there, a missing one means the container path went untested.
        pytest.fail(f"CI without a Docker engine: {reason}")
    if reason:
        pytest.skip(f"docker launcher unavailable: {reason}")
    return launcher


@pytest.fixture(scope="module")
def base(engine: DockerLauncher, cache: Path) -> Prepared:
    """The bare base image with a shell command in place of a worker: tests the channel on its own."""
    image = ensure_base(engine.client, cache)
    return Prepared(launcher="docker", argv=("cat",), image=image.ref)


@pytest.fixture(scope="module")
def jzarr(engine: DockerLauncher, cache: Path) -> Prepared:
    spec = registry.discover()["jzarr"]
    if shutil.which("mvn") is None and not os.environ.get("CI"):
        pytest.skip("no mvn on PATH: cannot build the jzarr worker jar")
    build_jar(spec, cache)  # a jar that does not build fails the tests: CI has Maven
    return engine.prepare(spec, cache)  # a failing image build fails the tests


@pytest.fixture
def launcher(engine: DockerLauncher) -> Iterator[DockerLauncher]:
    fresh = DockerLauncher()
    yield fresh
    fresh.stop_all()


@pytest.fixture
def mounts(tmp_path: Path) -> Mounts:
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro" / "input.txt").write_text("given\n")
    # The container runs as sandbox.identity() (nobody when the harness is root): its scratch is made
    # writable for that user, as the runner does.
    return Mounts(read_only=(tmp_path / "ro",), read_write=(writable_dir(tmp_path / "rw", tmp_path / "rw"),))


def _with(prepared: Prepared, *argv: str) -> Prepared:
    return Prepared(launcher=prepared.launcher, argv=argv, image=prepared.image)


def _next_line(channel: Channel) -> bytes | None:
    __tracebackhide__ = True
    try:
        return channel.lines.get(timeout=WAIT)
    except queue.Empty:
        pytest.fail(f"no line from the container within {WAIT:g} s; stderr:\n{channel.stderr_tail()}")


def _ours(launcher: DockerLauncher, running_only: bool = False) -> list:
    mine = {"label": f"{LABEL_LAUNCHER}={launcher.id}"}
    return launcher.client.containers.list(all=not running_only, filters=mine)


def test_lines_sent_come_back_through_cat(launcher: DockerLauncher, base: Prepared, mounts: Mounts) -> None:
    channel = launcher.start(base, mounts)
    sent = [b'{"id": %d, "op": "hello"}\n' % i for i in range(200)] + [b"x" * 100_000 + b"\n"]
    for line in sent:
        channel.send(line)
    assert [_next_line(channel) for _ in sent] == sent
    assert channel.exit_code() is None
    channel.kill()
    assert _ours(launcher) == []


def test_exit_code_and_stderr_of_a_dying_worker(launcher: DockerLauncher, base: Prepared,
                                                mounts: Mounts) -> None:
    channel = launcher.start(_with(base, "sh", "-c", "echo last words >&2; echo partial; exit 3"), mounts)
    assert _next_line(channel) == b"partial\n"
    assert _next_line(channel) is None
    code = None
    for _ in range(100):  # the engine may record the exit a moment after the stream ends
        if (code := channel.exit_code()) is not None:
            break
        time.sleep(0.05)
    assert code == 3
    assert "last words" in channel.stderr_tail()


def test_container_has_no_network(launcher: DockerLauncher, base: Prepared, mounts: Mounts) -> None:
    channel = launcher.start(_with(base, "cat", "/proc/net/dev"), mounts)
    interfaces = []
    while (line := _next_line(channel)) is not None:
        if b":" in line:
            interfaces.append(line.split(b":")[0].strip().decode())
    assert interfaces == ["lo"]
    (container,) = _ours(launcher)
    assert container.attrs["HostConfig"]["NetworkMode"] == "none"


def test_mounts_at_the_same_path_read_only_and_read_write(launcher: DockerLauncher, base: Prepared,
                                                          mounts: Mounts) -> None:
    ro, rw = mounts.read_only[0], mounts.read_write[0]
    script = (f"cat {ro}/input.txt; touch {ro}/new 2>/dev/null && echo ro-writable || echo ro-refused; "
              f"echo made > {rw}/out.txt && echo rw-ok")
    channel = launcher.start(_with(base, "sh", "-c", script), mounts)
    assert [_next_line(channel) for _ in range(3)] == [b"given\n", b"ro-refused\n", b"rw-ok\n"]
    assert not (ro / "new").exists()
    assert (rw / "out.txt").read_text() == "made\n"
    uid, gid = identity()
    assert (rw / "out.txt").stat().st_uid == uid  # never root, even when the harness is
    (container,) = _ours(launcher)
    assert container.attrs["Config"]["User"] == f"{uid}:{gid}"


def test_jzarr_answers_hello_in_its_container(launcher: DockerLauncher, jzarr: Prepared,
                                              mounts: Mounts) -> None:
    handle = WorkerHandle("jzarr", launcher, jzarr, mounts)
    hello = handle.start()
    assert hello["ok"] is True and hello["name"] == "jzarr" and str(hello["version"]).strip()
    handle.stop()


def test_jzarr_cannot_write_into_the_read_only_mount(launcher: DockerLauncher, jzarr: Prepared,
                                                     mounts: Mounts) -> None:
    handle = WorkerHandle("jzarr", launcher, jzarr, mounts)
    handle.start()
    group = [{"path": "", "kind": "group", "attributes": {"title": "t"}}]
    refused = handle.request({"op": "write", "store": str(mounts.read_only[0] / "store"), "zarr_format": 2,
                              "nodes": group}, 60)
    written = handle.request({"op": "write", "store": str(mounts.read_write[0] / "store"), "zarr_format": 2,
                              "nodes": group}, 60)
    handle.stop()
    assert refused["ok"] is False and refused.get("error"), refused
    assert not (mounts.read_only[0] / "store").exists()
    assert written["ok"] is True, written
    assert (mounts.read_write[0] / "store" / ".zgroup").stat().st_uid == identity()[0]  # never root


def test_one_container_while_running_none_after_stop_all(launcher: DockerLauncher, jzarr: Prepared,
                                                         mounts: Mounts) -> None:
    handle = WorkerHandle("jzarr", launcher, jzarr, mounts)
    handle.start()
    for _ in range(20):
        assert handle.request({"op": "hello"}, 60)["ok"] is True
    assert len(_ours(launcher)) == 1
    assert len(_ours(launcher, running_only=True)) == 1
    launcher.stop_all()
    assert _ours(launcher) == []


def test_a_crashed_worker_is_replaced_by_one_new_container(launcher: DockerLauncher, base: Prepared,
                                                           mounts: Mounts) -> None:
    first = launcher.start(_with(base, "true"), mounts)
    assert _next_line(first) is None
    first.kill()
    launcher.start(base, mounts)
    (container,) = _ours(launcher)
    assert container.status == "running"


def test_stale_containers_of_earlier_runs_are_removed(launcher: DockerLauncher, base: Prepared,
                                                      mounts: Mounts) -> None:
    stale = launcher.client.containers.create(base.image, command=["true"], network_mode="none",
                                              labels={LABEL_RUN: "elsewhere:1"})
    try:
        launcher.start(base, mounts)
        remaining = launcher.client.containers.list(all=True, filters={"id": stale.id})
        assert remaining == []
    finally:
        if launcher.client.containers.list(all=True, filters={"id": stale.id}):
            stale.remove(force=True)


@pytest.mark.skipif(not os.environ.get("CI"), reason="only CI promises a Docker engine")
def test_jzarr_takes_the_container_path_in_ci() -> None:
    from zarr_conformance.runners.implementations import choose_launcher

    launcher, why = choose_launcher(registry.discover()["jzarr"])
    assert launcher is not None and launcher.name == "docker", why


def test_ctrl_c_during_a_run_leaves_no_container(engine: DockerLauncher, jzarr: Prepared, tmp_path: Path) -> None:
    """`zarr-conformance run` on jzarr in its container, SIGINT mid-run: exit 130, partial results, and
    every container of that run removed (the engine is asked by the run's label, host:pid)."""
    import json
    import signal
    import socket

    from tests.cli_process import Cli

    root = Path(__file__).parents[2]
    env = {**os.environ, "CI": "1", "PYTHONPATH": str(root / "src")}
    cli = Cli(["run", "--impl", "jzarr", "--impl", "reference", "--launcher", "jzarr=docker", "--timeout", "600",
               "--out", str(tmp_path / "r")], cwd=tmp_path, env=env)
    label = {"label": f"{LABEL_RUN}={socket.gethostname()}:{cli.proc.pid}"}
    try:
        cli.wait_for("cells", timeout=600)  # the first progress line: cells are under way
        assert engine.client.containers.list(filters=label), "jzarr's container should be running"
        cli.proc.send_signal(signal.SIGINT)
        code = cli.finish(timeout=120)
    finally:
        if cli.proc.poll() is None:
            cli.proc.kill()
    stderr = "".join(cli.stderr)
    assert code == 130, stderr
    assert "Traceback" not in stderr and "interrupted by SIGINT after" in stderr, stderr
    document = json.loads((tmp_path / "r" / "results.json").read_text())
    assert document["incomplete"]["signal"] == "SIGINT"
    assert document["incomplete"]["cells_done"] < document["incomplete"]["cells_planned"]
    assert engine.client.containers.list(all=True, filters=label) == []


def test_peak_memory_of_a_container_is_read_from_its_processes(launcher: DockerLauncher, base: Prepared,
                                                               mounts: Mounts) -> None:
    """The shell keeps 60 MB in a variable, then waits on cat: its high-water mark is read through the
    container's main pid, as `check` does before it stops a worker."""
    hog = _with(base, "sh", "-c", "x=$(head -c 60000000 /dev/zero | tr '\\0' a); echo ready; cat")
    channel = launcher.start(hog, mounts)
    try:
        assert _next_line(channel) == b"ready\n"
        peak = channel.peak_rss()
        assert peak is not None and 60_000_000 < peak < 1024**3, peak
    finally:
        channel.kill()
