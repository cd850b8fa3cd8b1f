// The worker side of the protocol (docs/protocol.md) for JavaScript workers on Node: a worker module
// passes its handlers to serve({hello, read, write}) and makes library calls only.

import * as readline from "node:readline";
import { parse, stringify } from "./json.mjs";

export { fillFromJson, fillToJson } from "./fill.mjs";
export { cStrides, numpyDtype, parseDtype, readNpy, typedArrayOf, writeNpy } from "./npy.mjs";
export { regionEcho, regionOf, regionSelection } from "./region.mjs";

export const PROTOCOL_VERSION = 1; // docs/protocol.md; the harness refuses a worker that speaks another

/** Throw before calling the library: the request is outside what the implementation documents. */
export class Unsupported extends Error {}

/** Serve requests from stdin, one at a time, until shutdown or the end of input. */
export async function serve(handlers) {
  const reply = claimStdout();
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const [answer, stop] = await handle(line, handlers);
    await reply(stringify(answer) + "\n");
    if (stop) break;
  }
  lines.close();
  process.stdin.destroy();
}

// The protocol owns the real stdout: whatever a library prints (console.log, process.stdout.write)
// goes to stderr instead. Returns the writer for replies.
function claimStdout() {
  const stdout = process.stdout;
  const write = stdout.write.bind(stdout);
  stdout.write = (...args) => process.stderr.write(...args);
  for (const name of ["log", "info", "debug", "dir", "table"]) console[name] = console.error;
  return (text) => new Promise((resolve, reject) => write(text, (err) => (err ? reject(err) : resolve())));
}

export async function handle(line, handlers) {
  let request;
  try {
    request = parse(line);
    if (typeof request !== "object" || request === null || typeof request.op !== "string") {
      throw new Error("expected an object with a string 'op'");
    }
  } catch (e) {
    return [{ id: null, ok: false, error: { type: e.name ?? "Error", message: `bad request: ${e.message}` } }, false];
  }
  const { id = null, op } = request;
  if (op === "shutdown") return [{ id, ok: true }, true];
  if (!Object.hasOwn(handlers, op)) {
    return [{ id, ok: false, error: { type: "UnknownOp", message: `unknown op ${JSON.stringify(op)}` } }, false];
  }
  try {
    const result = op === "hello" ? { ...(await handlers.hello()), protocol: PROTOCOL_VERSION }
      : await handlers[op](request);
    return [{ id, ok: true, ...result }, false];
  } catch (e) {
    if (e instanceof Unsupported) return [{ id, ok: false, unsupported: e.message }, false];
    return [{ id, ok: false, error: describe(e) }, false];
  }
}

// What the library threw, with its causes (zarrita wraps codec failures) and where it was thrown.
function describe(e) {
  if (!(e instanceof Error)) return { type: typeof e, message: String(e) };
  let message = e.message;
  for (let cause = e.cause, depth = 0; cause && depth < 5; cause = cause.cause, depth++) {
    message += `: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`;
  }
  const where = /\(([^()]+):(\d+):\d+\)/.exec(e.stack?.split("\n")[1] ?? "");
  const at = where ? ` (at ${where[1].split("/").slice(-1)[0]}:${where[2]})` : "";
  return { type: e.constructor?.name ?? e.name ?? "Error", message: message + at };
}
