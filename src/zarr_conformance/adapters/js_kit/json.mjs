// JSON for the protocol, without the losses of plain JSON.parse/JSON.stringify: integers past 2^53
// (uint64 fill values) stay exact as BigInt, and NaN, ±Infinity and -0 keep their Zarr v3 spellings.

const MARK = "\u0000zc:"; // a string no request or library value starts with

/** Parse a JSON text; integer literals that a Number cannot hold exactly become BigInt. */
export function parse(text) {
  return JSON.parse(markBigIntegers(text), (_key, value) =>
    typeof value === "string" && value.startsWith(MARK) ? BigInt(value.slice(MARK.length)) : value);
}

// Rewrites each integer literal outside strings that is not a safe integer into a marked string.
function markBigIntegers(text) {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      const token = m ? m[0] : c;
      const isInteger = m && !m[1] && !m[2];
      out += isInteger && !Number.isSafeInteger(Number(token)) ? JSON.stringify(MARK + token) : token;
      i += token.length;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** One-line JSON: BigInt as integer digits, NaN/±Infinity as "NaN"/"Infinity"/"-Infinity", -0 as -0.0. */
export function stringify(value) {
  const text = JSON.stringify(value, (_key, v) => {
    if (typeof v === "bigint") return MARK + v.toString();
    if (typeof v === "number" && !Number.isFinite(v)) return Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    if (typeof v === "number" && Object.is(v, -0)) return `${MARK}-0.0`;
    return v;
  });
  // The marks come out escaped ("\u0000zc:123"); put the bare literal back in their place.
  return text.replace(/"\\u0000zc:(-?[\d.]+)"/g, "$1");
}
