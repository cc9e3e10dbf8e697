"""The loan fund's and benefit sharing's error codes (core.error_codes): raised as
`ValidationError(…, code=FinanceErrorCode.…)`, answered by the API with that code and listed in its
description."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.error_codes import register_error_codes


@register_error_codes("finance")
class FinanceErrorCode(models.TextChoices):
    COMPANY_LIMIT = "company_limit", _("The company's remaining limit in this fund is too small.")
    POOL_LIMIT = "pool_limit", _("The bank's pool has not enough left for this amount.")
    FUND_LIMIT = "fund_limit", _("The fund has not enough left for this amount.")
    COUNTERS = "counters", _("The fund's counters do not match the application: nothing was changed.")
    ELIGIBILITY = "eligibility", _("The company is not eligible for this fund (approval, tier, fair trade).")
    CONTRACT_LOCKED = (
        "contract_locked",
        _("A registered task's contract changes only through an accepted amendment."),
    )
    NOT_AMENDABLE = "not_amendable", _("The task's status no longer allows amendments.")
    AMENDMENT_PENDING = "pending", _("An amendment already waits for the other party's answer.")
    NO_CHANGE = "no_change", _("The proposed amendment changes nothing.")
    STALE = "stale", _("The contract changed since the amendment was proposed.")
    NO_MEASUREMENT = "no_measurement", _("Record an outcome measurement first.")
    UNSETTLED = "unsettled", _("Every payout must be paid before the task is shared.")
    SETTLED = "settled", _("The payout is already paid.")
