//! numpy dtype strings of the protocol ("<f8", ">i4", "|b1") and Zarr v3 data type names.

use crate::Failure;

/// A fixed-size numeric numpy dtype: kind `b`, `i`, `u`, `f` or `c`, size in bytes, byte order.
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
        let size: usize = chars.as_str().parse().map_err(|_| bad())?;
        let big_endian = match order {
            '>' => true,
            '<' | '|' => false,
            '=' => cfg!(target_endian = "big"),
            _ => return Err(bad()),
        };
        let dtype = NumpyDtype { kind, size, big_endian: big_endian && size > 1 };
        match KINDS.iter().find(|(k, _, _)| *k == kind) {
            Some((_, _, sizes)) if sizes.contains(&size) => Ok(dtype),
            _ => Err(Failure::unsupported(format!("dtype {text:?}: only bool, int, uint, float and complex are carried as .npy"))),
        }
    }

    /// The same type in this machine's byte order: what libraries hand back in memory.
    pub fn native(self) -> Self {
        NumpyDtype { big_endian: cfg!(target_endian = "big") && self.size > 1, ..self }
    }

    pub fn is_native(self) -> bool {
        self == self.native()
    }

    /// The numpy string: `|` for single bytes, else `<` or `>`.
    pub fn to_numpy(self) -> String {
        let order = if self.size == 1 { '|' } else if self.big_endian { '>' } else { '<' };
        format!("{order}{}{}", self.kind, self.size)
    }

    /// The Zarr v3 data type name ("float64", "bool", "complex128").
    pub fn zarr_v3_name(self) -> String {
        let (_, name, _) = KINDS.iter().find(|(k, _, _)| *k == self.kind).expect("checked at parse");
        if self.kind == 'b' { name.to_string() } else { format!("{name}{}", self.size * 8) }
    }

    /// The native-order dtype of a Zarr v3 data type name; None for names that are not plain numbers.
    pub fn from_zarr_v3_name(name: &str) -> Option<Self> {
        KINDS.iter().find_map(|(kind, prefix, sizes)| {
            let bits = if *kind == 'b' { (name == "bool").then_some(8)? } else { name.strip_prefix(prefix)?.parse::<usize>().ok()? };
            let dtype = NumpyDtype { kind: *kind, size: bits / 8, big_endian: false };
            (bits % 8 == 0 && sizes.contains(&dtype.size)).then(|| dtype.native())
        })
    }

    /// Bytes swapped as one unit when the byte order changes (a complex number swaps each part).
    pub fn swap_unit(self) -> usize {
        if self.kind == 'c' { self.size / 2 } else { self.size }
    }
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
        assert_eq!(d.zarr_v3_name(), "complex128");
        assert_eq!(NumpyDtype::parse("|b1").unwrap().to_numpy(), "|b1");
        assert_eq!(NumpyDtype::from_zarr_v3_name("uint16").unwrap().native().to_numpy(), NumpyDtype::parse("=u2").unwrap().to_numpy());
        assert_eq!(NumpyDtype::from_zarr_v3_name("bool").unwrap().to_numpy(), "|b1");
        assert!(NumpyDtype::from_zarr_v3_name("string").is_none());
        assert!(NumpyDtype::from_zarr_v3_name("int3").is_none());
        assert!(matches!(NumpyDtype::parse("<U4"), Err(Failure::Unsupported(_))));
        assert!(matches!(NumpyDtype::parse("f8"), Err(Failure::Error { .. })));
    }
}
