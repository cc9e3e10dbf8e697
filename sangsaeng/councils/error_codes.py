"""Error codes of the councils API (core.error_codes): stable codes for machines, messages for people."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.error_codes import register_error_codes


@register_error_codes(
    "councils", statuses={"minutes_locked": 409, "already_voted": 409, "already_linked": 409}
)
class CouncilErrorCode(models.TextChoices):
    MINUTES_LOCKED = "minutes_locked", _("Locked minutes cannot change.")
    MINUTES_NOT_DRAFT = "minutes_not_draft", _("Only draft minutes are edited.")
    MINUTES_EMPTY = "minutes_empty", _("The minutes have no text yet.")
    MINUTES_NOT_CIRCULATED = (
        "minutes_not_circulated",
        _("Comments are taken while the minutes are circulated."),
    )
    MINUTES_NOT_LOCKED = "minutes_not_locked", _("Minutes are acknowledged once they are locked.")
    MEETING_CANCELLED = "meeting_cancelled", _("The meeting was cancelled.")
    CHECK_IN_CLOSED = "check_in_closed", _("Check-in is open from one hour before the start until the end.")
    ROUND_CLOSED = "round_closed", _("The selection is closed.")
    ROUND_STILL_OPEN = "round_still_open", _("The selection closes at its closing time.")
    RECUSED = "recused", _("The member is recused from this task (own organisation or declared conflict).")
    ALREADY_VOTED = "already_voted", _("The member already voted on this task.")
    AREA_NOT_SELECTED = "area_not_selected", _("Only a selected cooperation area becomes an R&D call theme.")
    AREA_HANDED_OVER = "area_handed_over", _("The area is already a theme of an R&D call.")
    AREA_NOT_HANDED_OVER = "area_not_handed_over", _("The task's area is not an R&D call theme yet.")
    TASK_NOT_SELECTED = "task_not_selected", _("Only a selected task is taken further.")
    ALREADY_LINKED = "already_linked", _("The task is already linked to a use case or an R&D proposal.")
