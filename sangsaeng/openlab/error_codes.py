"""The Open Lab's error codes (core.error_codes): raised as `ValidationError(…, code=OpenLabErrorCode.…)`,
answered by the API with that code and listed in its description."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.error_codes import register_error_codes


@register_error_codes("openlab")
class OpenLabErrorCode(models.TextChoices):
    OVERLAP = "overlap", _("A resource is already booked for part of this time.")
    BOOKINGS_AFFECTED = (
        "bookings_affected",
        _("Bookings that hold future time would be affected: settle them first."),
    )
