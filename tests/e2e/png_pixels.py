"""Pixels of the PNG screenshots chromium writes (8-bit RGB or RGBA, not interlaced), so a test can ask
whether a colour is on screen. The PNG format's own filters, undone with numpy."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np


def pixels(path: Path) -> np.ndarray:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        header = chunk if kind == b"IHDR" else header
        idat += chunk if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and not interlace, "only 8-bit RGB(A), non-interlaced"
    channels = 3 if colour == 2 else 4
    raw = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(height, 1 + width * channels)
    out = np.zeros((height, width * channels), np.int32)
    for y in range(height):
        kind, line = raw[y, 0], raw[y, 1:].astype(np.int32)
        up = out[y - 1] if y else np.zeros_like(line)
        if kind in (0, 2):
            out[y] = (line + (up if kind == 2 else 0)) & 255
            continue
        row = np.zeros_like(line)
        for x in range(line.size):  # Sub, Average, Paeth depend on the left neighbour: one byte at a time
            left = row[x - channels] if x >= channels else 0
            corner = up[x - channels] if x >= channels else 0
            if kind == 1:
                pred = left
            elif kind == 3:
                pred = (left + up[x]) // 2
            else:
                p = left + up[x] - corner
                pa, pb, pc = abs(p - left), abs(p - up[x]), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up[x] if pb <= pc else corner
            row[x] = (line[x] + pred) & 255
        out[y] = row
    return out.reshape(height, width, channels)[:, :, :3].astype(np.uint8)


def count(path: Path, rgb: tuple[int, int, int]) -> int:
    return int(np.all(pixels(path) == np.array(rgb, np.uint8), axis=2).sum())
