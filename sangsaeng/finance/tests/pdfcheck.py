"""PDF checks for tests: the file is a PDF whose fonts are all embedded TrueType (FontFile2), and
its text as a reader extracts it (pypdf)."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

_SET_FONT = re.compile(rb"/(\S+)\s+[\d.]+\s+Tf")


def embedded_fonts(data: bytes) -> dict[str, bool]:
    """Each font that the PDF's pages draw text with → whether its font file is embedded (FontFile2).

    (reportlab lists Helvetica in every page's resources; only the fonts selected with Tf count.)"""
    fonts: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = page["/Resources"].get("/Font", {})
        for key in set(_SET_FONT.findall(page.get_contents().get_data())):
            font = resources["/" + key.decode()].get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            fonts[str(font["/BaseFont"])] = descriptor is not None and "/FontFile2" in descriptor.get_object()
    return fonts


def pdf_text(data: bytes) -> str:
    """The PDF's text; fails (AssertionError) unless it is a PDF with a page, text, and only
    embedded fonts, so that the Hangul shows in any viewer."""
    assert data.startswith(b"%PDF-"), "not a PDF header"
    assert data.rstrip().endswith(b"%%EOF"), "no PDF trailer"
    fonts = embedded_fonts(data)
    assert fonts, "no font"
    assert all(fonts.values()), f"fonts not embedded: {[name for name, ok in fonts.items() if not ok]}"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert text.strip(), "no text"
    return text
