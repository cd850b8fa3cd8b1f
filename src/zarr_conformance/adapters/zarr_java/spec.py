from zarr_conformance.adapters.spec import V3_CODECS, AdapterSpec, Role

# zarr-java's v2 codec registry (v2.codec.CodecRegistry) has blosc and zlib only; v3 has every core codec. Big-endian v2
# and F order are not documented as unsupported, so they are tried (and are findings).
_CODECS = {2: frozenset({"zlib", "blosc"}), 3: V3_CODECS}

SPEC = AdapterSpec(
    id="zarr-java",
    name="zarr-java",
    launchers=("jvm", "docker"),  # the host JVM is enough; --launcher zarr-java=docker for the container
    worker=(),
    reads=Role(codecs=_CODECS),
    writes=Role(codecs=_CODECS),
    environment={"pom": "pom.xml", "dockerfile": "../jzarr/Dockerfile",
                 "version_property": "zarr-java.version", "maven": "dev.zarr:zarr-java"},
)
