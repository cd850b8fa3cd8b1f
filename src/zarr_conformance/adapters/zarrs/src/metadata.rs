//! A write request's array as zarrs metadata: the case's metadata as JSON, parsed by zarrs'
//! own metadata types (zarrs documents creating an array from metadata), so codecs, fill value
//! spellings and the chunk key encoding are zarrs' interpretation of exactly what was asked.

use serde_json::{json, Value};
use zarrs::array::ArrayMetadata;
use zc_worker_kit::{ArrayWrite, Failure, NumpyDtype};

pub fn array_metadata(zarr_format: u8, node: &ArrayWrite) -> Result<ArrayMetadata, Failure> {
    match zarr_format {
        2 if node.chunk_grid.as_ref().is_some_and(|grid| !grid.is_null()) =>
            Err(Failure::bad_request("a chunk_grid in a Zarr v2 request: v2 has only the regular grid of `chunks`")),
        2 => Ok(ArrayMetadata::V2(serde_json::from_value(v2_json(node))?)),
        3 => Ok(ArrayMetadata::V3(serde_json::from_value(v3_json(node)?)?)),
        other => Err(Failure::bad_request(format!("expected zarr_format 2 or 3. Got {other} instead"))),
    }
}

/// `.zarray` (with `.zattrs` as `attributes`, the way zarrs holds them).
fn v2_json(node: &ArrayWrite) -> Value {
    json!({
        "zarr_format": 2, "shape": node.shape, "chunks": node.chunks, "dtype": node.dtype,
        "compressor": node.compressor, "fill_value": node.fill_value, "order": node.order,
        "filters": node.filters, "dimension_separator": node.chunk_key_separator,
        "attributes": node.attributes,
    })
}

/// `zarr.json` of the array. The chunk grid is the request's own (e.g. zarr-extensions
/// `rectilinear`), which zarrs builds through its chunk grid plugins (`ChunkGrid::from_metadata`,
/// as `ArrayBuilder::new` does with grid metadata) and refuses if it does not fit the shape; without
/// one it is the regular grid of `chunks`.
fn v3_json(node: &ArrayWrite) -> Result<Value, Failure> {
    let encoding = node.chunk_key_encoding.as_deref().unwrap_or("default");
    let chunk_grid = match &node.chunk_grid {
        Some(grid) if !grid.is_null() => grid.clone(),
        _ => json!({"name": "regular", "configuration": {"chunk_shape": node.chunks}}),
    };
    let mut metadata = json!({
        "zarr_format": 3, "node_type": "array", "shape": node.shape, "data_type": v3_data_type(&node.dtype)?,
        "chunk_grid": chunk_grid,
        "chunk_key_encoding": {"name": encoding, "configuration": {"separator": node.chunk_key_separator}},
        "fill_value": node.fill_value, "codecs": node.codecs, "attributes": node.attributes,
    });
    if let Some(names) = &node.dimension_names {
        metadata["dimension_names"] = json!(names);
    }
    Ok(metadata)
}

/// The v3 `data_type`: `string` and `bytes` are named as such in a request, every other type is a
/// numpy dtype string (numbers, and `U<n>` for `fixed_length_utf32`).
fn v3_data_type(dtype: &str) -> Result<Value, Failure> {
    match dtype {
        "string" | "bytes" => Ok(json!(dtype)),
        numpy => NumpyDtype::parse(numpy)?.zarr_v3_data_type(),
    }
}
