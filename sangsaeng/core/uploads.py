"""Uploaded files are checked by extension, size and content (magic bytes), never trusted by name."""

from __future__ import annotations

import os
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

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


def _matches_content(kind: FileKind, head: bytes, upload: UploadedFile) -> bool:
    if kind is PDF:
        return head.startswith(b"%PDF-")
    if kind is PNG:
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind is JPEG:
        return head.startswith(b"\xff\xd8\xff")
    if kind is XLSX:
        if not head.startswith(b"PK\x03\x04"):
            return False
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                return "[Content_Types].xml" in archive.namelist() and any(
                    name.startswith("xl/") for name in archive.namelist()
                )
        except zipfile.BadZipFile:
            return False
        finally:
            upload.seek(0)
    if kind is CSV:
        try:
            head.decode("utf-8-sig")
        except UnicodeDecodeError:
            return False
        return b"\x00" not in head
    return False


def validate_upload(upload: UploadedFile, *, allowed: tuple[FileKind, ...], max_bytes: int) -> FileKind:
    """Return the recognised kind or raise ValidationError with a message for the user."""
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
    if not _matches_content(kind, head, upload):
        raise ValidationError(
            _("The file's content is not a valid %(label)s file.") % {"label": kind.label},
            code="file_content",
        )
    return kind


# --- Naming (one way for every app) -------------------------------------------------------------------


def original_name(upload: UploadedFile, default: str = "") -> str:
    """The name the user's file had, for showing and downloads: no directories, NFC (macOS sends
    decomposed Hangul), at most 255 characters; `default` when it has none."""
    return unicodedata.normalize("NFC", os.path.basename(upload.name or ""))[:255] or default


def stored_name(name: str = "", *, extension: str | None = None) -> str:
    """A random name to store a file under, with the lower-cased extension of `name` or the given
    `extension` (".pdf"): a user's file name never reaches the disk."""
    suffix = os.path.splitext(name)[1] if extension is None else extension
    return f"{uuid.uuid4().hex}{suffix.lower()}"
