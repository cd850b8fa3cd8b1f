from zarr_conformance.adapters.spec import ALL_DTYPES, STRING_DTYPES, AdapterSpec, Role

# zarr-java is asked every write: the worker hands it the array's metadata as the JSON document
# (.zarray / zarr.json) for its own ObjectMapper, so any data type, byte order and codec can be asked,
# and zarr-java's answer (its DataType enums and codec registries refuse what they lack) is the cell's
# result (expectations/zarr-java.toml). Only a native codec that does not load here is declined
# (hello's `disabled`).
# Its DataType enums (dev.zarr.zarrjava.v2.DataType, v3.DataType) have numeric and bool members only,
# and the Java worker carries numeric values only: no string, bytes or object type can be asked for.
_NO_STRINGS = ("dev.zarr.zarrjava.v3.DataType and v2.DataType of zarr-java 0.0.9: numeric and bool members only, "
               "https://github.com/zarr-developers/zarr-java/blob/main/"
               "src/main/java/dev/zarr/zarrjava/v3/DataType.java")

SPEC = AdapterSpec(
    id="zarr-java",
    name="zarr-java",
    launchers=("jvm", "docker"),  # the host JVM is enough; --launcher zarr-java=docker for the container
    worker=(),
    reads=Role(),  # every read is asked; documented limits are in expectations/
    # ArrayMetadataBuilder takes one chunk shape (withChunkShape); dev.zarr.zarrjava.v3.chunkgrid has
    # RegularChunkGrid only.
    writes=Role(grids=frozenset({"regular"}), dtypes=ALL_DTYPES - STRING_DTYPES, cite={
        **{f"dtype:{name}": _NO_STRINGS for name in STRING_DTYPES},
        "grid:rectilinear": "zarr-java 0.0.9 dev.zarr.zarrjava.v3.ArrayMetadataBuilder.withChunkShape; "
                            "v3/chunkgrid has RegularChunkGrid only"}),
    environment={"pom": "pom.xml", "dockerfile": "../jzarr/Dockerfile",
                 "version_property": "zarr-java.version", "maven": "dev.zarr:zarr-java"},
)
