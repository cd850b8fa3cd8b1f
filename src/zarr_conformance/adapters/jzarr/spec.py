from zarr_conformance.adapters.spec import AdapterSpec, Role

# jzarr documents (docs: datatype.rst, compression.rst) the v2 data types f8 f4 i8 i4 u4 i2 u2 i1 u1
# and the compressors zlib and blosc; it has no order setting and writes C order only. Reading an
# F-order array is not documented as unsupported, so it is tried (and is a finding).
# Named, not derived from ALL_DTYPES: a data type the catalogue adds is not one jzarr documents
# (float16, complex64/128 are not in datatype.rst, nor in its DataType enum).
_DTYPES = frozenset({"float64", "float32", "int64", "int32", "uint32", "int16", "uint16", "int8", "uint8"})
_CODECS = {2: frozenset({"zlib", "blosc"})}

SPEC = AdapterSpec(
    id="jzarr",
    name="jzarr",
    launchers=("docker", "jvm"),
    worker=(),
    reads=Role(formats=frozenset({2}), codecs=_CODECS, dtypes=_DTYPES),
    writes=Role(formats=frozenset({2}), codecs=_CODECS, dtypes=_DTYPES, orders=frozenset({"C"})),
    environment={"pom": "pom.xml", "dockerfile": "Dockerfile", "version_property": "jzarr.version",
                 "maven": "dev.zarr:jzarr"},
)
