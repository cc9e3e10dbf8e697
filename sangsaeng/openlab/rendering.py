"""Row-heavy parts of the Open Lab pages rendered in Python (escaped with format_html).

A template loop with includes, filters and {% url %} per row costs more than the rest of a page on a
slow machine (make bench); these helpers write the same markup, resolving labels and URLs once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _


def slot_rows(slots: Iterable[Any], *, can_book: bool, minutes: Any) -> SafeString:
    """The <li> rows of the availability results (partials/slots.html)."""
    book_url = reverse("openlab:booking_new")
    book_label = _("Book this")
    days: dict[Any, str] = {}
    rows = []
    for slot in slots:
        start = timezone.localtime(slot.start)
        day = start.date()
        if day not in days:
            days[day] = dateformat.format(start, "Y-m-d (D)")
        names = ", ".join(resource.name for resource in slot.resources)
        if can_book:
            query = "".join(f"resources={resource.pk}&" for resource in slot.resources)
            query += f"start={quote(start.isoformat(), safe='/')}&minutes={minutes}"
            book = format_html(
                '<a class="btn btn-sm btn-outline-primary align-self-center" href="{}?{}">{}</a>',
                book_url,
                query,
                book_label,
            )
        else:
            book = SafeString("")
        rows.append(
            (
                days[day],
                start.strftime("%H:%M"),
                timezone.localtime(slot.end).strftime("%H:%M"),
                slot.site.name,
                names,
                book,
            )
        )
    if not rows:
        return format_html(
            '<li class="list-group-item text-body-secondary">{}</li>', _("No free slots in this range.")
        )
    return format_html_join(
        "\n",
        '<li class="list-group-item d-flex flex-wrap justify-content-between gap-2">'
        '<span><strong>{} {}–{}</strong> · {}<br><span class="small">{}</span></span>{}</li>',
        rows,
    )
