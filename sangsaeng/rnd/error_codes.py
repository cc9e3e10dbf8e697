"""The joint R&D fund's error codes (core.error_codes): raised as
`ValidationError(…, code=RndErrorCode.…)`, answered by the API with that code and listed in its
description."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.error_codes import register_error_codes


@register_error_codes("rnd")
class RndErrorCode(models.TextChoices):
    RULES_LOCKED = "rules_locked", _("The call's rules can no longer change.")
    NOT_REVIEWABLE = "not_reviewable", _("The proposal is not open for review.")
    BUDGET = "budget", _("The fund year's budget has not enough left for this commitment.")
    OVERPAID = "overpaid", _("The payment would exceed the committed amount.")
    NOT_OPEN = "not_open", _("The call is not open yet.")
    DEADLINE = "deadline", _("The call's deadline has passed.")
