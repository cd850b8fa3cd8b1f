//! The `read` and `write` requests of docs/protocol.md as types (fields the worker does not know
//! are ignored, so the protocol can grow).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::npy::{read_npy, write_npy, NpyArray};
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
    #[serde(default)]
    pub attributes: Map<String, Value>,
    pub dimension_names: Option<Vec<Option<String>>>,
    /// {"npy": path} or {"json": nested lists}.
    pub values: Value,
}

fn c_order() -> String {
    "C".to_string()
}

impl ArrayWrite {
    /// The values to write, from the request's `.npy` file.
    pub fn load_values(&self) -> Result<NpyArray, Failure> {
        let path = self.values.get("npy").and_then(Value::as_str)
            .ok_or_else(|| Failure::unsupported("values other than .npy are not carried by this worker"))?;
        let array = read_npy(Path::new(path))?;
        if array.shape != self.shape {
            return Err(Failure::bad_request(format!("{path}: shape {:?}, the node says {:?}", array.shape, self.shape)));
        }
        Ok(array)
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
