"""The check-in QR code of a meeting (segno, as the Open Lab's booking QR).

The code holds only the address of the meeting's check-in page. The secretariat shows it in the room;
a member scans it, lands on the page (after logging in) and confirms. Whoever else scans it gets the
login page or a 404: the page checks access like every other, nothing in the code grants anything.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from sangsaeng.councils.models import Meeting


def check_in_url(meeting: Meeting) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("councils:check_in", kwargs={"meeting_id": meeting.pk})


def check_in_qr_svg(meeting: Meeting) -> SafeString:
    """An inline SVG QR code of the check-in address (segno writes only numbers and paths)."""
    code = segno.make(check_in_url(meeting), error="m")
    return mark_safe(code.svg_inline(scale=4, title=f"Meeting {meeting.pk}"))
