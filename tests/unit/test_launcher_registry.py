"""Launchers are found by name (a module of the launchers package or an entry point); a worker that
speaks another protocol version is refused with a clear message."""

from __future__ import annotations

import pytest

from zarr_conformance.adapters.launchers import known_launchers, launcher_class
from zarr_conformance.adapters.launchers.base import Launcher
from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.errors import AdapterError
from zarr_conformance.runners import worker as worker_module


def test_builtin_launchers_resolve_by_name() -> None:
    names = known_launchers()
    for name in ("python", "venv", "jvm", "docker"):
        assert name in names
        assert issubclass(launcher_class(name), Launcher)
        assert launcher_class(name).name == name
    assert "base" not in names and "commands" not in names


def test_unknown_launcher_is_a_clear_error() -> None:
    with pytest.raises(AdapterError, match="unknown launcher 'podman'"):
        launcher_class("podman")
    with pytest.raises(AdapterError, match="expected launchers among"):
        AdapterSpec(id="x", name="x", launchers=("podman",), worker=("w.py",))


def test_entry_point_launcher(monkeypatch: pytest.MonkeyPatch) -> None:
    from zarr_conformance.adapters import launchers

    monkeypatch.setattr(launchers, "_entry_points", lambda: {"fancy": "zarr_conformance.adapters.launchers.python"})
    assert "fancy" in known_launchers()
    assert launcher_class("fancy").name == "python"


class _Channel:
    def __init__(self, hello: dict) -> None:
        import json
        import queue

        self.lines: queue.Queue = queue.Queue()
        self._hello = hello
        self._json = json

    def send(self, line: bytes) -> None:
        rid = self._json.loads(line)["id"]
        self.lines.put(self._json.dumps({"id": rid, **self._hello}).encode() + b"\n")  # a line, as pumps give

    def exit_code(self) -> None:
        return None

    def kill(self) -> None:
        pass


class _Launcher:
    def __init__(self, hello: dict) -> None:
        self.hello = hello

    def start(self, prepared, mounts):  # noqa: ANN001, ANN201
        return _Channel(self.hello)


@pytest.mark.parametrize("protocol", [None, 0, 2, "1"])
def test_hello_with_another_protocol_is_refused(protocol: object) -> None:
    hello = {"ok": True, "name": "x", "version": "0", **({} if protocol is None else {"protocol": protocol})}
    handle = worker_module.WorkerHandle("x", _Launcher(hello), None, None)  # type: ignore[arg-type]
    with pytest.raises(worker_module.WorkerProtocolError, match="speaks protocol"):
        handle.start()


def test_hello_with_this_protocol_is_accepted() -> None:
    hello = {"ok": True, "name": "x", "version": "0", "protocol": worker_module.PROTOCOL_VERSION}
    handle = worker_module.WorkerHandle("x", _Launcher(hello), None, None)  # type: ignore[arg-type]
    assert handle.start()["name"] == "x"
