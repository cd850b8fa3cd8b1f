# ruff: noqa: E501 - the CDL fixtures are real ncdump output, kept verbatim
"""cdl.py against real `ncdump -p 9,17` output (netCDF-C 4.9.0, Debian netcdf-bin) of small Zarr v2
stores. Run with: pytest src/zarr_conformance/adapters/netcdf_c_cli/test_cdl.py"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import cdl  # noqa: E402

NESTED = 'netcdf nest {\ndimensions:\n\t_zdim_3 = 3 ;\n\t_zdim_5 = 5 ;\n\t_zdim_4 = 4 ;\nvariables:\n\tuint64 u(_zdim_3) ;\n\n// global attributes:\n\t\t:q = "a\\"b" ;\ndata:\n\n u = 0, 18446744073709551615, 5 ;\n\ngroup: forecast {\n  variables:\n  \tshort m(_zdim_5) ;\n  \t\tm:v = 1.5 ;\n\n  // group attributes:\n  \t\t:kind = "f" ;\n  data:\n\n   m = 1, _, 3, -1, -1 ;\n\n  group: surface {\n    variables:\n    \tdouble pressure(_zdim_4, _zdim_3) ;\n    \t\tpressure:units = "Pa" ;\n    data:\n\n     pressure =\n  0, 0.33333333333333331, 0.66666666666666663,\n  1, 1.3333333333333333, 1.6666666666666667,\n  2, 2.3333333333333335, 2.6666666666666665,\n  3, 3.3333333333333335, 3.6666666666666665 ;\n    } // group surface\n  } // group forecast\n}\n'

SCALARS = 'netcdf a {\ndimensions:\n\t_zdim_4 = 4 ;\nvariables:\n\tfloat u(_zdim_4) ;\n\n// global attributes:\n\t\t:big = 1099511627776LL ;\n\t\t:d = "{\\"a\\": 1, \\"l\\": [1,2.5,\\"x\\"]}" ;\n\t\t:f = 1UB ;\n\t\t:fl = 0.5, 1.5 ;\n\t\t:neg = -0. ;\ndata:\n\n u = NaNf, Infinityf, -Infinityf, 0.333333343 ;\n}\n'

XARRAY_DIMS = 'netcdf netcdf-dims {\ndimensions:\n\ty = 2 ;\n\tx = 3 ;\nvariables:\n\tfloat data(y, x) ;\n\t\tdata :units = "K" ;\n\t\tdata :scale = 0.5 ;\n\n// global attributes:\n\t\t:title = "dims" ;\ndata:\n\n data =\n  1, 2.5, -3e-05,\n  _, NaNf, 6 ;\n}\n'


def _values(groups, path, name, fill):
    group = groups[path]
    var = group.variables[name]
    return cdl.values(var, tuple(group.dimension_size(d, groups) for d in var.dimensions), fill)


def test_groups_attributes_and_fill_marker() -> None:
    groups = cdl.parse(NESTED)
    assert set(groups) == {"", "forecast", "forecast/surface"}
    assert groups[""].attributes == {"q": 'a"b'}
    assert groups["forecast"].attributes == {"kind": "f"}
    assert groups["forecast"].variables["m"].attributes == {"v": 1.5}
    assert _values(groups, "", "u", 0).tolist() == [0, 2**64 - 1, 5]
    assert _values(groups, "forecast", "m", cdl.DEFAULT_FILL["short"]).tolist() == [1, -32767, 3, -1, -1]
    pressure = _values(groups, "forecast/surface", "pressure", math.nan)
    assert pressure.shape == (4, 3) and pressure[0, 1] == 1 / 3  # 17 digits round-trip a double


def test_typed_attributes_and_nonfinite_floats() -> None:
    groups = cdl.parse(SCALARS)
    assert groups[""].attributes == {"big": 2**40, "d": '{"a": 1, "l": [1,2.5,"x"]}', "f": 1, "fl": [0.5, 1.5],
                                     "neg": -0.0}
    assert math.copysign(1, groups[""].attributes["neg"]) == -1
    u = _values(groups, "", "u", math.nan)
    assert u.dtype == np.float32 and np.isnan(u[0]) and u[1] == np.inf and u[2] == -np.inf
    assert u[3] == np.float32(1 / 3)  # 9 digits round-trip a float


def test_variable_attribute_with_space_before_colon() -> None:
    groups = cdl.parse(XARRAY_DIMS)
    assert groups[""].attributes == {"title": "dims"}
    var = groups[""].variables["data"]
    assert var.dimensions == ["y", "x"] and var.attributes == {"units": "K", "scale": 0.5}
    got = _values(groups, "", "data", 9.0)
    assert got.tolist()[0] == [1.0, 2.5, float(np.float32(-3e-05))] and got[1, 0] == 9.0 and np.isnan(got[1, 1])


def test_c_escapes_in_strings() -> None:
    # ncdump escapes a quote, an apostrophe and a backslash as C does; UTF-8 is printed raw or as octal.
    text = ('netcdf e {\nvariables:\n\tint v ;\n\t\tv:s = "it\\\'s \\"q\\" \\\\ \\303\\251 é" ;\n'
            'data:\n\n v = 1 ;\n}\n')
    assert cdl.parse(text)[""].variables["v"].attributes == {"s": 'it\'s "q" \\ é é'}


def test_a_long_data_section_over_many_lines() -> None:
    # 200,000 values over 20,000 lines, as ncdump prints a large array: parsed whole, in order.
    n = 200_000
    rows = ",\n    ".join(", ".join(str(i) for i in range(j, j + 10)) for j in range(0, n, 10))
    text = f"netcdf x {{\ndimensions:\n\tn = {n} ;\nvariables:\n\tint64 data(n) ;\ndata:\n\n data = {rows}, _ ;\n}}\n"
    text = text.replace(f"n = {n} ;", f"n = {n + 1} ;")
    groups = cdl.parse(text)
    got = _values(groups, "", "data", -1)
    assert got.shape == (n + 1,) and got[:n].tolist() == list(range(n)) and got[n] == -1
