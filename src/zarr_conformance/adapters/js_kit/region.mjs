// Region reads (docs/protocol.md "Region reads"): a read request's array node may carry
// "region": [[start, stop], ...], the half-open box to read. The kit checks the box against the array's
// shape and turns it into the library's selection; the worker passes that to the library's partial read.

function index(x) {
  if (typeof x === "bigint" && x <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(x);  // json.mjs keeps big ones as BigInt
  return Number.isSafeInteger(x) ? x : NaN;
}

/** The node's region as [[start, stop], ...] checked against `shape`, or null when the whole array is asked. */
export function regionOf(node, shape) {
  if (node.region === undefined || node.region === null) return null;
  const region = Array.isArray(node.region) ? node.region.map((r) => (Array.isArray(r) ? r.map(index) : [])) : null;
  const inside = region !== null && region.length === shape.length
    && region.every((r, d) => r.length === 2 && r[0] >= 0 && r[0] <= r[1] && r[1] <= shape[d]);
  if (!inside) {
    throw new RangeError(`region ${JSON.stringify(node.region, (_, v) => (typeof v === "bigint" ? String(v) : v))} `
      + `is not a [start, stop] box inside the array's shape ${JSON.stringify(shape)}`);
  }
  return region;
}

/** The library's selection for the node's box, one `makeSlice(start, stop)` per dimension (e.g. zarrita's
 * zarr.slice), or null for the whole array. */
export function regionSelection(node, shape, makeSlice) {
  const region = regionOf(node, shape);
  return region === null ? null : region.map(([start, stop]) => makeSlice(start, stop));
}

/** The fields a reply node adds for a region read: the region as asked, or nothing. */
export function regionEcho(node, shape) {
  const region = regionOf(node, shape);
  return region === null ? {} : { region };
}
