//! The `read` and `write` requests of docs/protocol.md as types (fields the worker does not know
//! are ignored, so the protocol can grow).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::npy::{write_npy, NpyArray};
use crate::values::Values;
use crate::Failure;

#[derive(Debug, Clone, Deserialize)]
pub struct ReadRequest {
    pub store: PathBuf,
    pub zarr_format: u8,
    pub nodes: Vec<NodeRef>,
    pub out_dir: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NodeRef {
    /// Relative to the store root, "" for the root, "/" between levels.
    pub path: String,
    pub kind: NodeKind,
    /// Arrays only: the box to read (docs/protocol.md "Region reads"); the whole array without it.
    #[serde(default)]
    pub region: Option<crate::region::Region>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    Group,
    Array,
}

#[derive(Debug, Clone, Deserialize)]
pub struct WriteRequest {
    pub store: PathBuf,
    pub zarr_format: u8,
    /// Parents first.
    pub nodes: Vec<NodeWrite>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum NodeWrite {
    Group {
        path: String,
        #[serde(default)]
        attributes: Map<String, Value>,
    },
    Array(ArrayWrite),
}

/// An array to create, with exactly the metadata the case asks for.
#[derive(Debug, Clone, Deserialize)]
pub struct ArrayWrite {
    pub path: String,
    pub shape: Vec<u64>,
    pub chunks: Vec<u64>,
    /// numpy dtype string; the stored one (byte order included) for v2, the logical one for v3.
    pub dtype: String,
    pub fill_value: Value,
    #[serde(default = "c_order")]
    pub order: String,
    /// v2: numcodecs configurations (or null).
    pub filters: Option<Vec<Value>>,
    pub compressor: Option<Value>,
    /// v3: the codec list as it goes into zarr.json.
    pub codecs: Option<Vec<Value>>,
    pub chunk_key_separator: String,
    /// v3 only: "default" or "v2".
    pub chunk_key_encoding: Option<String>,
    /// v3 only: null for the regular grid of `chunks`, else the grid exactly as it goes into
    /// `zarr.json` (e.g. zarr-extensions `rectilinear`); `chunks` is then chunk (0, ..., 0).
    #[serde(default)]
    pub chunk_grid: Option<Value>,
    #[serde(default)]
    pub attributes: Map<String, Value>,
    pub dimension_names: Option<Vec<Option<String>>>,
    /// A value form of docs/protocol.md: {"npy": path}, {"json": ...}, {"bytes_b64": ...}, {"ragged": ...}.
    pub values: Value,
}

fn c_order() -> String {
    "C".to_string()
}

impl ArrayWrite {
    /// The values to write, checked against the node's shape (`values::load`).
    pub fn load_values(&self) -> Result<Values, Failure> {
        crate::values::load(&self.values, &self.shape)
    }
}

/// Save values into the read request's scratch folder as `<index>.npy`; the reply's `values`.
pub fn save_values(out_dir: &Path, index: usize, array: &NpyArray) -> Result<Value, Failure> {
    let path = out_dir.join(format!("{index}.npy"));
    write_npy(&path, array)?;
    Ok(serde_json::json!({"npy": path}))
}

/// Parse a request's fields into `T`, naming what is wrong.
pub fn parse<T: serde::de::DeserializeOwned>(request: &Value) -> Result<T, Failure> {
    T::deserialize(request).map_err(|e| Failure::bad_request(format!("bad request: {e}")))
}
