"""Finds the adapters: every folder under adapters/ with a spec.py, plus the entry-point group
`zarr_conformance.adapters` for adapters that live in other packages."""

from __future__ import annotations

import importlib
import logging
from importlib.metadata import entry_points
from pathlib import Path

from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.errors import AdapterError

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
ENTRY_POINT_GROUP = "zarr_conformance.adapters"


def _load(module_name: str, folder: Path) -> AdapterSpec:
    module = importlib.import_module(module_name)
    spec = getattr(module, "SPEC", None)
    if not isinstance(spec, AdapterSpec):
        raise AdapterError(f"{module_name}: expected a module-level SPEC = AdapterSpec(...)")
    return spec.with_folder(folder)


def discover() -> dict[str, AdapterSpec]:
    specs: dict[str, AdapterSpec] = {}
    for folder in sorted(p for p in HERE.iterdir() if (p / "spec.py").is_file()):
        spec = _load(f"{__package__}.{folder.name}.spec", folder)
        specs[spec.id] = spec
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        module = importlib.import_module(ep.value.split(":")[0])
        spec = _load(module.__name__, Path(str(module.__file__)).parent)
        if spec.id in specs:
            raise AdapterError(f"adapter id {spec.id!r} from entry point {ep.name} is already taken")
        specs[spec.id] = spec
    return specs


def select(ids: list[str] | None) -> list[AdapterSpec]:
    """The adapters named (all when `ids` is empty), in a stable order with `reference` first."""
    specs = discover()
    unknown = [i for i in ids or [] if i not in specs]
    if unknown:
        raise AdapterError(f"unknown implementation(s) {unknown}; known: {sorted(specs)}")
    chosen = [specs[i] for i in (ids or specs)]
    return sorted(chosen, key=lambda s: (s.id != "reference", s.id))
