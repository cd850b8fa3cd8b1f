// Fill values between the protocol's JSON (Zarr v3 style: "NaN", "Infinity", "-Infinity", hex
// "0x..." bit patterns, complex as [re, im]) and JavaScript values.

const SPECIAL = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

/**
 * A request's fill value -> a JavaScript value for a data type named the v3 way ("float32", "int64"):
 * a number, a BigInt for 64-bit integers, a boolean, or [re, im] for complex. A hex string is decoded
 * from its bits (a NaN payload survives only as far as a JavaScript number can carry it).
 */
export function fillFromJson(value, dtype) {
  if (value === null || value === undefined) return null;
  if (dtype.startsWith("complex")) {
    const part = dtype === "complex64" ? "float32" : "float64";
    return [fillFromJson(value[0], part), fillFromJson(value[1], part)];
  }
  if (dtype === "bool") return Boolean(value);
  if (dtype === "int64" || dtype === "uint64") return BigInt(value);
  if (typeof value === "string" && value.startsWith("0x") && dtype.startsWith("float")) return fromHex(value, dtype);
  if (typeof value === "string" && value in SPECIAL) return SPECIAL[value];
  if (typeof value === "bigint") return Number(value);
  return value;
}

function fromHex(text, dtype) {
  const view = new DataView(new ArrayBuffer(8));
  const bits = BigInt(text);
  if (dtype === "float64") {
    view.setBigUint64(0, bits);
    return view.getFloat64(0);
  }
  if (dtype === "float32") {
    view.setUint32(0, Number(bits));
    return view.getFloat32(0);
  }
  return halfToNumber(Number(bits));
}

/** IEEE half-precision bits -> number. */
export function halfToNumber(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/**
 * A fill value as a library holds it -> protocol JSON. Numbers pass through (json.stringify writes
 * NaN/±Infinity the v3 way), BigInt stays exact, complex pairs are [re, im]; a string (a library that
 * keeps the metadata's text) is passed on as it is.
 */
export function fillToJson(value) {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(fillToJson);
  return value;
}
