"""A small PDF reader for tests: checks the file's frame and pulls the text out of its text objects.

Enough for reportlab's output (ASCII85 + Flate streams, literal strings, Korean CID text in
UTF-16BE through the UniKS-UCS2-H encoding); not a general PDF parser.
"""

from __future__ import annotations

import base64
import re
import zlib

_STREAM = re.compile(rb"<<((?:(?!<<).)*?)>>\s*stream\r?\n(.*?)\r?\n?endstream", re.S)
_TEXT_OBJECT = re.compile(rb"\bBT\b(.*?)\bET\b", re.S)
_FONT = re.compile(rb"/(F\d+)\s+[\d.]+\s+Tf")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _literal_strings(chunk: bytes) -> list[tuple[int, bytes]]:
    """(offset, bytes) of each (…) literal string, escapes resolved."""
    found: list[tuple[int, bytes]] = []
    index = 0
    while index < len(chunk):
        if chunk[index : index + 1] != b"(":
            index += 1
            continue
        start, depth, out = index, 1, bytearray()
        index += 1
        while index < len(chunk) and depth:
            byte = chunk[index : index + 1]
            if byte == b"\\":
                following = chunk[index + 1 : index + 2]
                octal = re.match(rb"[0-7]{1,3}", chunk[index + 1 : index + 4])
                if octal:
                    out.append(int(octal.group(), 8))
                    index += 1 + len(octal.group())
                    continue
                out += _ESCAPES.get(following, following)
                index += 2
                continue
            if byte == b"(":
                depth += 1
            elif byte == b")":
                depth -= 1
                if not depth:
                    break
            out += byte
            index += 1
        found.append((start, bytes(out)))
        index += 1
    return found


def content_streams(data: bytes) -> list[bytes]:
    streams = []
    for header, body in _STREAM.findall(data):
        if b"/ASCII85Decode" in header:
            body = base64.a85decode(body.strip().removesuffix(b"~>"), adobe=False)
        if b"/FlateDecode" in header:
            body = zlib.decompress(body)
        streams.append(body)
    return streams


def pdf_text(data: bytes) -> str:
    """The text drawn by the PDF's text objects (BT … ET), CID (two-byte) fonts decoded as UTF-16BE.

    Fails (AssertionError) unless the data is framed as a PDF with at least one page and one text object.
    """
    assert data.startswith(b"%PDF-"), "not a PDF header"
    assert data.rstrip().endswith(b"%%EOF"), "no PDF trailer"
    assert b"/Type /Page" in data, "no page"
    two_byte_fonts = set(re.findall(rb"/Encoding /UniKS-UCS2-H /Name /(F\d+)", data))
    pieces: list[str] = []
    objects = 0
    for stream in content_streams(data):
        for block in _TEXT_OBJECT.findall(stream):
            objects += 1
            fonts = [(m.start(), m.group(1)) for m in _FONT.finditer(block)]
            for offset, raw in _literal_strings(block):
                font = next((name for at, name in reversed(fonts) if at < offset), b"")
                pieces.append(raw.decode("utf-16-be") if font in two_byte_fonts else raw.decode("latin-1"))
    assert objects, "no text object"
    return " ".join(pieces)
