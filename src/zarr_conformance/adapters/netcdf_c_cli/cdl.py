"""A small parser for the CDL text `ncdump` prints: groups, dimensions, variables with their
attributes, global/group attributes, and the data section of the variables asked for with -v.

It understands what ncdump writes for netCDF-4 atomic types: numbers with CDL type suffixes, strings,
NaN / Infinity (with an `f` suffix for floats) and `_` for a value equal to the fill value."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

NUMPY = {"byte": "i1", "ubyte": "u1", "short": "i2", "ushort": "u2", "int": "i4", "uint": "u4",
         "int64": "i8", "uint64": "u8", "float": "f4", "double": "f8", "char": "S1"}
# netCDF's default fill values (netcdf.h NC_FILL_*): what ncdump prints as `_` without a _FillValue.
DEFAULT_FILL = {"byte": -127, "ubyte": 255, "short": -32767, "ushort": 65535, "int": -2147483647,
                "uint": 4294967295, "int64": -9223372036854775806, "uint64": 18446744073709551614,
                "float": 9.969209968386869e36, "double": 9.969209968386869e36}
NONFINITE = {"nan": float("nan"), "infinity": float("inf"), "-infinity": float("-inf"), "+infinity": float("inf")}

_GROUP_OPEN = re.compile(r"^\s*group:\s*(\S+)\s*\{\s*$")
_GROUP_CLOSE = re.compile(r"^\s*\}\s*//\s*group\s+\S+\s*$")
_DIM = re.compile(r"^\s*(\S+)\s*=\s*(\d+|UNLIMITED)\s*;(?:\s*//\s*\((\d+) currently\))?\s*$")
_VAR = re.compile(r"^\s*(\w+)\s+(\S+?)(?:\((.*)\))?\s*;\s*$")
_ATTR = re.compile(r"^\s*([^:=\"]*?)\s*:(\S+)\s*=\s*(.*)$")  # "[type] [var] :name = values"
_DATA_START = re.compile(r"^\s*(\S+)\s*=\s*(.*)$")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[^,\s]+')
_NUMBER = r"[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|NaN|Infinity)"
_SUFFIX = re.compile(rf"^({_NUMBER})(ULL|LL|UB|US|U|B|S|L|F|D)?$", re.IGNORECASE)


@dataclass
class Variable:
    name: str
    type: str
    dimensions: list[str]
    attributes: dict[str, Any] = field(default_factory=dict)
    data: list[str] | None = None  # raw tokens of the data section


@dataclass
class Group:
    path: str
    dimensions: dict[str, int] = field(default_factory=dict)
    variables: dict[str, Variable] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)

    def dimension_size(self, name: str, groups: dict[str, Group]) -> int:
        """A dimension is looked up in this group, then in its ancestors (netCDF scoping)."""
        path = self.path
        while True:
            if name in groups[path].dimensions:
                return groups[path].dimensions[name]
            if not path:
                raise KeyError(f"dimension {name!r} not declared in {self.path or '/'} or above")
            path = path.rpartition("/")[0]


def parse(text: str) -> dict[str, Group]:
    """CDL text -> {group path ("" for the root): Group}."""
    groups: dict[str, Group] = {}
    stack: list[str] = []
    section = ""
    lines = iter(_statements(text))
    for line in lines:
        if not stack:
            if line.startswith("netcdf ") and line.endswith("{"):
                stack.append("")
                groups[""] = Group("")
            continue
        group = groups[stack[-1]]
        if m := _GROUP_OPEN.match(line):
            path = f"{stack[-1]}/{m.group(1)}".lstrip("/")
            groups[path] = Group(path)
            stack.append(path)
            section = ""
        elif _GROUP_CLOSE.match(line) or line.strip() == "}":
            stack.pop()
            section = ""
        elif line.strip() in ("dimensions:", "variables:", "data:", "types:"):
            section = line.strip()[:-1]
        elif line.strip() in ("// global attributes:", "// group attributes:"):
            section = "attributes"
        elif section == "dimensions" and (m := _DIM.match(line)):
            group.dimensions[m.group(1)] = int(m.group(3) or m.group(2))
        elif section in ("variables", "attributes") and (m := _ATTR.match(line)):
            type_name, owner = _attribute_owner(m.group(1))
            target = group.attributes if not owner else group.variables[owner].attributes
            target[m.group(2)] = attribute_value(m.group(3).rstrip().rstrip(";").rstrip(), type_name)
        elif section == "variables" and (m := _VAR.match(line)):
            dims = [d.strip() for d in (m.group(3) or "").split(",") if d.strip()]
            group.variables[m.group(2)] = Variable(m.group(2), m.group(1), dims)
        elif section == "data" and (m := _DATA_START.match(line)):
            group.variables[m.group(1)].data = _TOKEN.findall(m.group(2).rstrip().rstrip(";"))
    return groups


def _attribute_owner(left: str) -> tuple[str | None, str]:
    """What precedes the ':' of an attribute line: "", "var", "type", "type var" -> (type, var)."""
    words = left.split()
    if len(words) == 2:
        return words[0], words[1]
    if len(words) == 1 and (words[0] in NUMPY or words[0] == "string"):
        return words[0], ""
    return None, words[0] if words else ""


def _statements(text: str) -> list[str]:
    """Lines, with a statement that spans lines (data, long attributes) joined up to its ';'.

    Each line is scanned once, carrying whether a string is still open: linear in the text, so a
    10 MB data section parses in seconds (joining and rescanning the pending text was quadratic)."""
    out: list[str] = []
    pending: list[str] = []
    in_string = False
    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if not pending:
            if not stripped:
                continue
            if "=" not in stripped or stripped.startswith("//"):
                out.append(line)
                continue
        ends, in_string = _line_ends_statement(stripped, in_string)
        pending.append(stripped if pending else line)
        if ends:
            out.append(" ".join(pending))
            pending = []
    if pending:
        out.append(" ".join(pending))
    return out


def _line_ends_statement(line: str, in_string: bool) -> tuple[bool, bool]:
    """Whether `line` ends the statement (its last character outside strings and comments is ';'),
    and whether a string is still open at its end."""
    if not in_string and '"' not in line and "/" not in line:
        return line.rstrip().endswith(";"), False  # a line of numbers: no scan needed
    escaped = False
    last = ""
    for ch, nxt in zip(line, line[1:] + " ", strict=True):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
                last = ch
        elif ch == '"':
            in_string = True
        elif ch == "/" and nxt == "/":
            break
        elif not ch.isspace():
            last = ch
    return (last == ";" and not in_string), in_string


def attribute_value(text: str, type_name: str | None = None) -> Any:
    """One CDL attribute value list -> JSON value (a scalar for one element)."""
    tokens = _TOKEN.findall(text)
    if tokens and all(t.startswith('"') for t in tokens):
        strings = [_unquote(t) for t in tokens]
        if type_name == "string":
            return strings[0] if len(strings) == 1 else strings
        return "".join(strings)  # a char attribute printed in pieces
    values = [_number(t) for t in tokens]
    return values[0] if len(values) == 1 else values


_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, "'": 39, '"': 34, "?": 63}


def _unquote(token: str) -> str:
    """A CDL string literal -> its text. ncdump escapes as C does (\\n, \\', \\", octal \\ooo for
    other bytes) and prints UTF-8 as is; JSON's rules differ (no \\' in JSON), so decode by hand."""
    body = token[1:-1]
    if "\\" not in body:
        return body
    out = bytearray()
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\" or i + 1 == len(body):
            out += ch.encode()
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt in "01234567":
            digits = re.match(r"[0-7]{1,3}", body[i + 1:]).group(0)  # type: ignore[union-attr]
            out.append(int(digits, 8) & 0xFF)
            i += 1 + len(digits)
        elif nxt == "x" and re.match(r"[0-9a-fA-F]{1,2}", body[i + 2:]):
            digits = re.match(r"[0-9a-fA-F]{1,2}", body[i + 2:]).group(0)  # type: ignore[union-attr]
            out.append(int(digits, 16))
            i += 2 + len(digits)
        else:  # an unknown escape keeps its character, as C compilers do
            out += nxt.encode()
            i += 2
    return out.decode("utf-8", errors="surrogateescape")


def _number(token: str) -> Any:
    m = _SUFFIX.match(token)
    if not m:
        raise ValueError(f"not a CDL number: {token!r}")
    body, suffix = m.group(1), (m.group(2) or "").upper()
    if body.lower() in NONFINITE:
        return NONFINITE[body.lower()]
    if suffix in ("F", "D") or any(c in body for c in ".eE"):
        return float(body)
    return int(body)


def values(var: Variable, shape: tuple[int, ...], fill: Any) -> np.ndarray:
    """The data tokens of `var` as an array of its netCDF type; `_` stands for `fill`."""
    if var.data is None:
        raise KeyError(f"ncdump printed no data for {var.name!r}")
    dtype = np.dtype(NUMPY[var.type])
    if len(var.data) != int(np.prod(shape)):
        raise ValueError(f"{var.name}: ncdump printed {len(var.data)} values for shape {list(shape)}")
    fast = _plain_numbers(var.data, dtype)
    if fast is not None:
        out = fast
    else:
        parsed = [fill if t == "_" else _number(t.rstrip("fF") if _is_nonfinite(t) else t) for t in var.data]
        out = np.array(parsed, dtype=np.float64 if dtype.kind == "f" else dtype)
    if fast is not None and "_" in var.data:
        out[np.asarray(var.data) == "_"] = fill
    return out.astype(dtype).reshape(shape)


_PLAIN = {"i": re.compile(r"^(?:[-+]?\d+|_)$"), "u": re.compile(r"^(?:\+?\d+|_)$"),
          "f": re.compile(r"^(?:[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|_)$")}


def _plain_numbers(tokens: list[str], dtype: np.dtype) -> np.ndarray | None:
    """Tokens that are all plain decimal numbers (or `_`) converted by numpy at C speed; None when any
    token needs the general parser (a type suffix, NaNf, Infinityf)."""
    pattern = _PLAIN.get(dtype.kind)
    if pattern is None or not all(pattern.match(t) for t in tokens):
        return None
    text = np.array(["0" if t == "_" else t for t in tokens])
    # int64 / uint64 go through Python ints: a float64 detour would round values past 2**53.
    if dtype.kind in "iu" and dtype.itemsize == 8:
        return np.array([int(t) for t in text.tolist()], dtype=dtype)
    return text.astype(np.float64 if dtype.kind == "f" else dtype)


def _is_nonfinite(token: str) -> bool:
    return token.lower().rstrip("f") in NONFINITE
