"""`manage.py remind_overdue_screenings`: daily reminder of screenings past their 2-month deadline."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sangsaeng.usecases.services import remind_overdue_screenings


class Command(BaseCommand):
    help = (
        "Notify the sponsor (or the programme managers while none is assigned) of every use case "
        "whose screening is overdue. Run once a day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = remind_overdue_screenings()
        self.stdout.write(f"{count} overdue use case(s) reminded")
