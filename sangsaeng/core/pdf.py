"""The Korean font of every generated PDF, embedded so that any viewer shows the Hangul.

reportlab's built-in CID fonts (HYSMyeongJo, HYGothic) only name the font: a viewer without a Korean
font pack shows boxes. A TrueType font is embedded instead (reportlab writes the glyphs used as a
subset, a FontFile2 stream). NanumGothic comes from Debian's fonts-nanum, which `bin/setup-system`
installs; PDF_FONT_PATH points at another TrueType Korean font.
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

DEFAULT_FONT_PATH = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"


def font_path() -> Path:
    return Path(getattr(settings, "PDF_FONT_PATH", "") or DEFAULT_FONT_PATH)


def korean_font() -> str:
    """The reportlab name of the embedded Korean TrueType font, registered on first use.

    Raises ImproperlyConfigured naming the package to install when the font file is missing."""
    return _register(str(font_path()))


@functools.cache
def _register(path: str) -> str:
    if not Path(path).is_file():
        raise ImproperlyConfigured(
            f"The Korean PDF font {path} is missing: install Debian's fonts-nanum "
            "(apt-get install fonts-nanum, or bin/setup-system) or set PDF_FONT_PATH "
            "to a TrueType Korean font."
        )
    name = f"Sangsaeng-{Path(path).stem}"
    pdfmetrics.registerFont(TTFont(name, path))
    return name
