"""Every write gap an adapter declares names the API reference that shows it (issue 7, item 2).

A `writes=Role(...)` narrower than the catalogue is a claim that the library's API cannot even express
the request; the claim must cite where (`Role(cite={...})`, or a `declines` reason that says where),
and every refusal the harness would print must carry that citation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zarr_conformance.adapters import registry
from zarr_conformance.adapters.spec import ALL_DTYPES, ALL_GRIDS, V2_CODECS, V3_CODECS, AdapterSpec, Role
from zarr_conformance.fixtures.catalogue import catalogue
from zarr_conformance.fixtures.tags import codec_ids

SPECS = [s for s in registry.discover().values() if s.writes is not None]
# A citation: a URL, or a precise reference naming a class / file / function of the library.
CITATION = re.compile(r"https?://\S+|\b[\w-]+ \d+(\.\d+)+\b.*\b[\w.]+\.[A-Z]\w+|\b\w+\.(md|rst|pyx|py|java|c)\b")
KEY = re.compile(r"^(formats|codecs|dtypes|orders|grids|v[23]|codec:[\w.-]+|dtype:[\w-]+|order:[CF]|grid:\w+)$")


def _catalogue_codecs(fmt: int) -> frozenset[str]:
    return frozenset(c for case in catalogue() if case.zarr_format == fmt for n in case.arrays for c in codec_ids(n))


def _gaps(role: Role) -> list[tuple[str, tuple[str, ...]]]:
    """(what is not claimed, the cite keys any of which covers it)."""
    gaps: list[tuple[str, tuple[str, ...]]] = [(f"Zarr v{f}", (f"v{f}", "formats"))
                                               for f in (2, 3) if f not in role.formats]
    for fmt in sorted(role.formats):
        known = (V2_CODECS if fmt == 2 else V3_CODECS) | _catalogue_codecs(fmt)
        gaps += [(f"codec {c} (v{fmt})", (f"codec:{c}", "codecs")) for c in sorted(known - role.codecs_for(fmt))]
    gaps += [(f"dtype {d}", (f"dtype:{d}", "dtypes")) for d in sorted(ALL_DTYPES - role.dtypes)]
    gaps += [(f"order {o}", (f"order:{o}", "orders")) for o in ("C", "F") if o not in role.orders]
    gaps += [(f"grid {g}", (f"grid:{g}", "grids")) for g in sorted(ALL_GRIDS - role.grids)]
    return gaps


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_every_declared_write_gap_is_cited(spec: AdapterSpec) -> None:
    role = spec.writes
    assert role is not None
    bad_keys = [k for k in role.cite if not KEY.match(k)]
    assert not bad_keys, f"{spec.id}: unknown cite keys {bad_keys} (expected formats/codecs/dtypes/orders, v2/v3, " \
                         f"codec:<id>, dtype:<name>, order:<C|F>, grid:<name>)"
    uncited = [what for what, keys in _gaps(role) if not any(k in role.cite for k in keys)]
    assert not uncited, f"{spec.id}: write gaps without a citation in Role(cite=...): {uncited}"
    weak = {k: v for k, v in role.cite.items() if not CITATION.search(v)}
    assert not weak, f"{spec.id}: citations that name no URL or API reference: {weak}"
    for pattern, reason in role.declines:
        assert CITATION.search(reason), f"{spec.id}: decline {pattern!r} cites nothing: {reason!r}"


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_every_write_refusal_message_carries_its_citation(spec: AdapterSpec) -> None:
    role = spec.writes
    assert role is not None
    for case in catalogue():
        why = role.refuses(case)
        assert why is None or CITATION.search(why), f"{spec.id} refuses {case.id} without a citation: {why!r}"


def test_an_uncited_gap_is_caught() -> None:
    """The check above can fail: a role that drops F order without saying where is reported."""
    assert [what for what, keys in _gaps(Role(orders=frozenset({"C"}))) if not any(k in {} for k in keys)] \
        == ["order F"]
    assert not CITATION.search("order F is not supported")


ADAPTERS = Path(registry.__file__).parent
DECLINE_CALL = re.compile(r"\b(?:zc_worker\.Unsupported|new UnsupportedRequest)\(")


def _call_arguments(source: str, start: int) -> str:
    """The text between the parenthesis opening at `start` - 1 and its match."""
    depth, i = 1, start
    while depth and i < len(source):
        depth += {"(": 1, ")": -1}.get(source[i], 0)
        i += 1
    return source[start:i - 1]


def _worker_declines() -> list[tuple[str, str]]:
    """(file, argument text) of every worker-side decline written as a message in an adapter's sources;
    a decline passing on a runtime probe's text (a variable, no literal) is a fact of this machine, not an
    API gap, and is left out."""
    found = []
    for path in sorted(ADAPTERS.glob("*/**/*")):
        if path.suffix not in (".py", ".java") or "kit" in path.parts[len(ADAPTERS.parts)]:
            continue
        source = path.read_text(encoding="utf-8")
        for match in DECLINE_CALL.finditer(source):
            arguments = _call_arguments(source, match.end())
            if '"' in arguments:
                found.append((str(path.relative_to(ADAPTERS)), arguments))
    return found


def test_every_worker_side_decline_cites_the_api() -> None:
    declines = _worker_declines()
    assert declines, "no worker-side declines found: the scan is broken"
    uncited = [(f, a) for f, a in declines if "see " not in a and "http" not in a]
    assert not uncited, f"worker-side declines without '(see <API reference>)': {uncited}"
