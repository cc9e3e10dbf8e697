"""Money is integer KRW (원). Display helpers for 억 (10^8) and 만 (10^4)."""

from __future__ import annotations

EOK = 100_000_000
MAN = 10_000


def format_krw(amount: int | None) -> str:
    if amount is None:
        return "–"
    return f"{amount:,}원"


def format_eok(amount: int | None) -> str:
    """1,234,500,000,000 → '12,345억'; 50,000,000 → '5,000만'."""
    if amount is None:
        return "–"
    if abs(amount) >= EOK:
        eok, rest = divmod(amount, EOK)
        return f"{eok:,}억" + (f" {rest // MAN:,}만" if rest >= MAN else "")
    if abs(amount) >= MAN:
        return f"{amount // MAN:,}만"
    return f"{amount:,}원"
