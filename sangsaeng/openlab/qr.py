"""The check-in QR code on a booking (segno: pure Python, no service, no font).

The code holds only the address of the booking's page. The lab operator scans it at the door and
lands on that page with its "Check in" button; whoever else scans it gets the login page or a 404,
because the page checks access like every other (nothing in the code grants anything).
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from sangsaeng.openlab.models import Booking


def booking_page_url(booking: Booking) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "openlab:booking_detail", kwargs={"booking_id": booking.pk}
    )


def booking_qr_svg(booking: Booking) -> SafeString:
    """An inline SVG QR code of the booking page's address (segno writes only numbers and paths)."""
    code = segno.make(booking_page_url(booking), error="m")
    return mark_safe(code.svg_inline(scale=4, title=f"Booking {booking.pk}"))
