//! `read`: open each node with zarrs, hand back its metadata and its whole array, or the box a
//! region read asks for (`retrieve_array_subset` of that box: zarrs decodes only the chunks it touches).

use std::sync::Arc;

use serde_json::{json, Value};
use zarrs::array::data_type::{BytesDataType, FixedLengthUTF32DataType, StringDataType};
use zarrs::array::{Array, ArrayBytes, ArrayMetadata};
use zarrs::config::MetadataRetrieveVersion;
use zarrs::filesystem::FilesystemStore;
use zarrs::group::Group;
use zarrs::plugin::ExtensionName;
use zc_worker_kit::fill::{bytes_fill_to_json, fill_to_json, text_fill_to_json};
use zc_worker_kit::npy::NpyArray;
use zc_worker_kit::region::{self, Region};
use zc_worker_kit::request::{save_values, NodeKind};
use zc_worker_kit::values::{bytes_reply, text_reply};
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

/// What a read hands back of one array's elements: the in-memory type's name, the fill value and
/// the values, in the value form that carries that type (docs/protocol.md, "Values").
struct Elements {
    dtype: String,
    fill_value: Value,
    values: Value,
}

fn read_array(array: &Array<FilesystemStore>, request: &ReadRequest, index: usize, region: Option<&Region>)
              -> Result<Value, Failure> {
    // Checked against the shape first: zarrs fills a box beyond the array with the fill value.
    let ranges = region::ranges(region, array.shape())?;
    let data_type = array.data_type();
    // Text, byte strings and fixed-length UTF-32 through zarrs' element types for them (its
    // data type table: String, Vec<u8>, Vec<char>); numbers as raw native-order bytes.
    let elements = if data_type.is::<StringDataType>() {
        let items: Vec<String> = array.retrieve_array_subset(&ranges)?;
        let fill_value = text_fill_to_json(array.fill_value().as_ne_bytes())?;
        Elements { dtype: "|O".into(), fill_value, values: text_reply(items, &region::box_shape(&ranges))? }
    } else if data_type.is::<BytesDataType>() {
        let items: Vec<Vec<u8>> = array.retrieve_array_subset(&ranges)?;
        let fill_value = bytes_fill_to_json(array.fill_value().as_ne_bytes());
        Elements { dtype: "|O".into(), fill_value, values: bytes_reply(&items, &region::box_shape(&ranges))? }
    } else if data_type.is::<FixedLengthUTF32DataType>() {
        let size = data_type.fixed_size().ok_or_else(|| Failure::error("DataType", "fixed_length_utf32 without a size"))?;
        let dtype = NumpyDtype { kind: 'U', size, big_endian: false }.native();
        let items: Vec<Vec<char>> = array.retrieve_array_subset(&ranges)?;
        let text = items.into_iter().map(|chars| chars.into_iter().collect()).collect();
        let fill_value = fill_to_json(array.fill_value().as_ne_bytes(), dtype)?;
        Elements { dtype: dtype.to_numpy(), fill_value, values: text_reply(text, &region::box_shape(&ranges))? }
    } else {
        let name = data_type.name_v3().map(|n| n.into_owned()).unwrap_or_default();
        let dtype = NumpyDtype::from_zarr_v3_name(&name)
            .ok_or_else(|| Failure::unsupported(format!("values of data type {name:?} are not carried by this worker")))?;
        let bytes: ArrayBytes = array.retrieve_array_subset(&ranges)?;
        let values = NpyArray { dtype, shape: region::box_shape(&ranges), data: bytes.into_fixed()?.into_owned() };
        let fill_value = fill_to_json(array.fill_value().as_ne_bytes(), dtype)?;
        Elements { dtype: dtype.to_numpy(), fill_value, values: save_values(&request.out_dir, index, &values)? }
    };
    Ok(json!({
        "kind": "array", "shape": array.shape(), "dtype": elements.dtype,
        "fill_value": declared_fill(array, elements.fill_value),
        "attributes": array.attributes(), "dimension_names": array.dimension_names(),
        "values": elements.values,
    }))
}

/// The fill value zarrs holds. A v2 `fill_value: null` ("no fill value") is kept as null in zarrs'
/// metadata while the array itself uses the data type's default (0, or "" for text): the metadata
/// is what the array declares, so null is reported.
fn declared_fill(array: &Array<FilesystemStore>, held: Value) -> Value {
    match array.metadata() {
        ArrayMetadata::V2(v2) if v2.fill_value.is_null() => Value::Null,
        _ => held,
    }
}
