"""A small PNG reader (8-bit RGB/RGBA, not interlaced): enough to check pixels of a Chromium screenshot."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path


def read_rgba(path: Path) -> tuple[int, int, list[bytearray]]:
    """Returns width, height and rows of RGBA bytes."""
    data = path.read_bytes()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG file'
    position, chunks, header = 8, [], b''
    while position < len(data):
        length, kind = struct.unpack('>I4s', data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b'IHDR':
            header = body
        elif kind == b'IDAT':
            chunks.append(body)
        position += 12 + length
    width, height, depth, color_type, _, _, interlace = struct.unpack('>IIBBBBB', header)
    assert depth == 8 and color_type in {2, 6} and interlace == 0, 'unsupported PNG layout'
    channels = 4 if color_type == 6 else 3
    raw = zlib.decompress(b''.join(chunks))
    stride = width * channels
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            up_left = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                estimate = left + up - up_left
                distances = abs(estimate - left), abs(estimate - up), abs(estimate - up_left)
                if distances[0] <= min(distances[1:]):
                    predictor = left
                else:
                    predictor = up if distances[1] <= distances[2] else up_left
                line[x] = (line[x] + predictor) & 0xFF
        rows.append(line if channels == 4 else bytearray(b''.join(bytes(line[i:i + 3]) + b'\xff'
                                                                  for i in range(0, stride, 3))))
        previous = line
    return width, height, rows


def alpha_at(rows: list[bytearray], x: int, y: int) -> int:
    return rows[y][x * 4 + 3]
