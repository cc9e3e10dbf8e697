"""Uploaded files are checked by extension, size and content (magic bytes), never trusted by name.

Every upload — partner import, bank file, PDF attachments, photos, evidence documents — goes through
`validate_upload` before anything parses it, and before the service opens its transaction, so a bad
or hostile file is refused in milliseconds and never holds a database lock:

- a zip-based file (.xlsx) has its central directory checked first: number of entries, total
  uncompressed size and compression ratio (a "zip bomb" — 1 MB that inflates to 1 GB — is refused
  without inflating a byte). Python's zipfile never inflates an entry past the size its directory
  declares, so the declared sizes are a real bound for every reader (openpyxl included);
- a macro-enabled workbook renamed .xlsx (vbaProject.bin, a macroEnabled content type) is refused;
- a CSV must decode as UTF-8 (with or without BOM), UTF-16 with BOM or CP949/EUC-KR (`decode_text`).

PDFs and photos are stored and served as they are (the server never renders or decodes them), so
their size limit and magic bytes are their check.
"""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    extensions: tuple[str, ...]
    content_type: str
    label: str


PDF = FileKind((".pdf",), "application/pdf", "PDF")
PNG = FileKind((".png",), "image/png", "PNG")
JPEG = FileKind((".jpg", ".jpeg"), "image/jpeg", "JPEG")
XLSX = FileKind(
    (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (.xlsx)"
)
CSV = FileKind((".csv",), "text/csv", "CSV")
DOCUMENT_KINDS = (PDF, PNG, JPEG)

# Archive limits: a 20,000-row partner workbook inflates to about 30 MB of XML in at most a few dozen
# entries; sheet XML compresses 5–30×. A ratio is only judged on entries above a megabyte (a tiny
# entry of repeated bytes compresses a lot and harms nobody).
MAX_ARCHIVE_ENTRIES: int = getattr(settings, "MAX_ARCHIVE_ENTRIES", 1_000)
MAX_UNCOMPRESSED_BYTES: int = getattr(settings, "MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
MAX_COMPRESSION_RATIO: int = getattr(settings, "MAX_COMPRESSION_RATIO", 100)
_RATIO_FLOOR_BYTES = 1024 * 1024
_CONTENT_TYPES = "[Content_Types].xml"
_MACRO_MARKERS = (b"macroenabled", b"vbaproject", b"ms-office.vbaproject")

# The encodings a Korean office saves text in, tried in this order (CP949 is a superset of EUC-KR).
TEXT_ENCODINGS = ("utf-8-sig", "cp949")


def decode_text(data: bytes) -> str:
    """Decode an uploaded text file (CSV): UTF-16 with a BOM, UTF-8 with or without BOM, else CP949.

    UTF-8 is tried first because a UTF-8 file is almost never valid CP949 by chance the other way
    round; CP949 covers EUC-KR (what Korean Excel saves as "CSV"). Raises ValidationError
    ("file_encoding") when none fits.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        for encoding in TEXT_ENCODINGS:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise ValidationError(
        _("The text could not be read: save the file as CSV in UTF-8 or in Korean (CP949/EUC-KR)."),
        code="file_encoding",
    )


def _decodes_as_text(head: bytes) -> bool:
    """The first bytes of a text file decode in one of the accepted encodings (a multibyte character
    cut at the end of the sample is allowed)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    for encoding in TEXT_ENCODINGS:
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def check_archive(file: IO[bytes], *, label: str) -> zipfile.ZipFile:
    """Open a zip archive and check its directory before anything inflates it.

    Raises ValidationError: "file_content" (not a zip), "archive_too_large" (too many entries, too many
    bytes once unpacked, or an entry compressed far more than real documents are). Returns the open
    archive (the caller closes it).
    """
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(
            _("The file's content is not a valid %(label)s file.") % {"label": label}, code="file_content"
        ) from None
    entries = archive.infolist()
    total = sum(entry.file_size for entry in entries)
    too_compressed = any(
        entry.file_size > _RATIO_FLOOR_BYTES
        and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
        for entry in entries
    )
    if len(entries) > MAX_ARCHIVE_ENTRIES or total > MAX_UNCOMPRESSED_BYTES or too_compressed:
        archive.close()
        raise ValidationError(
            _(
                "The file unpacks to far more data than a real workbook holds (%(size)s MB in %(count)s "
                "parts). Save it again from Excel, or split it into several files."
            )
            % {"size": total // 1048576, "count": len(entries)},
            code="archive_too_large",
        )
    return archive


def _is_macro_enabled(archive: zipfile.ZipFile) -> bool:
    names = archive.namelist()
    if any(name.lower().rsplit("/", 1)[-1] in ("vbaproject.bin", "vbadata.xml") for name in names):
        return True
    if _CONTENT_TYPES in names and archive.getinfo(_CONTENT_TYPES).file_size < _RATIO_FLOOR_BYTES:
        content_types = archive.read(_CONTENT_TYPES).lower()
        return any(marker in content_types for marker in _MACRO_MARKERS)
    return False


def _check_workbook(upload: UploadedFile) -> None:
    archive = check_archive(upload, label=XLSX.label)
    try:
        names = archive.namelist()
        if _CONTENT_TYPES not in names or not any(name.startswith("xl/") for name in names):
            raise ValidationError(
                _("The file's content is not a valid %(label)s file.") % {"label": XLSX.label},
                code="file_content",
            )
        if _is_macro_enabled(archive):
            raise ValidationError(
                _(
                    "This workbook contains macros (an .xlsm file renamed .xlsx). Macros are not accepted: "
                    "in Excel choose “Save as” → “Excel Workbook (*.xlsx)” and upload that file."
                ),
                code="file_macros",
            )
    except zipfile.BadZipFile:
        raise ValidationError(
            _("The file's content is not a valid %(label)s file.") % {"label": XLSX.label},
            code="file_content",
        ) from None
    finally:
        archive.close()
        upload.seek(0)


def _matches_content(kind: FileKind, head: bytes) -> bool:
    if kind is PDF:
        return head.startswith(b"%PDF-")
    if kind is PNG:
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind is JPEG:
        return head.startswith(b"\xff\xd8\xff")
    if kind is XLSX:
        return head.startswith(b"PK\x03\x04")
    if kind is CSV:
        return _decodes_as_text(head)
    return False


def validate_upload(upload: UploadedFile, *, allowed: tuple[FileKind, ...], max_bytes: int) -> FileKind:
    """Return the recognised kind or raise ValidationError with a message for the user.

    Codes: file_type, file_empty, file_size, file_content, archive_too_large, file_macros. Call it
    before opening a transaction; it reads only the file's first bytes and an archive's directory.
    """
    name = (upload.name or "").lower()
    kind = next((k for k in allowed if name.endswith(k.extensions)), None)
    labels = ", ".join(k.label for k in allowed)
    if kind is None:
        raise ValidationError(
            _("This file type is not accepted. Accepted: %(labels)s.") % {"labels": labels}, code="file_type"
        )
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB.")
            % {"size": round(upload.size / 1048576, 1), "limit": max_bytes // 1048576},
            code="file_size",
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if not _matches_content(kind, head):
        raise ValidationError(
            _("The file's content is not a valid %(label)s file.") % {"label": kind.label},
            code="file_content",
        )
    if kind is XLSX:
        _check_workbook(upload)
    return kind
