"""iCalendar output: escaped text and lines folded at 75 octets without splitting a character."""

from __future__ import annotations

from sangsaeng.openlab.ical import _escape, _fold


def test_long_korean_lines_are_folded_at_75_octets_on_character_boundaries():
    line = "DESCRIPTION:" + "오픈랩 PoC 시험; " * 20
    folded = _fold(line)
    parts = folded.split("\r\n ")
    assert len(parts) > 1
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert "".join(parts) == line


def test_special_characters_are_escaped():
    assert _escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
