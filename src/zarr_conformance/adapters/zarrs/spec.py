from zarr_conformance.adapters.spec import V2_CODECS, V3_CODECS, AdapterSpec, Role

# zarrs has no numcodecs `delta` codec (v2 filter): its codec table lists every codec it has, with
# its v2 id, and delta is not among them. Everything else of the catalogue it can express.
_CODEC_TABLE = "https://docs.rs/zarrs/0.23.14/zarrs/#codecs (no delta codec)"

SPEC = AdapterSpec(
    id="zarrs",
    name="zarrs",
    launchers=("cargo",),
    worker=("zarrs-worker",),  # the crate's [[bin]]; the cargo launcher builds it
    reads=Role(),
    writes=Role(codecs={2: V2_CODECS - {"delta"}, 3: V3_CODECS}, cite={"codec:delta": _CODEC_TABLE}),
    environment={"manifest": "Cargo.toml"},
)
