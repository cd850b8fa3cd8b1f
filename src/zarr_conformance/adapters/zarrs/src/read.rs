//! `read`: open each node with zarrs, hand back its metadata and its whole array, or the box a
//! region read asks for (`retrieve_array_subset` of that box: zarrs decodes only the chunks it touches).

use std::sync::Arc;

use serde_json::{json, Value};
use zarrs::array::{Array, ArrayBytes, ArrayMetadata};
use zarrs::config::MetadataRetrieveVersion;
use zarrs::filesystem::FilesystemStore;
use zarrs::group::Group;
use zarrs::plugin::ExtensionName;
use zc_worker_kit::fill::fill_to_json;
use zc_worker_kit::npy::NpyArray;
use zc_worker_kit::region::{self, Region};
use zc_worker_kit::request::{save_values, NodeKind};
use zc_worker_kit::{Failure, NumpyDtype, ReadRequest, Reply};

use crate::write::node_path;

pub fn read(request: &ReadRequest) -> Result<Reply, Failure> {
    let store = Arc::new(FilesystemStore::new(&request.store)?);
    let version = match request.zarr_format {
        2 => MetadataRetrieveVersion::V2,
        3 => MetadataRetrieveVersion::V3,
        other => return Err(Failure::bad_request(format!("expected zarr_format 2 or 3. Got {other} instead"))),
    };
    let mut nodes = Vec::new();
    for (index, node) in request.nodes.iter().enumerate() {
        let path = node_path(&node.path);
        nodes.push(match node.kind {
            NodeKind::Group => {
                let group = Group::open_opt(store.clone(), &path, &version)?;
                json!({"path": node.path, "kind": "group", "attributes": group.attributes()})
            }
            NodeKind::Array => {
                let array = Array::open_opt(store.clone(), &path, &version)?;
                let mut answer = read_array(&array, request, index, node.region.as_ref())?;
                answer["path"] = json!(node.path);
                region::echo(&mut answer, node.region.as_ref());
                answer
            }
        });
    }
    Ok(Reply::from_iter([("nodes".to_string(), Value::Array(nodes))]))
}

fn read_array(array: &Array<FilesystemStore>, request: &ReadRequest, index: usize, region: Option<&Region>)
              -> Result<Value, Failure> {
    let name = array.data_type().name_v3().map(|n| n.into_owned()).unwrap_or_default();
    let dtype = NumpyDtype::from_zarr_v3_name(&name)
        .ok_or_else(|| Failure::unsupported(format!("values of data type {name:?} are not carried back as .npy")))?;
    // Checked against the shape first: zarrs fills a box beyond the array with the fill value.
    let ranges = region::ranges(region, array.shape())?;
    let bytes: ArrayBytes = array.retrieve_array_subset(&ranges)?;
    let data = bytes.into_fixed()?.into_owned();
    let values = NpyArray { dtype, shape: region::box_shape(&ranges), data };
    Ok(json!({
        "kind": "array", "shape": array.shape(), "dtype": dtype.to_numpy(),
        "fill_value": fill_value(array, dtype)?,
        "attributes": array.attributes(), "dimension_names": array.dimension_names(),
        "values": save_values(&request.out_dir, index, &values)?,
    }))
}

/// The fill value zarrs holds, in JSON. A v2 `fill_value: null` ("no fill value") is kept as null
/// in zarrs' metadata while the array itself uses the data type's default (0): the metadata is
/// what the array declares, so null is reported.
fn fill_value(array: &Array<FilesystemStore>, dtype: NumpyDtype) -> Result<Value, Failure> {
    match array.metadata() {
        ArrayMetadata::V2(v2) if v2.fill_value.is_null() => Ok(Value::Null),
        _ => fill_to_json(array.fill_value().as_ne_bytes(), dtype),
    }
}
