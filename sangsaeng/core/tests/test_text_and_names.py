"""clean_text (free text a person wrote) and the upload naming every app uses."""

from __future__ import annotations

import unicodedata

from django.core.files.uploadedfile import SimpleUploadedFile

from sangsaeng.core.text import clean_text, normalize_text
from sangsaeng.core.uploads import original_name, stored_name


def test_clean_text_composes_hangul_trims_and_keeps_line_breaks():
    decomposed = unicodedata.normalize("NFD", "  서류 보완\n  요청  ")
    assert clean_text(decomposed) == "서류 보완\n  요청"
    assert clean_text(None) == ""  # type: ignore[arg-type]
    assert normalize_text(decomposed) == "서류 보완 요청"  # one-line values fold the spacing


def test_original_name_drops_directories_composes_and_is_bounded():
    upload = SimpleUploadedFile(unicodedata.normalize("NFD", "../../사업계획서.PDF"), b"%PDF-1.4")
    assert original_name(upload) == "사업계획서.PDF"
    assert len(original_name(SimpleUploadedFile("가" * 300 + ".pdf", b"x"))) == 255
    nameless = SimpleUploadedFile("x.pdf", b"x")
    nameless._name = ""  # a client that sends no file name
    assert original_name(nameless, "attachment.pdf") == "attachment.pdf"


def test_stored_name_is_random_with_the_lower_cased_extension():
    first, second = stored_name("사업계획서.PDF"), stored_name("사업계획서.PDF")
    assert first != second
    assert first.endswith(".pdf") and len(first) == 32 + 4
    assert stored_name(extension=".PDF").endswith(".pdf") and len(stored_name()) == 32
