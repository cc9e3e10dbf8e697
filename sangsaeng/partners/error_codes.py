"""The partner registry's error codes (core.error_codes): raised as
`ValidationError(…, code=PartnersErrorCode.…)`, answered by the API with that code and listed in its
description."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.error_codes import register_error_codes


@register_error_codes("partners")
class PartnersErrorCode(models.TextChoices):
    BRN_FORMAT = "brn_format", _("A business registration number has 10 digits.")
    BRN_BLOCK = "brn_block", _("The business registration number's middle block is not valid.")
    BRN_CHECKSUM = "brn_checksum", _("The business registration number's check digit is wrong.")
    BRN_DUPLICATE = "brn_duplicate", _("A company with this business registration number is registered.")
    CORPORATE_NUMBER_FORMAT = "corporate_number_format", _("A corporate registration number has 13 digits.")
    CORPORATE_NUMBER_CHECKSUM = (
        "corporate_number_checksum",
        _("The corporate registration number's check digit is wrong."),
    )
    LOCKED_AFTER_APPROVAL = (
        "locked_after_approval",
        _("This field changes only through the host after the company was approved."),
    )
