//! The value forms of docs/protocol.md ("Values") besides `.npy`: `{"json": ...}` for text and
//! `{"bytes_b64": ...}` for byte strings (standard base64, padded), both nested like the array's
//! shape in C order, a bare item for a 0-d array. Fixed-length `U` strings travel as `.npy` in a
//! write request; `utf32_items` turns them into text items.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde_json::Value;

use crate::npy::{read_npy, NpyArray};
use crate::Failure;

/// The values of a write request, in the form the request carried them.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// `.npy`: numbers and fixed-length `S` / `U` strings.
    Npy(NpyArray),
    /// `json`: one string per element, C order.
    Text(Vec<String>),
    /// `bytes_b64`: one byte string per element, C order.
    Bytes(Vec<Vec<u8>>),
}

/// Read a request's `values` for an array of `shape`: every element must be there, of its form's type.
pub fn load(values: &Value, shape: &[u64]) -> Result<Values, Failure> {
    let count = shape.iter().try_fold(1u64, |n, &d| n.checked_mul(d))
        .ok_or_else(|| Failure::bad_request(format!("shape {shape:?} overflows")))?;
    let form = values.as_object().and_then(|fields| (fields.len() == 1).then(|| fields.iter().next()).flatten());
    match form {
        Some((name, Value::String(path))) if name == "npy" => {
            let array = read_npy(std::path::Path::new(path))?;
            if array.shape != shape {
                return Err(Failure::bad_request(format!("{path}: shape {:?}, the node says {shape:?}", array.shape)));
            }
            Ok(Values::Npy(array))
        }
        Some((name, nested)) if name == "json" => {
            let items = flatten(nested, shape.len(), count)?;
            items.into_iter().enumerate().map(|(i, item)| match item {
                Value::String(text) => Ok(text),
                other => Err(Failure::bad_request(format!("json values: element {i} is {other}, not a string"))),
            }).collect::<Result<_, _>>().map(Values::Text)
        }
        Some((name, nested)) if name == "bytes_b64" => {
            let items = flatten(nested, shape.len(), count)?;
            items.into_iter().enumerate().map(|(i, item)| {
                item.as_str().and_then(|text| BASE64.decode(text).ok())
                    .ok_or_else(|| Failure::bad_request(format!("bytes_b64 values: element {i} is {item}, not base64")))
            }).collect::<Result<_, _>>().map(Values::Bytes)
        }
        Some((name, _)) if name == "ragged" => Err(Failure::unsupported("ragged (vlen-array) values are not carried by this worker")),
        _ => Err(Failure::bad_request(format!("expected values {{\"npy\": path}}, {{\"json\": ...}} or {{\"bytes_b64\": ...}}. Got {values} instead"))),
    }
}

/// Text items in C order as `{"json": nested lists}` of `shape`.
pub fn text_reply(items: Vec<String>, shape: &[u64]) -> Result<Value, Failure> {
    let nested = nest(items.into_iter().map(Value::String), shape)?;
    Ok(serde_json::json!({"json": nested}))
}

/// Byte-string items in C order as `{"bytes_b64": nested lists}` of `shape`.
pub fn bytes_reply(items: &[Vec<u8>], shape: &[u64]) -> Result<Value, Failure> {
    let nested = nest(items.iter().map(|item| Value::String(BASE64.encode(item))), shape)?;
    Ok(serde_json::json!({"bytes_b64": nested}))
}

/// Native-order UTF-32 code units as text, trailing U+0000 (padding) dropped; a code unit that is
/// no Unicode scalar value is an error (JSON text cannot hold it).
pub fn utf32_to_string(bytes: &[u8]) -> Result<String, Failure> {
    let mut text = bytes.chunks_exact(4)
        .map(|unit| {
            let code = u32::from_ne_bytes(unit.try_into().expect("4 bytes"));
            char::from_u32(code).ok_or_else(|| Failure::bad_request(format!("UTF-32 code unit {code:#x} is no Unicode scalar value")))
        })
        .collect::<Result<String, _>>()?;
    text.truncate(text.trim_end_matches('\0').len());
    Ok(text)
}

/// The elements of a `U` array (native order) as characters, padding dropped.
pub fn utf32_items(array: &NpyArray) -> Result<Vec<Vec<char>>, Failure> {
    if array.dtype.kind != 'U' {
        return Err(Failure::bad_request(format!("{} values are no UTF-32 strings", array.dtype.to_numpy())));
    }
    array.data.chunks_exact(array.dtype.size)
        .map(|element| utf32_to_string(element).map(|text| text.chars().collect()))
        .collect()
}

/// Items in C order, nested like `shape` (a bare item for a 0-d array).
fn nest(items: impl Iterator<Item = Value>, shape: &[u64]) -> Result<Value, Failure> {
    fn level(items: &mut dyn Iterator<Item = Value>, shape: &[u64]) -> Option<Value> {
        match shape.split_first() {
            None => items.next(),
            Some((&n, inner)) => (0..n).map(|_| level(items, inner)).collect::<Option<Vec<_>>>().map(Value::Array),
        }
    }
    let mut items = items;
    let nested = level(&mut items, shape);
    match (nested, items.next()) {
        (Some(nested), None) => Ok(nested),
        _ => Err(Failure::error("ValueCount", format!("the library handed back a number of items that does not fit the shape {shape:?}"))),
    }
}

/// Nested lists `depth` levels deep -> their items in C order; the count must be `count` (the
/// nesting alone cannot tell an axis of length 0, so only the total is checked, as the harness does).
fn flatten(nested: &Value, depth: usize, count: u64) -> Result<Vec<Value>, Failure> {
    fn walk(nested: &Value, depth: usize, out: &mut Vec<Value>) -> Result<(), Failure> {
        match (depth, nested) {
            (0, item) => out.push(item.clone()),
            (_, Value::Array(parts)) => parts.iter().try_for_each(|part| walk(part, depth - 1, out))?,
            (_, other) => return Err(Failure::bad_request(format!("expected nested lists {depth} more levels deep, got {other}"))),
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(nested, depth, &mut out)?;
    if out.len() as u64 != count {
        return Err(Failure::bad_request(format!("nested values hold {} elements, the shape needs {count}", out.len())));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::NumpyDtype;

    #[test]
    fn text_nests_like_the_shape() {
        let items: Vec<String> = ["", "é", "😀", "a\u{301}", "x", "y"].iter().map(|s| s.to_string()).collect();
        assert_eq!(text_reply(items.clone(), &[2, 3]).unwrap(), json!({"json": [["", "é", "😀"], ["a\u{301}", "x", "y"]]}));
        assert_eq!(text_reply(vec!["only".into()], &[]).unwrap(), json!({"json": "only"}));
        assert_eq!(text_reply(vec![], &[2, 0]).unwrap(), json!({"json": [[], []]}));
        assert!(text_reply(items, &[2, 2]).is_err());
        assert_eq!(load(&json!({"json": [["", "é", "😀"], ["a\u{301}", "x", "y"]]}), &[2, 3]).unwrap(),
                   Values::Text(["", "é", "😀", "a\u{301}", "x", "y"].iter().map(|s| s.to_string()).collect()));
        assert_eq!(load(&json!({"json": []}), &[2, 0]).unwrap(), Values::Text(vec![]));
    }

    #[test]
    fn bytes_travel_as_base64() {
        let items = vec![vec![], vec![0, 255], vec![1, 2, 3]];
        let reply = bytes_reply(&items, &[3]).unwrap();
        assert_eq!(reply, json!({"bytes_b64": ["", "AP8=", "AQID"]}));
        assert_eq!(load(&reply, &[3]).unwrap(), Values::Bytes(items));
    }

    #[test]
    fn bad_values_are_bad_requests() {
        for (values, shape) in [
            (json!({"json": ["a", 1]}), vec![2]),
            (json!({"json": ["a"]}), vec![2]),
            (json!({"json": "a"}), vec![1]),
            (json!({"bytes_b64": ["AP8"]}), vec![1]),   // no padding
            (json!({"bytes_b64": ["A*=="]}), vec![1]),
            (json!({"csv": "a,b"}), vec![2]),
        ] {
            let err = load(&values, &shape).unwrap_err();
            assert!(matches!(err, Failure::Error { ref kind, .. } if kind == "BadRequest"), "{values}: {err:?}");
        }
        assert!(matches!(load(&json!({"ragged": {}}), &[1]), Err(Failure::Unsupported(_))));
    }

    #[test]
    fn utf32_padding_is_dropped_and_bad_code_units_refused() {
        let units = |chars: &[u32]| chars.iter().flat_map(|c| c.to_ne_bytes()).collect::<Vec<u8>>();
        let array = NpyArray { dtype: NumpyDtype::parse("=U2").unwrap(), shape: vec![2], data: units(&[0xe9, 0, 0x1f600, 0x41]) };
        assert_eq!(utf32_items(&array).unwrap(), vec![vec!['é'], vec!['😀', 'A']]);
        assert_eq!(utf32_to_string(&units(&[0, 0x41, 0])).unwrap(), "\0A"); // inner NULs stay
        assert!(utf32_to_string(&units(&[0xd800])).is_err());
    }
}
