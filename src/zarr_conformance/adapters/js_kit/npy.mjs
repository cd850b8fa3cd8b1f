// .npy files (format 1.0-3.0) to and from typed arrays, for every numeric dtype the harness uses.
// Values are handed over in native (little-endian) byte order; float16 travels as its raw bits
// (Uint16Array) when the runtime has no Float16Array; complex as interleaved real/imaginary floats.

import * as fs from "node:fs";

const MAGIC = "\x93NUMPY";

// numpy kind+size -> [v3 data type name, typed array constructor holding it in native order]
const TYPES = {
  b1: ["bool", Uint8Array], i1: ["int8", Int8Array], u1: ["uint8", Uint8Array],
  i2: ["int16", Int16Array], u2: ["uint16", Uint16Array], i4: ["int32", Int32Array],
  u4: ["uint32", Uint32Array], i8: ["int64", BigInt64Array], u8: ["uint64", BigUint64Array],
  f2: ["float16", globalThis.Float16Array ?? Uint16Array], f4: ["float32", Float32Array],
  f8: ["float64", Float64Array], c8: ["complex64", Float32Array], c16: ["complex128", Float64Array],
};
const BY_NAME = Object.fromEntries(Object.entries(TYPES).map(([code, [name]]) => [name, code]));

/** numpy dtype string ("<f8", ">i4", "|b1") -> {name, code, bigEndian, itemsize}. */
export function parseDtype(descr) {
  const m = /^([<>|=])?([biufc])(\d+)$/.exec(descr);
  if (!m || !TYPES[m[2] + m[3]]) throw new Error(`unsupported numpy dtype ${JSON.stringify(descr)}`);
  const code = m[2] + m[3];
  return { name: TYPES[code][0], code, bigEndian: m[1] === ">", itemsize: Number(m[3]) };
}

/** v3 data type name ("int32") -> native little-endian numpy dtype string ("<i4"). */
export function numpyDtype(name) {
  const code = BY_NAME[name];
  if (!code) throw new Error(`no numpy dtype for data type ${JSON.stringify(name)}`);
  return (code.endsWith("1") ? "|" : "<") + code;
}

/** Values (numbers, BigInts, booleans) -> a native-order typed array for data type `name` ("int64"). */
export function typedArrayOf(name, values) {
  const Ctor = TYPES[BY_NAME[name]]?.[1];
  if (!Ctor) throw new Error(`no typed array for data type ${JSON.stringify(name)}`);
  return name === "bool" ? Ctor.from(values, (v) => (v ? 1 : 0)) : Ctor.from(values);
}

/** Read an .npy file: {dtype (v3 name), shape, data: native-order typed array in C order}. */
export function readNpy(path) {
  const bytes = fs.readFileSync(path);
  if (bytes.subarray(0, 6).toString("latin1") !== MAGIC) throw new Error(`${path}: not an .npy file`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.subarray(start, start + headerLength).toString(major === 3 ? "utf8" : "latin1");
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shapeText === undefined) throw new Error(`${path}: unreadable .npy header ${header}`);
  const shape = shapeText.split(",").map((s) => s.trim()).filter(Boolean).map(Number);
  const dtype = parseDtype(descr);
  const count = shape.reduce((a, b) => a * b, 1);
  const raw = new Uint8Array(bytes.buffer, bytes.byteOffset + start + headerLength, count * dtype.itemsize);
  const copy = new Uint8Array(raw); // own, aligned buffer
  if (dtype.bigEndian) byteswap(copy, dtype.code.startsWith("c") ? dtype.itemsize / 2 : dtype.itemsize);
  const Ctor = TYPES[dtype.code][1];
  let data = new Ctor(copy.buffer, 0, copy.byteLength / Ctor.BYTES_PER_ELEMENT);
  if (fortran && shape.length > 1) {
    const perItem = dtype.code.startsWith("c") ? 2 : 1;
    data = reorder(data, shape, fStrides(shape), perItem);
  }
  return { dtype: dtype.name, shape, data };
}

/**
 * Write values to an .npy file. `data` is a typed array (or anything with buffer/byteOffset/byteLength,
 * such as a library's bool array) of native-order elements of data type `dtype` (v3 name), laid out
 * with element `stride` (C order when omitted); a non-C layout is written in C order.
 */
export function writeNpy(path, { dtype, shape, data, stride }) {
  const descr = numpyDtype(dtype);
  const { itemsize } = parseDtype(descr);
  let bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (stride && !sameStrides(stride, cStrides(shape))) {
    bytes = new Uint8Array(reorder(new Uint8Array(bytes), shape, stride, itemsize).buffer);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.byteLength !== count * itemsize) {
    throw new Error(`values hold ${bytes.byteLength} bytes, shape [${shape}] of ${dtype} needs ${count * itemsize}`);
  }
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(", ");
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  header += " ".repeat((64 - ((10 + header.length + 1) % 64)) % 64) + "\n";
  const prefix = Buffer.alloc(10);
  prefix.write(MAGIC, 0, "latin1");
  prefix[6] = 1;
  prefix.writeUInt16LE(header.length, 8);
  fs.writeFileSync(path, Buffer.concat([prefix, Buffer.from(header, "latin1"), bytes]));
}

export function cStrides(shape) {
  const strides = new Array(shape.length);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= shape[i];
  }
  return strides;
}

function fStrides(shape) {
  return cStrides([...shape].reverse()).reverse();
}

function sameStrides(a, b) {
  return a.length === b.length && a.every((s, i) => s === b[i] || b.length === 0);
}

// Copies elements laid out with `stride` (in elements of `perItem` units) into C order.
function reorder(source, shape, stride, perItem) {
  const out = new source.constructor(source.length);
  const index = new Array(shape.length).fill(0);
  const count = shape.reduce((a, b) => a * b, 1);
  for (let n = 0; n < count; n++) {
    let from = 0;
    for (let d = 0; d < shape.length; d++) from += index[d] * stride[d];
    for (let k = 0; k < perItem; k++) out[n * perItem + k] = source[from * perItem + k];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

function byteswap(bytes, width) {
  if (width === 1) return;
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}
