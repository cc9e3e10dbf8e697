"""`manage.py load_demo`: load (or repair) the demo scenario and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sangsaeng.demo.scenario import DEMO_PASSWORD, DemoResult, load_demo


def credentials_table(result: DemoResult) -> list[str]:
    """The logins as an aligned text table whose header names the password column."""
    header = ("Role (역할)", "Organisation (조직)", "E-mail (이메일)", "Password (비밀번호)")
    rows = [(c.role, c.organization, c.email, DEMO_PASSWORD) for c in result.credentials]
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        cells = (cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True))
        return "  ".join(cells).rstrip()

    return [line(header), "  ".join("-" * width for width in widths), *(line(row) for row in rows)]


def _width(text: str) -> int:
    # Hangul takes two columns in a terminal; align by display width, not by code points.
    return sum(2 if "\uac00" <= ch <= "\ud7a3" or "\u3130" <= ch <= "\u318f" else 1 for ch in text)


class Command(BaseCommand):
    help = "Load the demo scenario (idempotent) and print one login per role."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_demo()
        created = ", ".join(f"{name} {count}" for name, count in sorted(result.created.items())) or "nothing"
        updated = ", ".join(f"{name} {count}" for name, count in sorted(result.updated.items())) or "nothing"
        by_status = ", ".join(
            f"{status} {count}" for status, count in sorted(result.partners_by_status.items())
        )
        self.stdout.write(self.style.SUCCESS("Demo scenario loaded."))
        self.stdout.write(f"  created: {created}")
        self.stdout.write(f"  updated: {updated}")
        self.stdout.write(f"  partners by status: {by_status}")
        self.stdout.write("")
        self.stdout.write("Demo logins (every account uses the same password):")
        for text in credentials_table(result):
            self.stdout.write("  " + text)
