"""Row-heavy parts of the Open Lab pages rendered in Python (escaped with format_html).

A template loop with includes, filters and {% url %} per row costs more than the rest of a page on a
slow machine (make bench); these helpers write the same markup, resolving labels and URLs once.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
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


class _IdUrl:
    """reverse() once for a URL that takes one id, then format ids into it."""

    SENTINEL = 918273645

    def __init__(self, name: str) -> None:
        self.prefix, _, self.suffix = reverse(name, args=[self.SENTINEL]).partition(str(self.SENTINEL))

    def __call__(self, pk: int) -> str:
        return f"{self.prefix}{pk}{self.suffix}"


def _state_labels() -> dict[str, str]:
    from sangsaeng.openlab.models import Booking

    return {value: str(label) for value, label in Booking._meta.get_field("state").flatchoices}


def _when(booking: Any) -> str:
    return (
        f"{timezone.localtime(booking.start).strftime('%Y-%m-%d %H:%M')}"
        f"–{timezone.localtime(booking.end).strftime('%H:%M')}"
    )


def _resource_names(booking: Any) -> str:
    return ", ".join(item.resource.name for item in booking.items.all())


def booking_rows(bookings: Iterable[Any]) -> SafeString:
    """The <tr> rows of the bookings table (partials/booking_rows.html)."""
    detail = _IdUrl("openlab:booking_detail")
    states = _state_labels()
    rows = [
        (detail(b.pk), b.pk, _when(b), _resource_names(b), b.partner.name_ko, states.get(b.state, b.state))
        for b in bookings
    ]
    if not rows:
        return format_html('<tr><td colspan="5" class="text-body-secondary">{}</td></tr>', _("No bookings."))
    return format_html_join(
        "\n",
        '<tr><td><a href="{}">{}</a></td><td class="text-nowrap">{}</td><td>{}</td><td>{}</td>'
        '<td><span class="badge text-bg-light">{}</span></td></tr>',
        rows,
    )


def operation_rows(bookings: Iterable[Any], *, mode: str, csrf_token: str) -> SafeString:
    """The <tr> rows of the approvals, check-ins and loans tables (operations.html)."""
    detail = _IdUrl("openlab:booking_detail")
    states = _state_labels()
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)

    def post(url: str, next_page: str, css: str, label: str) -> SafeString:
        return format_html(
            '<form class="d-inline" method="post" action="{}">{}<input type="hidden" name="next" value="{}">'
            '<button class="btn btn-sm {}" type="submit">{}</button></form>',
            url,
            csrf,
            next_page,
            css,
            label,
        )

    if mode == "approvals":
        approve, approve_label, reject_label = _IdUrl("openlab:booking_approve"), _("Approve"), _("Reject…")

        def actions(booking: Any) -> SafeString:
            return format_html(
                '{}\n<a class="btn btn-sm btn-outline-secondary" href="{}">{}</a>',
                post(approve(booking.pk), "approvals", "btn-success", approve_label),
                detail(booking.pk),
                reject_label,
            )
    else:
        check_in, check_in_label = _IdUrl("openlab:booking_check_in"), _("Check in")
        complete, check_out_label = _IdUrl("openlab:booking_complete"), _("Check out")
        return_label = _("Return…")

        def actions(booking: Any) -> SafeString:
            if booking.state == "approved":
                return post(check_in(booking.pk), "checkins", "btn-primary", check_in_label)
            if mode == "loans":
                return format_html(
                    '<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>',
                    detail(booking.pk),
                    return_label,
                )
            return post(complete(booking.pk), "checkins", "btn-outline-primary", check_out_label)

    rows = [
        (
            detail(b.pk),
            b.pk,
            _when(b),
            _resource_names(b),
            b.partner.name_ko,
            b.purpose,
            states.get(b.state, b.state),
            actions(b),
        )
        for b in bookings
    ]
    if not rows:
        return format_html(
            '<tr><td colspan="6" class="text-body-secondary">{}</td></tr>', _("Nothing to do.")
        )
    return format_html_join(
        "\n",
        '<tr><td><a href="{}">{}</a></td><td class="text-nowrap">{}</td><td>{}</td>'
        '<td>{}<div class="small text-body-secondary">{}</div></td><td>{}</td>'
        '<td class="text-nowrap">{}</td></tr>',
        rows,
    )


def calendar_rows(rows: Iterable[Any], *, busy_label: str) -> SafeString:
    """The <tr> rows of a week calendar (partials/calendar_week.html): one cell per day, blocks inside.
    A site's week holds a thousand blocks and more: plain string building with every text escaped
    (format_html per block was most of the page's time)."""
    busy = escape(busy_label)
    lines = []
    for row in rows:
        cells = []
        for blocks in row.cells:
            parts = []
            for block in blocks:
                if block.kind == "own":
                    text = f'<a href="{escape(block.url)}">{escape(block.label)}</a>'
                elif block.kind == "closed":
                    text = escape(block.label)
                else:
                    text = busy
                parts.append(
                    f'<div class="mb-1 p-1 rounded cal-{escape(block.kind)}">{escape(block.span)} {text}</div>'
                )
            cells.append(f"<td>{''.join(parts)}</td>")
        lines.append(f'<tr><th scope="row">{escape(row.resource.name)}</th>{"".join(cells)}</tr>')
    return mark_safe("\n".join(lines))  # every text above is escaped


def resource_rows(resources: Iterable[Any]) -> SafeString:
    """The <tr> rows of the resource list (partials/resource_rows.html)."""
    from sangsaeng.openlab.models import ResourceKind

    calendar = _IdUrl("openlab:resource_calendar")
    kinds = {value: str(label) for value, label in ResourceKind.choices}
    steps = _("%(min)s–%(max)s min, steps of %(step)s")
    needs_approval = _("needs approval")
    per_month = _("%(hours)s h/month")
    calendar_label = _("Calendar")
    rows = []
    for resource in resources:
        features = resource.feature_list
        rules_text = steps % {
            "min": resource.min_duration_minutes,
            "max": resource.max_duration_minutes,
            "step": resource.slot_minutes,
        }
        if resource.needs_approval:
            rules_text += " · " + needs_approval
        if resource.monthly_quota_hours:
            rules_text += " · " + per_month % {"hours": resource.monthly_quota_hours}
        rows.append(
            (
                resource.name,
                format_html('<div class="small text-body-secondary">{}</div>', ", ".join(features))
                if features
                else "",
                kinds.get(resource.kind, resource.kind),
                resource.zone.site.name,
                resource.zone.name,
                resource.capacity,
                rules_text,
                calendar(resource.pk),
                calendar_label,
            )
        )
    if not rows:
        return format_html('<tr><td colspan="6" class="text-body-secondary">{}</td></tr>', _("No resources."))
    return format_html_join(
        "\n",
        '<tr><td>{}{}</td><td>{}</td><td>{} · {}</td><td>{}</td><td class="small">{}</td>'
        '<td><a href="{}">{}</a></td></tr>',
        rows,
    )
