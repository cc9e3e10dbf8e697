"""The bench's result table: one row per measurement, rendered as Markdown."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass


@dataclass
class Row:
    section: str
    endpoint: str
    rps: float | None = None
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None
    errors: int | None = None
    ratio: str = ""
    target: str = ""
    verdict: str = ""


def _number(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def _width(text: str) -> int:
    """Columns the text takes in a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def render(rows: list[Row]) -> list[str]:
    header = [
        "section",
        "endpoint",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "errors",
        "ratio",
        "target",
        "result",
    ]
    lines = [
        [
            row.section,
            row.endpoint,
            _number(row.rps, 1),
            _number(row.p50),
            _number(row.p95),
            _number(row.p99),
            "–" if row.errors is None else str(row.errors),
            row.ratio,
            row.target,
            row.verdict,
        ]
        for row in rows
    ]
    widths = [max(_width(cells[i]) for cells in [header, *lines]) for i in range(len(header))]

    def fmt(cells: list[str]) -> str:
        padded = (c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    return [
        fmt(header),
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
        *(fmt(cells) for cells in lines),
    ]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "**FAIL**"
