"""Read our PDFs back without a PDF library: pages, page sizes and the text they draw.

ReportLab writes content streams as ASCII85 + Flate (or plain, uncompressed) and draws text
with ``(...) Tj`` string operators in Windows-1252: enough for a small reader here.
"""

from __future__ import annotations

import base64
import re
import zlib

_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_STRING = re.compile(rb"\((?:[^\\()]|\\.)*\)", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def streams(data: bytes) -> list[bytes]:
    found = []
    for match in _STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        header = data[data.rfind(b"<<", 0, match.start()) : match.start()]
        raw = data[start:end].strip()
        if b"ASCII85Decode" in header:
            raw = base64.a85decode(raw, adobe=True)
        if b"FlateDecode" in header:
            raw = zlib.decompress(raw)
        found.append(raw)
    return found


def _unescape(literal: bytes) -> bytes:
    body = literal[1:-1]
    out = bytearray()
    i = 0
    while i < len(body):
        char = body[i : i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        following = body[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", body[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8))
            i += 1 + len(octal.group(0))
        else:
            out += _ESCAPES.get(following, following)
            i += 2
    return bytes(out)


_TOKEN = re.compile(rb"\((?:[^\\()]|\\.)*\)|T\*|Td|TD|Tm|'")


def text(data: bytes) -> str:
    """The lines the PDF draws, decoded from Windows-1252: the strings between two line moves
    (``T*``, ``Td``, ``TD``, ``Tm``, ``'``) are one line."""
    lines: list[str] = []
    for stream in streams(data):
        for block in re.findall(rb"BT(.*?)ET", stream, re.DOTALL):
            current: list[str] = []
            for token in _TOKEN.findall(block):
                if token.startswith(b"("):
                    current.append(_unescape(token).decode("cp1252"))
                    continue
                if current:
                    lines.append("".join(current))
                current = []
            if current:
                lines.append("".join(current))
    return "\n".join(lines)


def flat(data: bytes) -> str:
    """The text with all runs of white space made single spaces."""
    return " ".join(text(data).split())


def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def media_boxes(data: bytes) -> list[tuple[float, ...]]:
    return [
        tuple(float(n) for n in box.split())
        for box in re.findall(rb"/MediaBox\s*\[\s*([-0-9.\s]+)\]", data)
    ]
