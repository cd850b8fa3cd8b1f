"""The sandbox of host workers (bubblewrap) and the hardening of containers: a reader that follows a
hostile store out of itself must find the host out of reach."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.fake_adapters.hostile.specs import hostile
from zarr_conformance.adapters.launchers import sandbox
from zarr_conformance.adapters.launchers.base import Mounts, Prepared, SubprocessChannel
from zarr_conformance.paths import cache_dir
from zarr_conformance.runners.model import Kind
from zarr_conformance.runners.run import RunOptions, execute


def _required() -> bool:
    """Where the sandbox must run: this project's CI (Debian, as root, bubblewrap from scripts/setup.sh),
    and wherever $ZARR_CONFORMANCE_SANDBOX=require says so."""
    return sandbox.mode() == "require" or bool(os.environ.get("CI")) or (
        os.geteuid() == 0 and Path("/etc/debian_version").exists())


needs_bwrap = pytest.mark.skipif(sandbox.unavailable() is not None and not _required(),
                                 reason=f"no sandbox here: {sandbox.unavailable()}")


def test_a_bad_setting_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from zarr_conformance.cli import main

    monkeypatch.setenv(sandbox.ENV, "yes please")
    assert main(["run", "--impl", "reference", "-k", "v2/dtype/int32-le", "--out", str(tmp_path / "r")]) == 2
    assert capsys.readouterr().err.strip() == ("zarr-conformance: error: $ZARR_CONFORMANCE_SANDBOX must be one of "
                                               "auto, require, off, got 'yes please'")


def test_the_sandbox_runs_where_it_must() -> None:
    if not _required():
        pytest.skip("not CI, not Debian as root, not $ZARR_CONFORMANCE_SANDBOX=require")
    assert sandbox.unavailable() is None, sandbox.unavailable()
    assert sandbox.describe().startswith("sandbox: bwrap")


def test_without_bwrap_the_run_says_so_or_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "unavailable", lambda: "bwrap not installed (Debian: apt-get install bubblewrap)")
    monkeypatch.setenv(sandbox.ENV, "auto")
    assert sandbox.describe() == "NOT SANDBOXED: bwrap not installed (Debian: apt-get install bubblewrap)"
    assert sandbox.active() is False
    monkeypatch.setenv(sandbox.ENV, "require")
    with pytest.raises(sandbox.SandboxUnavailable, match="require"):
        SubprocessChannel(Prepared(launcher="python", argv=(sys.executable, "-c", "")), Mounts())


def _probe(tmp_path: Path) -> dict:
    run = execute(RunOptions(specs=[hostile("probe")], cache=cache_dir(), kinds={Kind.REJECT},
                             pattern="v2/reject/escape-chunk-link"))
    [result] = run.results
    assert "sandbox: bwrap" in run.implementations[0].detail
    # The probe's refusal carries what it saw (the reject cell's message may go on about its twin).
    return json.JSONDecoder().raw_decode(result.message.split("PermissionError: ", 1)[1])[0]


@needs_bwrap
def test_a_sandboxed_worker_cannot_reach_the_host(tmp_path: Path) -> None:
    seen = _probe(tmp_path)
    assert seen["uid"] != 0
    assert seen["write_out_dir"] == "yes"  # its scratch folder: the one writable place
    assert seen["write_store"].startswith("no")  # golden stores read-only, even to a root harness
    # A private /tmp: nothing of the host's, only the first folders on the way to what is bound there
    # (this checkout itself, when it lives under /tmp).
    bound_under_tmp = {Path(p).parts[2] for p in (sandbox.PACKAGE_ROOT, cache_dir())
                       if Path(p).is_relative_to("/tmp")}
    assert set(seen["tmp_entries"]) <= bound_under_tmp, seen["tmp_entries"]
    assert seen["network"].startswith("no") and seen["resolve"].startswith("no")


def _channel(code: str, mounts: Mounts, memory_mb: int | None = None) -> SubprocessChannel:
    return SubprocessChannel(Prepared(launcher="python", argv=(sys.executable, "-c", code),
                                      memory_limit_mb=memory_mb), mounts)


def _wait_exit(channel: SubprocessChannel, seconds: float = 30) -> int | None:
    deadline = time.monotonic() + seconds
    while channel.exit_code() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    return channel.exit_code()


@needs_bwrap
def test_host_files_outside_the_mounts_are_invisible(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "secret"
    secret.parent.mkdir()
    secret.write_text("host data")
    store = tmp_path / "store"
    store.mkdir()
    code = f"import os; print(os.path.exists({str(secret)!r}), os.path.exists({str(store)!r}), os.getuid())"
    channel = _channel(code, Mounts(read_only=(store,)))
    try:
        assert channel.lines.get(timeout=30).split() == [b"False", b"True", str(sandbox.identity()[0]).encode()]
    finally:
        channel.kill()


@needs_bwrap
def test_the_memory_limit_holds_inside() -> None:
    hog = "x = bytearray(2 * 1024**3)"
    channel = _channel(hog, Mounts(), memory_mb=512)
    assert channel.sandboxed
    assert _wait_exit(channel) not in (None, 0)
    time.sleep(0.2)
    assert "MemoryError" in channel.stderr_tail()
    channel.kill()


@needs_bwrap
def test_a_signal_inside_reads_as_the_signal() -> None:
    channel = _channel("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)", Mounts())
    assert _wait_exit(channel) == -11
    channel.kill()


@needs_bwrap
def test_kill_leaves_nothing_running_inside() -> None:
    channel = _channel("import os, sys, time; print(os.getpid()); sys.stdout.flush(); time.sleep(600)", Mounts())
    assert channel.lines.get(timeout=30)
    group = channel.proc.pid
    assert len(_running_in(group)) >= 2  # bwrap, and the worker inside
    channel.kill()
    time.sleep(0.3)
    assert _running_in(group) == []


def _running_in(group: int) -> list[int]:
    """Processes of process group `group` that are still running (a zombie waits for its reaper only)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


@needs_bwrap
def test_scratch_folders_are_writable_by_the_worker(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    sandbox.writable_dir(scratch, scratch)
    out = sandbox.writable_dir(scratch / "out" / "impl" / "0", scratch)
    channel = _channel(f"open({str(out / 'v.npy')!r}, 'w').write('x'); print('ok')", Mounts(read_write=(scratch,)))
    try:
        assert channel.lines.get(timeout=30) == b"ok\n"
    finally:
        channel.kill()
    assert (out / "v.npy").read_text() == "x"
    assert tmp_path.stat().st_uid == os.geteuid()  # nothing above the scratch folder changed hands


def test_containers_are_hardened(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("docker")
    from zarr_conformance.adapters.launchers import docker as docker_launcher

    created: dict = {}

    class Stop(Exception):
        pass

    def create(image, **kwargs):
        created.update(kwargs)
        raise Stop

    launcher = docker_launcher.DockerLauncher()
    launcher._docker = SimpleNamespace(containers=SimpleNamespace(create=create))
    launcher._swept = True
    with pytest.raises(Stop):
        launcher.start(Prepared(launcher="docker", argv=("java",), image="x"), Mounts(read_only=(cache_dir(),)))
    launcher.stop_all()
    assert created["read_only"] is True
    assert created["cap_drop"] == ["ALL"]
    assert created["security_opt"] == ["no-new-privileges"]
    assert created["pids_limit"] > 0
    assert created["network_mode"] == "none"
    assert not created["user"].startswith("0:")
    assert "/tmp" in created["tmpfs"]
    top = "/" + cache_dir().parts[1]  # /root or /home: the image's own is private, so it is covered
    assert top in ("/tmp", "/var") or any(m["Target"] == top for m in created["mounts"])


def test_a_values_file_outside_the_output_folder_is_not_read() -> None:
    """The harness reads the files a worker names: only inside the cell's output folder."""
    run = execute(RunOptions(specs=[hostile("elsewhere")], cache=cache_dir(), kinds={Kind.READ},
                             pattern="v2/dtype/int32-le"))
    [result] = run.results
    assert result.status.value == "error"
    assert result.message.startswith("values file '<fixtures>/v2/dtype/int32-le.zarr/data/.zarray' of 'data' lies "
                                     "outside the cell's output folder")


@needs_bwrap
def test_a_worker_started_from_an_ended_thread_lives_on() -> None:
    """Workers are readied in a thread pool: the thread's end must not kill them (--die-with-parent)."""
    import threading

    started: list[SubprocessChannel] = []
    thread = threading.Thread(target=lambda: (started.append(_channel("import time; time.sleep(600)", Mounts())),
                                              time.sleep(1.0)))
    thread.start()
    thread.join()
    time.sleep(0.5)
    try:
        assert started[0].exit_code() is None
    finally:
        started[0].kill()


@needs_bwrap
def test_a_worker_dies_with_the_harness(tmp_path: Path) -> None:
    """A worker that never reads its stdin again (a hang) still ends when the harness is killed."""
    import subprocess

    harness = ("import sys, time, os\n"
               "from zarr_conformance.adapters.launchers.base import Mounts, Prepared, SubprocessChannel\n"
               "c = SubprocessChannel(Prepared(launcher='python', argv=(sys.executable, '-c', "
               "'import signal, time; signal.signal(signal.SIGHUP, signal.SIG_IGN); time.sleep(600)')), Mounts())\n"
               "print(c.proc.pid, flush=True)\n"
               "time.sleep(600)\n")
    proc = subprocess.Popen([sys.executable, "-c", harness], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(sandbox.PACKAGE_ROOT)})
    group = int(proc.stdout.readline())  # type: ignore[union-attr]
    try:
        time.sleep(0.5)
        assert _running_in(group)
        proc.kill()  # SIGKILL: no cleanup of its own
        proc.wait()
        deadline = time.monotonic() + 10
        while _running_in(group) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _running_in(group) == []
    finally:
        if proc.poll() is None:
            proc.kill()
        if _running_in(group):  # the test failed: leave nothing behind
            os.killpg(group, 9)
