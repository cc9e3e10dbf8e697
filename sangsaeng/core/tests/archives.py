"""Hostile and awkward uploads for the tests of every import (no test runs from here)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from sangsaeng.core import spreadsheets


def zip_bomb(inflated_bytes: int = 1 << 30) -> bytes:
    """A real .xlsx-shaped zip bomb: about 2.6 MB whose sheet inflates to `inflated_bytes` (1 GB).

    Built without inflating anything: one deflate block of a megabyte of sheet XML ends with a full
    flush (which resets the compressor's history), so the same bytes repeated are a valid deflate
    stream of the megabyte repeated. The CRC is the real one, so any reader inflates it to the end.
    """
    chunk = b"<row><c><v>0</v></c></row>" * 40_000
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeats = max(1, inflated_bytes // len(chunk))
    crc = 0
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    sheet = block * repeats + compressor.flush()
    entries = [
        ("[Content_Types].xml", b"<Types/>", 0, zlib.crc32(b"<Types/>"), 8),
        ("xl/workbook.xml", b"<workbook/>", 0, zlib.crc32(b"<workbook/>"), 11),
        ("xl/worksheets/sheet1.xml", sheet, 8, crc, len(chunk) * repeats),
    ]
    out = io.BytesIO()
    directory = []
    for name, payload, method, entry_crc, size in entries:
        raw_name = name.encode()
        offset = out.tell()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                method,
                0,
                0x21,
                entry_crc,
                len(payload),
                size,
                len(raw_name),
                0,
            )
        )
        out.write(raw_name + payload)
        directory.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0x21,
                entry_crc,
                len(payload),
                size,
                len(raw_name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + raw_name
        )
    start = out.tell()
    out.write(b"".join(directory))
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(directory), len(directory), out.tell() - start, start, 0
        )
    )
    return out.getvalue()


def macro_workbook(content: bytes | None = None) -> bytes:
    """A workbook with a VBA project, as Excel saves .xlsm, under any name (it is renamed .xlsx)."""
    source = zipfile.ZipFile(io.BytesIO(content or spreadsheets.build_xlsx("Sheet", ["a"], [["x"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
            archive.writestr(entry, data)
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 512)
    return out.getvalue()


def workbook_with_formula(rows: list[list[object]]) -> bytes:
    """A workbook whose cells may hold formulas (a text starting with "=" is written as a formula)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
