"""A tiny PNG for the image examples, made with the standard library."""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path


def write_png(
    path: Path, width: int = 16, height: int = 16, rgb: tuple[int, int, int] = (220, 40, 40)
) -> Path:
    """Write a solid-colour RGB PNG to ``path`` and return it."""
    row = b"\x00" + bytes(rgb) * width
    raw = row * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    path.write_bytes(png)
    return path


def data_url(path: Path) -> str:
    """The file as an inline ``data:image/png;base64,...`` URL (what ``ImageInput`` needs)."""
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
