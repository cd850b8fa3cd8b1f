//! `write`: create every group and array of the request with zarrs, then write the values.

use std::sync::Arc;

use zarrs::array::{Array, ArrayBytes, ArrayMetadataOptions};
use zarrs::filesystem::FilesystemStore;
use zarrs::group::{Group, GroupMetadata};
use zarrs::metadata::v2::GroupMetadataV2;
use zarrs::metadata::v3::GroupMetadataV3;
use zc_worker_kit::values::{utf32_items, Values};
use zc_worker_kit::{ArrayWrite, Failure, NodeWrite, NumpyDtype, Reply, WriteRequest};

use crate::metadata::array_metadata;

/// zarrs' node path for a protocol path ("" is the root "/").
pub fn node_path(path: &str) -> String {
    format!("/{path}")
}

pub fn write(request: &WriteRequest) -> Result<Reply, Failure> {
    let store = Arc::new(FilesystemStore::new(&request.store)?);
    for node in &request.nodes {
        match node {
            NodeWrite::Group { path, attributes } => {
                let metadata = match request.zarr_format {
                    2 => GroupMetadata::V2(GroupMetadataV2::new().with_attributes(attributes.clone())),
                    _ => GroupMetadata::V3(GroupMetadataV3::new().with_attributes(attributes.clone())),
                };
                Group::new_with_metadata(store.clone(), &node_path(path), metadata)?.store_metadata()?;
            }
            NodeWrite::Array(array) => write_array(&store, request.zarr_format, array)?,
        }
    }
    Ok(Reply::new())
}

fn write_array(store: &Arc<FilesystemStore>, zarr_format: u8, node: &ArrayWrite) -> Result<(), Failure> {
    let values = node.load_values()?;
    if let Values::Npy(array) = &values {
        let asked = NumpyDtype::parse(&node.dtype)?.native();
        if array.dtype != asked {
            return Err(Failure::bad_request(format!("values are {}, the node says {}", array.dtype.to_numpy(), node.dtype)));
        }
    }
    let array = Array::new_with_metadata(store.clone(), &node_path(&node.path), array_metadata(zarr_format, node)?)?;
    // zarrs adds a "_zarrs" attribute (its name and version) unless told not to: the case asks
    // for exactly its own attributes.
    array.store_metadata_opt(&ArrayMetadataOptions::default().with_include_zarrs_metadata(false))?;
    let everything = array.subset_all();
    // Text, byte strings and fixed-length UTF-32 go in as zarrs' element types for them (String,
    // Vec<u8>, Vec<char>), which zarrs checks against the array's data type; numbers as raw bytes.
    match values {
        Values::Text(items) => array.store_array_subset(&everything, items)?,
        Values::Bytes(items) => array.store_array_subset(&everything, items)?,
        Values::Npy(values) if values.dtype.kind == 'U' => array.store_array_subset(&everything, utf32_items(&values)?)?,
        Values::Npy(values) => array.store_array_subset(&everything, ArrayBytes::new_flen(values.data))?,
    }
    Ok(())
}
