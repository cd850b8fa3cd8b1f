//! Values as `.npy` files. npyz reads and writes the header (its text format, padding and
//! versions); the data moves as raw bytes, native byte order and C order in memory, which is
//! what Zarr libraries hand over, so no per-type code is needed here.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use npyz::{DType, NpyHeader, Order, TypeStr, WriterBuilder};

use crate::dtype::{swap_bytes, NumpyDtype};
use crate::Failure;

/// A whole array: dtype in native byte order, shape, and its bytes in C order.
#[derive(Debug, Clone, PartialEq)]
pub struct NpyArray {
    pub dtype: NumpyDtype,
    pub shape: Vec<u64>,
    pub data: Vec<u8>,
}

/// Read a `.npy` file (any byte order, C or F order) into native-order, C-order bytes.
pub fn read_npy(path: &Path) -> Result<NpyArray, Failure> {
    let mut reader = BufReader::new(File::open(path)?);
    let header = NpyHeader::from_reader(&mut reader)?;
    let DType::Plain(type_str) = header.dtype() else {
        return Err(Failure::unsupported(format!("{}: structured dtypes are not carried as .npy", path.display())));
    };
    let stored = NumpyDtype::parse(&type_str.to_string())?;
    let shape = header.shape().to_vec();
    let expected = shape.iter().try_fold(stored.size as u64, |n, &d| n.checked_mul(d))
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| Failure::bad_request(format!("{}: shape {shape:?} overflows the address space", path.display())))?;
    let mut data = Vec::with_capacity(expected);
    reader.read_to_end(&mut data)?;
    if data.len() != expected {
        return Err(Failure::bad_request(format!("{}: {} data bytes, expected {expected}", path.display(), data.len())));
    }
    if !stored.is_native() {
        swap_bytes(&mut data, stored.swap_unit());
    }
    if header.order() == Order::Fortran && shape.len() > 1 {
        data = fortran_to_c(&data, &shape, stored.size);
    }
    Ok(NpyArray { dtype: stored.native(), shape, data })
}

/// Write native-order, C-order bytes as a `.npy` file.
pub fn write_npy(path: &Path, array: &NpyArray) -> Result<(), Failure> {
    let type_str: TypeStr = array.dtype.native().to_numpy().parse()
        .map_err(|e| Failure::error("NpyError", format!("dtype {}: {e}", array.dtype.to_numpy())))?;
    let mut out = BufWriter::new(File::create(path)?);
    npyz::WriteOptions::new_header_only()
        .dtype(DType::Plain(type_str))
        .shape(&array.shape)
        .writer(&mut out)
        .write_header_only()?;
    out.write_all(&array.data)?;
    out.flush()?;
    Ok(())
}

/// Reorder elements stored in Fortran order (first index fastest) into C order.
fn fortran_to_c(data: &[u8], shape: &[u64], size: usize) -> Vec<u8> {
    let shape: Vec<usize> = shape.iter().map(|&n| n as usize).collect();
    let mut f_strides = vec![1usize; shape.len()];
    for axis in 1..shape.len() {
        f_strides[axis] = f_strides[axis - 1] * shape[axis - 1];
    }
    let count: usize = shape.iter().product();
    let mut out = Vec::with_capacity(data.len());
    let mut index = vec![0usize; shape.len()];
    for _ in 0..count {
        let offset: usize = index.iter().zip(&f_strides).map(|(i, s)| i * s).sum::<usize>() * size;
        out.extend_from_slice(&data[offset..offset + size]);
        for axis in (0..shape.len()).rev() {
            index[axis] += 1;
            if index[axis] < shape[axis] {
                break;
            }
            index[axis] = 0;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fortran_order_becomes_c_order() {
        // shape (2, 3), values 0..6 in C order; in F order the bytes read 0 3 1 4 2 5
        let f = [0u8, 3, 1, 4, 2, 5];
        assert_eq!(fortran_to_c(&f, &[2, 3], 1), vec![0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn written_files_read_back() {
        let dir = std::env::temp_dir().join(format!("zc-kit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.npy");
        let values: Vec<u8> = [1.5f64, -0.0, f64::NAN].iter().flat_map(|v| v.to_ne_bytes()).collect();
        let array = NpyArray { dtype: NumpyDtype::parse("=f8").unwrap(), shape: vec![3], data: values };
        write_npy(&path, &array).unwrap();
        assert_eq!(read_npy(&path).unwrap(), array);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
