"""What an adapter folder declares: its id, how it is launched, and what its API can express.

Reads are never gated here: every read-side cell asks the library, and what a library documents it
cannot read is an expectation (expectations/<id>.toml, with `documented = "<citation>"`). The
`writes` role names only what the library's API cannot even express (no keyword, flag or codec
object for it); each such gap carries a citation of the API reference that shows it (`cite`), and a
write outside it is `unsupported` without the library being asked."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from zarr_conformance.errors import AdapterError
from zarr_conformance.fixtures.cases import Case
from zarr_conformance.fixtures.strings import kind
from zarr_conformance.fixtures.tags import codec_ids

NUMERIC_DTYPES = frozenset({"bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
                            "float16", "float32", "float64", "complex64", "complex128"})
# Text and byte strings, fixed and variable length, and numcodecs' vlen-array (fixtures/strings.py).
STRING_DTYPES = frozenset({"string", "bytes", "vlen-array", "fixed-bytes", "fixed-utf32"})
ALL_DTYPES = NUMERIC_DTYPES | STRING_DTYPES
# numcodecs' object codecs (v2: the first filter of a `|O` array; v3: array->bytes codecs).
V2_CODECS = frozenset({"zlib", "gzip", "blosc", "zstd", "delta", "shuffle", "vlen-utf8", "vlen-bytes", "vlen-array"})
V3_CODECS = frozenset({"bytes", "transpose", "gzip", "zstd", "blosc", "crc32c", "sharding_indexed",
                       "vlen-utf8", "vlen-bytes"})
ALL_GRIDS = frozenset({"regular", "rectilinear"})


_KIND_NAMES = {"b": "bool", "i": "int", "u": "uint", "f": "float", "c": "complex"}


def dtype_name(dtype: str, filters: Any = None) -> str:
    """A case's dtype -> its name in capability declarations: Zarr v3 style for numbers ("<i4" ->
    "int32", byte order ignored); "string", "bytes", "vlen-array" (v2 `|O` by its object codec, the
    first filter), "fixed-bytes" (`|S<n>`), "fixed-utf32" (`<U<n>`, v3 fixed_length_utf32)."""
    special = kind(dtype, filters)
    if special is not None:
        return special
    d = np.dtype(dtype)
    return "bool" if d.kind == "b" else f"{_KIND_NAMES[d.kind]}{d.itemsize * 8}"


@dataclass(frozen=True)
class Role:
    """What an implementation claims for one role (reading or writing)."""

    formats: frozenset[int] = frozenset({2, 3})
    # Codec ids (v2 compressor/filter ids; v3 codec names), one set for every format or a set per
    # format ({2: ..., 3: ...}): an implementation may have gzip in v3 but not in v2.
    codecs: frozenset[str] | Mapping[int, frozenset[str]] = field(
        default_factory=lambda: {2: V2_CODECS, 3: V3_CODECS})
    dtypes: frozenset[str] = ALL_DTYPES
    orders: frozenset[str] = frozenset({"C", "F"})
    # v3 chunk grids by name ("regular" and the zarr-extensions "rectilinear").
    grids: frozenset[str] = ALL_GRIDS
    # Limits not covered above: (case-id glob, reason with its citation).
    declines: tuple[tuple[str, str], ...] = ()
    # Where the API reference shows each gap: keys "formats", "codecs", "dtypes", "orders", "grids", or a
    # finer "codec:<id>" / "dtype:<name>" / "grid:<name>" / "v<format>"; the refusal message carries it.
    cite: Mapping[str, str] = field(default_factory=dict)

    def _cited(self, text: str, *keys: str) -> str:
        where = next((self.cite[k] for k in keys if k in self.cite), "")
        return f"{text} (see {where})" if where else text

    def codecs_for(self, zarr_format: int) -> frozenset[str]:
        if isinstance(self.codecs, (set, frozenset)):
            return frozenset(self.codecs)
        return frozenset(self.codecs.get(zarr_format, frozenset()))

    def refuses(self, case: Case, disabled: dict[str, str] | None = None) -> str | None:
        """Why this role does not cover `case` (None when it claims it)."""
        if case.zarr_format not in self.formats:
            return self._cited(f"Zarr v{case.zarr_format} is not supported", f"v{case.zarr_format}", "formats")
        for node in case.arrays:
            name = dtype_name(node.dtype, node.filters)
            if name not in self.dtypes:
                return self._cited(f"data type {name} is not supported", f"dtype:{name}", "dtypes")
            if node.order not in self.orders:
                return self._cited(f"order {node.order!r} is not supported", f"order:{node.order}", "orders")
            grid = (node.chunk_grid or {}).get("name", "regular")
            if grid not in self.grids:
                return self._cited(f"the {grid} chunk grid cannot be written", f"grid:{grid}", "grids")
            for codec in codec_ids(node):
                if disabled and codec in disabled:
                    return f"codec {codec}: {disabled[codec]}"
                if codec not in self.codecs_for(case.zarr_format):
                    return self._cited(f"codec {codec} is not supported in Zarr v{case.zarr_format}",
                                       f"codec:{codec}", "codecs")
        for pattern, reason in self.declines:
            if fnmatch.fnmatchcase(case.id, pattern):
                return reason
        return None


@dataclass(frozen=True)
class AdapterSpec:
    id: str
    name: str
    # Launchers in order of preference; the first one available on this machine runs the worker.
    launchers: tuple[str, ...]
    # argv of the worker, relative to the adapter folder for files (the launcher decides the interpreter).
    worker: tuple[str, ...]
    reads: Role | None = field(default_factory=Role)
    writes: Role | None = field(default_factory=Role)
    # Launcher-specific settings: venv {"requirements", "python", "package"}, jvm {"pom", "version_property"},
    # docker {"dockerfile"}. "package" / "version_property" name what --impl ID@VERSION and --impl-source
    # replace: the pip distribution pinned in requirements.txt, the pom property holding the library version.
    environment: dict[str, Any] = field(default_factory=dict)
    folder: Path | None = None
    # Empty for a Zarr implementation (every case is its business). Non-empty for an implementation
    # of conventions built on Zarr (e.g. {"binsparse"}): it gets only the cases of those conventions,
    # and writes only the valid ones (a broken descriptor has no matrix to write).
    conventions: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        from zarr_conformance.adapters.launchers import known_launchers

        known = known_launchers()
        bad = [name for name in self.launchers if name not in known]
        if not self.launchers or bad:
            raise AdapterError(f"{self.id}: expected launchers among {known}. Got {self.launchers!r} instead.")

    def covers(self, case: Case, writing: bool = False) -> bool:
        """Whether `case` is this implementation's business (convention-only ones: their cases)."""
        if not self.conventions:
            return True
        from zarr_conformance.fixtures.sparse_cases import sparse_case

        entry = sparse_case(case.id)
        if entry is None or entry.matrix.convention not in self.conventions:
            return False
        return not (writing and entry.broken)

    def with_folder(self, folder: Path) -> AdapterSpec:
        from dataclasses import replace

        return replace(self, folder=folder)
