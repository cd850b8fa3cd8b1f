from zarr_conformance.adapters.spec import ALL_DTYPES, V2_CODECS, V3_CODECS, AdapterSpec, Role

# zarrs has no numcodecs `delta` codec (v2 filter): its codec table lists every codec it has, with
# its v2 id, and delta is not among them. Everything else of the catalogue it can express.
_CODEC_TABLE = "https://docs.rs/zarrs/0.23.14/zarrs/#codecs (no delta codec)"
# Its data type table lists every data type with its element type and v2 dtype: none holds ragged
# items (the experimental vlen-array codec has no data type to go with it), and there is no
# fixed-length bytes type (no `|S` in the V2 dtype column).
_DATA_TYPES = "https://docs.rs/zarrs/0.23.14/zarrs/#data-types"

SPEC = AdapterSpec(
    id="zarrs",
    name="zarrs",
    launchers=("cargo",),
    worker=("zarrs-worker",),  # the crate's [[bin]]; the cargo launcher builds it
    reads=Role(),
    writes=Role(
        codecs={2: V2_CODECS - {"delta"}, 3: V3_CODECS},
        dtypes=ALL_DTYPES - {"vlen-array", "fixed-bytes"},
        cite={
            "codec:delta": _CODEC_TABLE,
            "dtype:vlen-array": f"{_DATA_TYPES} (no data type for ragged items)",
            "dtype:fixed-bytes": f"{_DATA_TYPES} (no fixed-length bytes type: no |S in the V2 dtype column)",
        },
    ),
    environment={"manifest": "Cargo.toml"},
)
