from zarr_conformance.adapters.spec import AdapterSpec, Role

# What jzarr 0.4.2's API has no way to ask for (its typed Java API: an enum of data types, an
# ArrayParams builder without order or filters, no v3 at all). Compressors are asked whatever their
# id: CompressorFactory.create takes any id and configuration and answers for itself.
# Named, not derived from ALL_DTYPES: a data type the catalogue adds is not one jzarr has.
_DTYPES = frozenset({"float64", "float32", "int64", "int32", "uint32", "int16", "uint16", "int8", "uint8"})
_PARAMS = ("jzarr 0.4.2 com.bc.zarr.ArrayParams: shape, chunks, chunked, dataType, byteOrder, fillValue, "
           "compressor, dimensionSeparator only")
_CODECS = {2: frozenset({"zlib", "blosc", "gzip", "zstd"})}  # compressor ids: all asked; filters: none

SPEC = AdapterSpec(
    id="jzarr",
    name="jzarr",
    launchers=("docker", "jvm"),
    worker=(),
    reads=Role(),  # every read is asked; documented limits are in expectations/
    writes=Role(
        formats=frozenset({2}), codecs=_CODECS, dtypes=_DTYPES, orders=frozenset({"C"}),
        cite={
            "v3": "jzarr 0.4.2 (com.bc.zarr.ZarrConstants / ZarrHeader write zarr_format 2 only; "
                  "https://jzarr.readthedocs.io/en/latest/ 'Zarr version 2')",
            "dtypes": "jzarr 0.4.2 com.bc.zarr.DataType enum: f8 f4 i8 i4 u4 i2 u2 i1 u1 "
                      "(https://jzarr.readthedocs.io/en/latest/datatype.html)",
            "orders": f"{_PARAMS} (no order; .zarray order is always C)",
            "codec:delta": f"{_PARAMS} (no filters)",
            "codec:shuffle": f"{_PARAMS} (no filters)",
            **{f"codec:{c}": f"{_PARAMS} (no filters, so no numcodecs object codec; DataType has no object type, "
                             "https://jzarr.readthedocs.io/en/latest/datatype.html)"
               for c in ("vlen-utf8", "vlen-bytes", "vlen-array")},
        },
    ),
    environment={"pom": "pom.xml", "dockerfile": "Dockerfile", "version_property": "jzarr.version",
                 "maven": "dev.zarr:jzarr"},
)
