"""Launchers build an adapter's environment (cached by content hash) and start its worker."""

from __future__ import annotations

from zarr_conformance.adapters.launchers.base import Channel, Launcher, Prepared


def get_launcher(name: str) -> Launcher:
    # Imported on demand: the docker SDK is only loaded when a container is wanted.
    if name == "python":
        from zarr_conformance.adapters.launchers.python import PythonLauncher

        return PythonLauncher()
    if name == "venv":
        from zarr_conformance.adapters.launchers.venv import VenvLauncher

        return VenvLauncher()
    if name == "jvm":
        from zarr_conformance.adapters.launchers.jvm import JvmLauncher

        return JvmLauncher()
    if name == "docker":
        from zarr_conformance.adapters.launchers.docker import DockerLauncher

        return DockerLauncher()
    raise KeyError(name)


__all__ = ["Channel", "Launcher", "Prepared", "get_launcher"]
