//! A write request's array as zarrs metadata: the case's metadata as JSON, parsed by zarrs'
//! own metadata types (zarrs documents creating an array from metadata), so codecs, fill value
//! spellings and the chunk key encoding are zarrs' interpretation of exactly what was asked.

use serde_json::{json, Value};
use zarrs::array::ArrayMetadata;
use zc_worker_kit::{ArrayWrite, Failure, NumpyDtype};

pub fn array_metadata(zarr_format: u8, node: &ArrayWrite) -> Result<ArrayMetadata, Failure> {
    match zarr_format {
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

/// `zarr.json` of an array with a regular chunk grid.
fn v3_json(node: &ArrayWrite) -> Result<Value, Failure> {
    let data_type = NumpyDtype::parse(&node.dtype)?.zarr_v3_name();
    let encoding = node.chunk_key_encoding.as_deref().unwrap_or("default");
    let mut metadata = json!({
        "zarr_format": 3, "node_type": "array", "shape": node.shape, "data_type": data_type,
        "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": node.chunks}},
        "chunk_key_encoding": {"name": encoding, "configuration": {"separator": node.chunk_key_separator}},
        "fill_value": node.fill_value, "codecs": node.codecs, "attributes": node.attributes,
    });
    if let Some(names) = &node.dimension_names {
        metadata["dimension_names"] = json!(names);
    }
    Ok(metadata)
}
