"""Money is integer KRW (원). Display helpers for 억 (10^8) and 만 (10^4)."""

from __future__ import annotations

EOK = 100_000_000
MAN = 10_000


def format_krw(amount: int | None) -> str:
    if amount is None:
        return "–"
    return f"{amount:,}원"


def format_eok(amount: int | None) -> str:
    """1,234,500,000,000 → '12,345억'; 150,000,000 → '1억 5,000만'; 50,000,000 → '5,000만'.

    A negative amount (a correction) keeps its sign in front: -150,000,000 → '-1억 5,000만'.
    """
    if amount is None:
        return "–"
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount >= EOK:
        eok, rest = divmod(amount, EOK)
        return f"{sign}{eok:,}억" + (f" {rest // MAN:,}만" if rest >= MAN else "")
    if amount >= MAN:
        return f"{sign}{amount // MAN:,}만"
    return f"{sign}{amount:,}원"
