"""The JavaScript worker kit: its own node tests, .npy interchange with numpy in both directions, and
the JSON-lines loop keeping stdout for the protocol."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

KIT = Path(__file__).parents[2] / "src" / "zarr_conformance" / "adapters" / "js_kit"
pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="no node on PATH")


def node_module(script: str, stdin: str = "", timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["node", "--input-type=module", "-e", script], input=stdin, capture_output=True,
                          text=True, timeout=timeout, cwd=KIT)


def test_kit_node_tests_pass() -> None:
    done = subprocess.run(["node", "--test", str(KIT / "test")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout


ARRAYS = {
    "bool": np.array([[True, False, True], [False, False, True]]),
    "i1": np.arange(-3, 3, dtype="i1").reshape(2, 3),
    "u2-be": np.arange(6, dtype=">u2").reshape(2, 3),
    "i4-F": np.asfortranarray(np.arange(12, dtype="<i4").reshape(3, 4)),
    "i8-be": np.array([-(2**63), 2**63 - 1, -1], dtype=">i8"),
    "u8": np.array([0, 2**64 - 1, 2**53 + 1], dtype="<u8"),
    "f2-be": np.array([1.5, -0.0, np.inf, 65504.0], dtype=">f2"),
    "f4-nan-payload": np.array([0x7FC00001, 0x3F800000], dtype="<u4").view("<f4"),
    "f8-F-be": np.asfortranarray(np.linspace(-1, 1, 6, dtype=">f8").reshape(2, 3)),
    "c8": np.array([1 + 2j, -3.5 - 0.25j], dtype="<c8"),
    "c16-be-F": np.asfortranarray((np.arange(4) + 1j * np.arange(4)).astype(">c16").reshape(2, 2)),
    "scalar": np.array(7, dtype="<i2"),
}


def test_npy_interchange_with_numpy(tmp_path: Path) -> None:
    """numpy writes (any byte order, C or F); the kit reads and writes back native C order; same values, bit for bit."""
    for name, array in ARRAYS.items():
        np.save(tmp_path / f"{name}.npy", array)
    script = f"""
import {{ readNpy, writeNpy }} from "./npy.mjs";
for (const name of {json.dumps(list(ARRAYS))}) {{
  const {{ dtype, shape, data }} = readNpy(`{tmp_path}/${{name}}.npy`);
  writeNpy(`{tmp_path}/${{name}}.out.npy`, {{ dtype, shape, data }});
}}
"""
    done = node_module(script)
    assert done.returncode == 0, done.stderr
    for name, array in ARRAYS.items():
        back = np.load(tmp_path / f"{name}.out.npy")
        native = array.astype(array.dtype.newbyteorder("="))
        assert back.dtype == native.dtype, name
        assert back.flags.c_contiguous, name
        assert back.shape == array.shape, name
        assert np.ascontiguousarray(native).tobytes() == back.tobytes(), name


WORKER = """
import { serve, Unsupported } from "./kit.mjs";
await serve({
  hello: () => ({ name: "kit-test", version: "0" }),
  read: () => {
    console.log("library chatter");
    process.stdout.write("raw chatter\\n");
    return { nodes: [], big: 2n ** 64n - 1n };
  },
  write: () => { throw new Unsupported("cannot express it"); },
});
"""


def test_serve_keeps_stdout_for_replies() -> None:
    requests = ['{"id": 1, "op": "hello"}', '{"id": 2, "op": "read"}', "not json", '{"id": 3, "op": "write"}',
                '{"id": 4, "op": "shutdown"}', '{"id": 5, "op": "hello"}']
    done = node_module(WORKER, "\n".join(requests) + "\n")
    assert done.returncode == 0, done.stderr
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in replies] == [1, 2, None, 3, 4]  # nothing answered after shutdown
    assert replies[0] == {"id": 1, "ok": True, "name": "kit-test", "version": "0", "protocol": 1}
    assert replies[1]["big"] == 2**64 - 1
    assert replies[2]["ok"] is False and "bad request" in replies[2]["error"]["message"]
    assert replies[3] == {"id": 3, "ok": False, "unsupported": "cannot express it"}
    assert "library chatter" in done.stderr and "raw chatter" in done.stderr
