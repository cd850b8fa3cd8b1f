//! numpy dtype strings of the protocol ("<f8", ">i4", "|b1", "<U6", "|S5") and Zarr v3 data type names.

use serde_json::{json, Value};

use crate::Failure;

/// A fixed-size numpy dtype: kind `b`, `i`, `u`, `f` or `c` (numbers), `S` (bytes, NUL-padded) or
/// `U` (UTF-32 code units, NUL-padded), size in bytes, byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumpyDtype {
    pub kind: char,
    pub size: usize,
    pub big_endian: bool,
}

const KINDS: [(char, &str, &[usize]); 5] = [
    ('b', "bool", &[1]),
    ('i', "int", &[1, 2, 4, 8]),
    ('u', "uint", &[1, 2, 4, 8]),
    ('f', "float", &[2, 4, 8]),
    ('c', "complex", &[8, 16]),
];

impl NumpyDtype {
    /// Parse a numpy dtype string: byte order `<`, `>`, `|` or `=`, kind, size ("<f8", "|b1").
    pub fn parse(text: &str) -> Result<Self, Failure> {
        let bad = || Failure::bad_request(format!("expected a numpy dtype string like '<f8'. Got {text:?} instead"));
        let mut chars = text.chars();
        let order = chars.next().ok_or_else(bad)?;
        let kind = chars.next().ok_or_else(bad)?;
        let count: usize = chars.as_str().parse().map_err(|_| bad())?;
        // numpy counts a `U` type in code points, every other type in bytes.
        let size = if kind == 'U' { count.checked_mul(4).ok_or_else(bad)? } else { count };
        let big_endian = match order {
            '>' => true,
            '<' | '|' => false,
            '=' => cfg!(target_endian = "big"),
            _ => return Err(bad()),
        };
        let dtype = NumpyDtype { kind, size, big_endian: big_endian && dtype_swaps(kind, size) };
        let known = match KINDS.iter().find(|(k, _, _)| *k == kind) {
            Some((_, _, sizes)) => sizes.contains(&size),
            None => matches!(kind, 'S' | 'U') && size > 0,
        };
        if known {
            Ok(dtype)
        } else {
            Err(Failure::unsupported(format!(
                "dtype {text:?}: only bool, int, uint, float, complex and S / U strings are carried as .npy")))
        }
    }

    /// A number (bool, int, uint, float, complex), as opposed to a fixed-length string.
    pub fn is_number(self) -> bool {
        KINDS.iter().any(|(k, _, _)| *k == self.kind)
    }

    /// The same type in this machine's byte order: what libraries hand back in memory.
    pub fn native(self) -> Self {
        NumpyDtype { big_endian: cfg!(target_endian = "big") && dtype_swaps(self.kind, self.size), ..self }
    }

    pub fn is_native(self) -> bool {
        self == self.native()
    }

    /// The numpy string: `|` where byte order means nothing (single bytes, `S`), else `<` or `>`.
    pub fn to_numpy(self) -> String {
        let order = if !dtype_swaps(self.kind, self.size) { '|' } else if self.big_endian { '>' } else { '<' };
        let count = if self.kind == 'U' { self.size / 4 } else { self.size };
        format!("{order}{}{count}", self.kind)
    }

    /// The Zarr v3 data type name of a number ("float64", "bool", "complex128").
    pub fn zarr_v3_name(self) -> Result<String, Failure> {
        let (_, name, _) = KINDS.iter().find(|(k, _, _)| *k == self.kind)
            .ok_or_else(|| Failure::bad_request(format!("{} has no plain Zarr v3 data type name", self.to_numpy())))?;
        Ok(if self.kind == 'b' { name.to_string() } else { format!("{name}{}", self.size * 8) })
    }

    /// The Zarr v3 `data_type`: a number's name, or zarr-extensions `fixed_length_utf32` for `U`.
    /// `S` has no v3 data type in the catalogue's extensions: a bad request.
    pub fn zarr_v3_data_type(self) -> Result<Value, Failure> {
        if self.kind == 'U' {
            return Ok(json!({"name": "fixed_length_utf32", "configuration": {"length_bytes": self.size}}));
        }
        self.zarr_v3_name().map(Value::String)
    }

    /// The native-order dtype of a Zarr v3 data type name; None for names that are not plain numbers.
    pub fn from_zarr_v3_name(name: &str) -> Option<Self> {
        KINDS.iter().find_map(|(kind, prefix, sizes)| {
            let bits = if *kind == 'b' { (name == "bool").then_some(8)? } else { name.strip_prefix(prefix)?.parse::<usize>().ok()? };
            let dtype = NumpyDtype { kind: *kind, size: bits / 8, big_endian: false };
            (bits % 8 == 0 && sizes.contains(&dtype.size)).then(|| dtype.native())
        })
    }

    /// Bytes swapped as one unit when the byte order changes (a complex number swaps each part,
    /// a `U` string each code unit, an `S` string nothing).
    pub fn swap_unit(self) -> usize {
        match self.kind {
            'c' => self.size / 2,
            'U' => 4,
            'S' => 1,
            _ => self.size,
        }
    }
}

/// Whether the byte order changes the bytes of this type.
fn dtype_swaps(kind: char, size: usize) -> bool {
    kind != 'S' && size > 1
}

/// Reverse the byte order of every unit of `unit` bytes, in place.
pub fn swap_bytes(data: &mut [u8], unit: usize) {
    if unit > 1 {
        data.chunks_exact_mut(unit).for_each(<[u8]>::reverse);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_names() {
        let d = NumpyDtype::parse(">c16").unwrap();
        assert_eq!((d.kind, d.size, d.big_endian, d.swap_unit()), ('c', 16, true, 8));
        assert_eq!(d.zarr_v3_name().unwrap(), "complex128");
        assert_eq!(NumpyDtype::parse("|b1").unwrap().to_numpy(), "|b1");
        assert_eq!(NumpyDtype::from_zarr_v3_name("uint16").unwrap().native().to_numpy(), NumpyDtype::parse("=u2").unwrap().to_numpy());
        assert_eq!(NumpyDtype::from_zarr_v3_name("bool").unwrap().to_numpy(), "|b1");
        assert!(NumpyDtype::from_zarr_v3_name("string").is_none());
        assert!(NumpyDtype::from_zarr_v3_name("int3").is_none());
        assert!(matches!(NumpyDtype::parse("<M8"), Err(Failure::Unsupported(_))));
        assert!(matches!(NumpyDtype::parse("|S0"), Err(Failure::Unsupported(_))));
        assert!(matches!(NumpyDtype::parse("f8"), Err(Failure::Error { .. })));
    }

    #[test]
    fn fixed_length_strings() {
        let u = NumpyDtype::parse(">U6").unwrap();
        assert_eq!((u.kind, u.size, u.big_endian, u.swap_unit(), u.is_number()), ('U', 24, true, 4, false));
        assert_eq!(u.native().to_numpy(), if cfg!(target_endian = "big") { ">U6" } else { "<U6" });
        assert_eq!(u.zarr_v3_data_type().unwrap(), json!({"name": "fixed_length_utf32", "configuration": {"length_bytes": 24}}));
        let s = NumpyDtype::parse("|S5").unwrap();
        assert_eq!((s.size, s.big_endian, s.swap_unit(), s.to_numpy()), (5, false, 1, "|S5".to_string()));
        assert_eq!(NumpyDtype::parse(">S5").unwrap(), s);
        assert!(s.zarr_v3_data_type().is_err());
    }
}
