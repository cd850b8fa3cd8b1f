// The kit's own tests: node --test src/zarr_conformance/adapters/js_kit/test/ (run from pytest too).

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { fillFromJson, halfToNumber } from "../fill.mjs";
import { parse, stringify } from "../json.mjs";
import { handle, regionEcho, regionOf, regionSelection, Unsupported } from "../kit.mjs";
import { numpyDtype, parseDtype, readNpy, typedArrayOf, writeNpy } from "../npy.mjs";

test("parse keeps integers past 2^53 exact and leaves strings alone", () => {
  const value = parse('{"a": 18446744073709551615, "b": -9223372036854775808, "c": 1.5e300, "d": "123456789012345678901", "e": 7}');
  assert.equal(value.a, 18446744073709551615n);
  assert.equal(value.b, -9223372036854775808n);
  assert.equal(value.c, 1.5e300);
  assert.equal(value.d, "123456789012345678901");
  assert.equal(value.e, 7);
  assert.deepEqual(parse('["say \\"99999999999999999999\\"", 1]'), ['say "99999999999999999999"', 1]);
});

test("stringify writes BigInt digits and the v3 spellings of non-finite floats", () => {
  assert.equal(stringify({ a: 18446744073709551615n, b: NaN, c: -Infinity, d: Infinity, e: -0, f: 0.5 }),
    '{"a":18446744073709551615,"b":"NaN","c":"-Infinity","d":"Infinity","e":-0.0,"f":0.5}');
  assert.equal(stringify([1n, "zc:2"]), '[1,"zc:2"]');
});

test("fillFromJson decodes the v3 forms", () => {
  assert.ok(Number.isNaN(fillFromJson("NaN", "float64")));
  assert.equal(fillFromJson("-Infinity", "float32"), -Infinity);
  assert.ok(Number.isNaN(fillFromJson("0x7fc00001", "float32")));
  assert.equal(fillFromJson("0x3ff0000000000000", "float64"), 1);
  assert.equal(fillFromJson("0x3c00", "float16"), 1);
  assert.equal(fillFromJson(18446744073709551615n, "uint64"), 18446744073709551615n);
  assert.equal(fillFromJson(-1, "int64"), -1n);
  assert.equal(fillFromJson(1, "bool"), true);
  assert.deepEqual(fillFromJson([1, "NaN"], "complex64").map(String), ["1", "NaN"]);
  assert.equal(fillFromJson(null, "int32"), null);
  assert.equal(halfToNumber(0xfc00), -Infinity);
  assert.equal(halfToNumber(0x0001), 2 ** -24);
});

test("npy dtype names", () => {
  assert.equal(numpyDtype("int8"), "|i1");
  assert.equal(numpyDtype("float16"), "<f2");
  assert.equal(numpyDtype("complex128"), "<c16");
  assert.deepEqual(parseDtype(">u8"), { name: "uint64", code: "u8", bigEndian: true, itemsize: 8 });
  assert.throws(() => parseDtype("<U4"), /unsupported numpy dtype/);
});

test("npy roundtrip for every numeric dtype, C order from any strides", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "js-kit-"));
  for (const name of ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
    "float32", "float64"]) {
    const values = name === "bool" ? [true, false, true, true, false, false]
      : name.endsWith("int64") ? [0n, 1n, 2n, 3n, 4n, 5n] : [0, 1, 2, 3, 4, 5];
    const file = path.join(dir, `${name}.npy`);
    writeNpy(file, { dtype: name, shape: [2, 3], data: typedArrayOf(name, values) });
    const back = readNpy(file);
    assert.equal(back.dtype, name);
    assert.deepEqual(back.shape, [2, 3]);
    assert.deepEqual([...back.data], [...typedArrayOf(name, values)]);
  }
  // F-ordered strides are written in C order
  const file = path.join(dir, "f.npy");
  writeNpy(file, { dtype: "int32", shape: [2, 3], data: Int32Array.from([0, 3, 1, 4, 2, 5]), stride: [1, 2] });
  assert.deepEqual([...readNpy(file).data], [0, 1, 2, 3, 4, 5]);
  // 0-d
  writeNpy(file, { dtype: "float64", shape: [], data: Float64Array.from([2.5]) });
  assert.deepEqual(readNpy(file), { dtype: "float64", shape: [], data: Float64Array.from([2.5]) });
  assert.throws(() => writeNpy(file, { dtype: "int32", shape: [4], data: Int32Array.from([1]) }), /needs 16/);
  fs.rmSync(dir, { recursive: true });
});

test("handle: hello carries the protocol version; errors and declines are replies", async () => {
  const handlers = {
    hello: () => ({ name: "x", version: "1" }),
    read: (request) => { if (request.boom) throw new TypeError("bad", { cause: new Error("root") }); throw new Unsupported("no"); },
  };
  assert.deepEqual(await handle('{"id": 1, "op": "hello"}', handlers),
    [{ id: 1, ok: true, name: "x", version: "1", protocol: 1 }, false]);
  assert.deepEqual(await handle('{"id": 2, "op": "read"}', handlers), [{ id: 2, ok: false, unsupported: "no" }, false]);
  const [boom] = await handle('{"id": 3, "op": "read", "boom": true}', handlers);
  assert.equal(boom.error.type, "TypeError");
  assert.match(boom.error.message, /^bad: Error: root/);
  const [bad] = await handle("{nope", handlers);
  assert.equal(bad.id, null);
  assert.match(bad.error.message, /^bad request/);
  assert.equal((await handle('{"id": 4, "op": "write"}', handlers))[0].error.type, "UnknownOp");
  assert.deepEqual(await handle('{"id": 5, "op": "shutdown"}', handlers), [{ id: 5, ok: true }, true]);
});

test("a region becomes the library's selection, checked against the shape", () => {
  const slice = (a, b) => `${a}:${b}`;
  assert.equal(regionSelection({ path: "a" }, [3, 4], slice), null);
  assert.deepEqual(regionSelection({ region: [[1, 3], [0, 0]] }, [3, 4], slice), ["1:3", "0:0"]);
  assert.deepEqual(regionSelection({ region: [] }, [], slice), []);  // 0-d
  assert.deepEqual(regionSelection({ region: [[2n, 3]] }, [3], slice), ["2:3"]);
  for (const region of [[[0, 4]], [[2, 1], [0, 1]], [[0, 1]], [[-1, 1], [0, 1]], [[0.5, 1], [0, 1]], "0:1", [[0, 1, 2], [0, 1]]]) {
    assert.throws(() => regionSelection({ region }, [3, 4], slice), /is not a \[start, stop\] box inside the array's shape \[3,4\]/,
      JSON.stringify(region));
  }
});

test("a reply node repeats the region only when one was asked", () => {
  assert.deepEqual(regionEcho({ path: "a" }, [3]), {});
  assert.deepEqual(regionEcho({ region: [[0, 2]] }, [3]), { region: [[0, 2]] });
  assert.deepEqual(regionOf({ region: [] }, []), []);
});
