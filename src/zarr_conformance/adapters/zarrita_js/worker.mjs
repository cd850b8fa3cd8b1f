// Worker for zarrita.js: zarr.open.v2 / zarr.open.v3 and zarr.get (whole, or a region's slices) to read,
// zarr.create and zarr.set to write, on @zarrita/storage's FileSystemStore. Everything else is the js_kit.

import * as fs from "node:fs";
import FileSystemStore from "@zarrita/storage/fs";
import GZip from "numcodecs/gzip";
import Zlib from "numcodecs/zlib";
import * as zarr from "zarrita";
import {
  cStrides, fillFromJson, fillToJson, numpyDtype, parseDtype, readNpy, regionEcho, regionSelection, serve, typedArrayOf,
  Unsupported, writeNpy,
} from "../js_kit/kit.mjs";

// The installed version of a package: its package.json in the nearest node_modules upwards, as Node
// resolves it (zarrita's "exports" do not expose package.json, and import.meta.resolve needs Node 20).
function packageVersion(name) {
  for (let dir = new URL(".", import.meta.url); ; dir = new URL("..", dir)) {
    const manifest = new URL(`node_modules/${name}/package.json`, dir);
    if (fs.existsSync(manifest)) return JSON.parse(fs.readFileSync(manifest, "utf8")).version;
    if (dir.pathname === "/") throw new Error(`${name} is not installed`);
  }
}

function hello() {
  return {
    name: "zarrita.js", version: packageVersion("zarrita"),
    detail: `@zarrita/storage ${packageVersion("@zarrita/storage")}, numcodecs.js ${packageVersion("numcodecs")}, node ${process.versions.node}`,
  };
}

function locate(store, path) {
  const root = zarr.root(store);
  return path ? root.resolve(path) : root;
}

// zarrita's names for string data types -> numpy's
function numpyName(dtype) {
  const fixed = /^v2:([US])(\d+)$/.exec(dtype);
  if (fixed) return fixed[1] === "U" ? `<U${fixed[2]}` : `|S${fixed[2]}`;
  if (dtype === "string" || dtype === "v2:object") return "|O";
  return null;
}

// zarr.get hands back a chunk {data, shape, stride}, or a bare scalar for a 0-d array.
function saveValues(outDir, index, dtype, shape, got) {
  if (numpyName(dtype) !== null) {
    return { json: shape.length === 0 ? got : nested(got) };  // strings and objects
  }
  const chunk = shape.length === 0 ? { data: typedArrayOf(dtype, [got]), shape: [], stride: [] } : got;
  const path = `${outDir}/${index}.npy`;
  writeNpy(path, { dtype, shape: chunk.shape, data: chunk.data, stride: chunk.stride });
  return { npy: path };
}

function nested({ data, shape, stride }, offset = 0, dim = 0) {
  if (dim === shape.length) return "get" in data ? data.get(offset) : data[offset];
  return globalThis.Array.from({ length: shape[dim] }, (_, i) => nested({ data, shape, stride }, offset + i * stride[dim], dim + 1));
}

async function read(request) {
  const store = new FileSystemStore(request.store);
  const open = request.zarr_format === 2 ? zarr.open.v2 : zarr.open.v3;
  const nodes = [];
  for (const [i, node] of request.nodes.entries()) {
    if (node.kind === "group") {
      const group = await open(locate(store, node.path), { kind: "group" });
      nodes.push({ path: node.path, kind: "group", attributes: group.attrs });
      continue;
    }
    const array = await open(locate(store, node.path), { kind: "array" });
    // A region read asks zarr.get for that box (zarr.slice per dimension): zarrita fetches only its chunks.
    const got = await zarr.get(array, regionSelection(node, array.shape, zarr.slice));
    nodes.push({
      path: node.path, kind: "array", shape: array.shape,
      dtype: numpyName(array.dtype) ?? numpyDtype(array.dtype),
      fill_value: fillToJson(array.fillValue), attributes: array.attrs, dimension_names: array.dimensionNames ?? null,
      values: saveValues(request.out_dir, i, array.dtype, array.shape, got), ...regionEcho(node, array.shape),
    });
  }
  return { nodes };
}

// The values of a write request as zarrita's set() takes them: a chunk, or a scalar for a 0-d array.
function valueFor(node, dtype) {
  const { shape, data } = readNpy(node.values.npy);
  const typed = dtype === "bool" ? new zarr.BoolArray(data.buffer, data.byteOffset, data.length) : data;
  if (shape.length === 0) return "get" in typed ? typed.get(0) : typed[0];
  return { data: typed, shape, stride: cStrides(shape) };
}

// zarrita's own gzip and zlib codecs only decode; its documented remedy for writing is to register
// numcodecs.js's encoders (https://github.com/manzt/zarrita.js/pull/275). Done for writes only, so
// reads keep zarrita's defaults.
const ENCODERS = { gzip: () => GZip, zlib: () => Zlib };
// create() writes chunk_grid {"name": "regular", "configuration": {"chunk_shape": chunkShape}} and nothing else.
const CREATE = "zarrita 0.7.5 create() (https://github.com/manzt/zarrita.js/blob/main/packages/zarrita/src/create.ts)";

async function write(request) {
  if (request.zarr_format !== 3) throw new Unsupported("zarr.create writes Zarr v3 metadata only");
  const defaults = Object.fromEntries(Object.keys(ENCODERS).map((name) => [name, zarr.registry.get(name)]));
  for (const [name, codec] of Object.entries(ENCODERS)) zarr.registry.set(name, codec);
  try {
    return await writeNodes(request);
  } finally {
    for (const [name, codec] of Object.entries(defaults)) zarr.registry.set(name, codec);
  }
}

async function writeNodes(request) {
  const store = new FileSystemStore(request.store);
  for (const node of request.nodes) {
    const location = locate(store, node.path);
    if (node.kind === "group") {
      await zarr.create(location, { attributes: node.attributes });
      continue;
    }
    if ((node.chunk_key_encoding ?? "default") !== "default") {
      throw new Unsupported("zarr.create has no chunk key encoding option (always 'default')");
    }
    const grid = node.chunk_grid?.name ?? "regular";
    if (grid !== "regular") {  // the spec declares it; never write the regular grid of `chunks` instead
      throw new Unsupported(`zarr.create takes chunkShape only, no ${grid} chunk grid (see ${CREATE})`);
    }
    const dtype = parseDtype(node.dtype).name;
    const array = await zarr.create(location, {
      shape: node.shape, chunkShape: node.chunks, dtype, codecs: node.codecs,
      fillValue: fillFromJson(node.fill_value, dtype), chunkSeparator: node.chunk_key_separator,
      dimensionNames: node.dimension_names ?? undefined, attributes: node.attributes,
    });
    await zarr.set(array, null, valueFor(node, dtype));
  }
  return {};
}

await serve({ hello, read, write });
