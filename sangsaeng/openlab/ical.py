"""iCalendar (RFC 5545) export of a booking, written by hand: one VEVENT, UTC times, folded lines."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse

from sangsaeng.openlab.models import Booking


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def booking_ics(booking: Booking, request: HttpRequest) -> str:
    resources = ", ".join(item.resource.name for item in booking.items.all())
    url = request.build_absolute_uri(reverse("openlab:booking_detail", args=[booking.pk]))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Sangsaeng//Open Lab//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:openlab-booking-{booking.pk}@{request.get_host()}",
        f"DTSTAMP:{_utc(booking.updated_at)}",
        f"DTSTART:{_utc(booking.start)}",
        f"DTEND:{_utc(booking.end)}",
        f"SUMMARY:{_escape(f'5G Open Lab: {resources}')}",
        f"LOCATION:{_escape(f'{booking.site.name} {booking.site.address}'.strip())}",
        f"DESCRIPTION:{_escape(booking.purpose)}",
        f"URL:{url}",
        f"STATUS:{'CANCELLED' if not booking.is_holding else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
