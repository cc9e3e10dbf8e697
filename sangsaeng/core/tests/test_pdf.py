"""Generated PDFs embed their Korean font, so Hangul shows in any viewer and can be extracted."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from pypdf import PdfReader

from sangsaeng.core.pdf import korean_font
from sangsaeng.finance.documents import Section, render_pdf
from sangsaeng.finance.tests.pdfcheck import embedded_fonts


def test_a_generated_pdf_embeds_a_truetype_korean_font_and_its_hangul_extracts():
    content = render_pdf(
        "상생협력펀드 추천서", [Section("추천 내용", pairs=[("회사", "가나다테크 (116-82-00276)")])]
    )

    fonts = embedded_fonts(content)
    assert fonts and all(fonts.values()), f"fonts without an embedded FontFile2: {fonts}"
    assert b"/FontFile2" in content
    assert b"HYSMyeongJo" not in content and b"HYGothic" not in content
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "상생협력펀드 추천서" in text
    assert "가나다테크" in text


def test_a_missing_font_stops_with_the_package_to_install(settings, tmp_path):
    settings.PDF_FONT_PATH = str(tmp_path / "missing.ttf")

    with pytest.raises(ImproperlyConfigured, match="fonts-nanum"):
        korean_font()
