//! Fill values as JSON, the Zarr v3 way: numbers as numbers, "NaN" / "Infinity" / "-Infinity",
//! a NaN with a payload as the hex string of its bits ("0x7fc00001"), complex as [real, imag],
//! booleans as booleans; text as a JSON string and byte strings as base64 (docs/protocol.md,
//! "Values"). Conversions go through the value's bytes in native byte order.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use half::f16;
use serde_json::{json, Value};

use crate::{Failure, NumpyDtype};

/// The JSON form of a fill value held as `bytes` (native byte order) of `dtype`.
pub fn fill_to_json(bytes: &[u8], dtype: NumpyDtype) -> Result<Value, Failure> {
    if bytes.len() != dtype.size {
        return Err(Failure::error("FillValue", format!("{} fill value bytes for {}", bytes.len(), dtype.to_numpy())));
    }
    Ok(match dtype.kind {
        'b' => Value::Bool(bytes[0] != 0),
        'i' => json!(signed(bytes)),
        'u' => json!(unsigned(bytes)),
        'f' => float_to_json(bytes),
        'c' => {
            let (re, im) = bytes.split_at(dtype.size / 2);
            json!([float_to_json(re), float_to_json(im)])
        }
        'U' => Value::String(crate::values::utf32_to_string(bytes)?),
        _ => bytes_fill_to_json(bytes), // 'S': NUL padding kept, the comparison ignores it
    })
}

/// The fill value of a variable-length text array (its UTF-8 bytes) as a JSON string.
pub fn text_fill_to_json(bytes: &[u8]) -> Result<Value, Failure> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Failure::error("FillValue", format!("the text fill value is not UTF-8: {e}")))?;
    Ok(Value::String(text.to_string()))
}

/// The fill value of a byte-string array as base64 (RFC 4648, padded).
pub fn bytes_fill_to_json(bytes: &[u8]) -> Value {
    Value::String(BASE64.encode(bytes))
}

/// The bytes (native byte order) of `dtype` that a JSON fill value stands for.
pub fn fill_from_json(value: &Value, dtype: NumpyDtype) -> Result<Vec<u8>, Failure> {
    let bad = || Failure::bad_request(format!("fill value {value} does not fit {}", dtype.to_numpy()));
    match (dtype.kind, value) {
        ('b', Value::Bool(b)) => Ok(vec![u8::from(*b)]),
        ('i', Value::Number(n)) => {
            let v = n.as_i64().ok_or_else(bad)?;
            let half = 1i128 << (dtype.size * 8 - 1);
            (-half..half).contains(&i128::from(v)).then(|| low_bytes(v.to_ne_bytes(), dtype.size)).ok_or_else(bad)
        }
        ('u', Value::Number(n)) => {
            let v = n.as_u64().ok_or_else(bad)?;
            (u128::from(v) < 1u128 << (dtype.size * 8)).then(|| low_bytes(v.to_ne_bytes(), dtype.size)).ok_or_else(bad)
        }
        ('f', _) => float_from_json(value, dtype.size).ok_or_else(bad),
        ('c', Value::Array(parts)) if parts.len() == 2 => {
            let mut out = float_from_json(&parts[0], dtype.size / 2).ok_or_else(bad)?;
            out.extend(float_from_json(&parts[1], dtype.size / 2).ok_or_else(bad)?);
            Ok(out)
        }
        _ => Err(bad()),
    }
}

fn signed(bytes: &[u8]) -> i64 {
    let mut buf = [0u8; 8];
    let negative = bytes[native_msb(bytes.len())] & 0x80 != 0;
    buf.fill(if negative { 0xff } else { 0 });
    put_native(&mut buf, bytes);
    i64::from_ne_bytes(buf)
}

fn unsigned(bytes: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    put_native(&mut buf, bytes);
    u64::from_ne_bytes(buf)
}

/// Index of the most significant byte of a native-order integer of `len` bytes.
fn native_msb(len: usize) -> usize {
    if cfg!(target_endian = "little") { len - 1 } else { 0 }
}

/// The `len` least significant bytes of a native-order 8-byte integer.
fn low_bytes(buf: [u8; 8], len: usize) -> Vec<u8> {
    if cfg!(target_endian = "little") { buf[..len].to_vec() } else { buf[8 - len..].to_vec() }
}

/// Copy a narrower native-order integer into the low bytes of an 8-byte one.
fn put_native(buf: &mut [u8; 8], bytes: &[u8]) {
    if cfg!(target_endian = "little") {
        buf[..bytes.len()].copy_from_slice(bytes);
    } else {
        buf[8 - bytes.len()..].copy_from_slice(bytes);
    }
}

/// (value as f64, bits, bits of the canonical quiet NaN of this width)
fn float_parts(bytes: &[u8]) -> (f64, u64, u64) {
    match bytes.len() {
        2 => {
            let bits = u16::from_ne_bytes([bytes[0], bytes[1]]);
            (f16::from_bits(bits).to_f64(), u64::from(bits), u64::from(f16::NAN.to_bits()))
        }
        4 => {
            let bits = u32::from_ne_bytes(bytes.try_into().expect("4 bytes"));
            (f64::from(f32::from_bits(bits)), u64::from(bits), u64::from(f32::NAN.to_bits()))
        }
        _ => {
            let bits = u64::from_ne_bytes(bytes.try_into().expect("8 bytes"));
            (f64::from_bits(bits), bits, f64::NAN.to_bits())
        }
    }
}

fn float_to_json(bytes: &[u8]) -> Value {
    let (value, bits, canonical_nan) = float_parts(bytes);
    if value.is_nan() && bits != canonical_nan {
        return json!(format!("0x{bits:0width$x}", width = bytes.len() * 2)); // only hex keeps a payload
    }
    if value.is_nan() {
        json!("NaN")
    } else if value.is_infinite() {
        json!(if value > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        json!(value)
    }
}

fn float_from_json(value: &Value, size: usize) -> Option<Vec<u8>> {
    if let Some(hex) = value.as_str().and_then(|s| s.strip_prefix("0x")) {
        let bits = u64::from_str_radix(hex, 16).ok()?;
        return match size {
            2 => Some(u16::try_from(bits).ok()?.to_ne_bytes().to_vec()),
            4 => Some(u32::try_from(bits).ok()?.to_ne_bytes().to_vec()),
            _ => Some(bits.to_ne_bytes().to_vec()),
        };
    }
    let number = match value {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) if s == "NaN" => f64::NAN,
        Value::String(s) if s == "Infinity" => f64::INFINITY,
        Value::String(s) if s == "-Infinity" => f64::NEG_INFINITY,
        _ => return None,
    };
    Some(match size {
        2 => f16::from_f64(number).to_ne_bytes().to_vec(),
        4 => (number as f32).to_ne_bytes().to_vec(),
        _ => number.to_ne_bytes().to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> NumpyDtype {
        NumpyDtype::parse(s).unwrap().native()
    }

    fn round(value: Value, dtype: &str) -> Value {
        fill_to_json(&fill_from_json(&value, dt(dtype)).unwrap(), dt(dtype)).unwrap()
    }

    #[test]
    fn v3_spellings_survive_a_round_trip() {
        for (value, dtype) in [
            (json!("NaN"), "<f4"), (json!("-Infinity"), "<f8"), (json!("0x7fc00001"), "<f4"),
            (json!("0x7e01"), "<f2"), (json!(-0.0), "<f8"), (json!(1.5), "<f2"), (json!(true), "|b1"),
            (json!(-128), "|i1"), (json!(-2), "<i2"), (json!(u64::MAX), "<u8"), (json!(i64::MIN), "<i8"),
            (json!(["NaN", -1.25]), "<c8"), (json!([1.0, "Infinity"]), "<c16"),
        ] {
            assert_eq!(round(value.clone(), dtype), value, "{dtype}");
        }
    }

    #[test]
    fn out_of_range_is_refused() {
        assert!(fill_from_json(&json!(128), dt("|i1")).is_err());
        assert!(fill_from_json(&json!(-1), dt("<u2")).is_err());
        assert!(fill_from_json(&json!(256), dt("|u1")).is_err());
        assert!(fill_from_json(&json!("x"), dt("<f4")).is_err());
    }

    #[test]
    fn string_fills_are_text_and_base64() {
        let e_acute: Vec<u8> = ['é', '\0'].iter().flat_map(|c| (*c as u32).to_ne_bytes()).collect();
        assert_eq!(fill_to_json(&e_acute, dt("<U2")).unwrap(), json!("é"));
        assert_eq!(fill_to_json(b"ab\0", dt("|S3")).unwrap(), json!("YWIA"));
        assert_eq!(text_fill_to_json("fill-ü😀".as_bytes()).unwrap(), json!("fill-ü😀"));
        assert!(text_fill_to_json(&[0xff]).is_err());
        assert_eq!(bytes_fill_to_json(&[1, 2, 3]), json!("AQID"));
    }
}
