from zarr_conformance.adapters.spec import ALL_DTYPES, STRING_DTYPES, V3_CODECS, AdapterSpec, Role

# zarr-java's v2 codec registry (v2.codec.CodecRegistry) has blosc and zlib only; v3 has every core codec. Big-endian v2
# and F order are not documented as unsupported, so they are tried (and are findings).
_CODECS = {2: frozenset({"zlib", "blosc"}), 3: V3_CODECS}
# Its DataType enums (dev.zarr.zarrjava.v2.DataType, v3.DataType) have numeric and bool members only:
# no string, bytes or object type can be asked for. Reading such arrays is still tried.
_NO_STRINGS = ("dev.zarr.zarrjava.v3.DataType and v2.DataType of zarr-java 0.0.9: numeric and bool members only, "
               "https://github.com/zarr-developers/zarr-java/blob/main/"
               "src/main/java/dev/zarr/zarrjava/v3/DataType.java")

SPEC = AdapterSpec(
    id="zarr-java",
    name="zarr-java",
    launchers=("jvm", "docker"),  # the host JVM is enough; --launcher zarr-java=docker for the container
    worker=(),
    reads=Role(codecs=_CODECS),
    writes=Role(codecs=_CODECS, dtypes=ALL_DTYPES - STRING_DTYPES,
                cite={f"dtype:{name}": _NO_STRINGS for name in STRING_DTYPES}),
    environment={"pom": "pom.xml", "dockerfile": "../jzarr/Dockerfile"},
)
