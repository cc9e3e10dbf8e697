"""Row-heavy parts of the use-case pages rendered in Python, every text escaped.

The list's template loop (an include, two `get_…_display` and date filters per row) cost most of the
page on a slow machine: each display label builds the whole choice table and translates it again.
Here labels are resolved once per page.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sangsaeng.usecases.models import Industry, Stage

_BADGE_CLASSES = {
    Stage.STOPPED: "text-bg-secondary",
    Stage.ON_HOLD: "text-bg-warning",
    Stage.SUBMITTED: "text-bg-info",
    Stage.SCREENING: "text-bg-info",
}


def _badge(stage: str, stage_label: str, overdue: bool, overdue_label: str) -> str:
    html = f'<span class="badge {_BADGE_CLASSES.get(stage, "text-bg-success")}">{escape(stage_label)}</span>'
    if overdue:
        html += f' <span class="badge text-bg-danger">{escape(overdue_label)}</span>'
    return html


def stage_badge(use_case: Any) -> SafeString:
    """The stage badge (and the overdue flag when the use case carries one) of one use case."""
    return mark_safe(  # escaped in _badge
        _badge(
            use_case.stage,
            str(dict(Stage.choices).get(use_case.stage, use_case.stage)),
            bool(getattr(use_case, "overdue", False)),
            _("Screening overdue"),
        )
    )


def list_rows(use_cases: Iterable[Any]) -> SafeString:
    """The <tr> rows of the use-case list (partials/list_results.html)."""
    path = reverse("usecases:detail", args=[0])
    prefix = path[: path.rindex("0/")]
    industries = {value: str(label) for value, label in Industry.choices}
    stages = {value: str(label) for value, label in Stage.choices}
    overdue_label = _("Screening overdue")
    rows = []
    for use_case in use_cases:
        step = use_case.pipeline_step
        sponsor = use_case.sponsor if use_case.sponsor_id else None
        due = use_case.screening_due_on
        submitted = use_case.submitted_at
        badge = _badge(
            use_case.stage,
            stages.get(use_case.stage, use_case.stage),
            bool(getattr(use_case, "overdue", False)),
            overdue_label,
        )
        rows.append(
            f'<tr><td><a href="{escape(f"{prefix}{use_case.pk}/")}">{escape(use_case.title)}</a></td>'
            f"<td>{escape(use_case.partner.name_ko)}</td>"
            f"<td>{escape(industries.get(use_case.industry, use_case.industry))}</td>"
            f"<td>{badge}"
            + (f' <small class="text-body-secondary">{step}/7</small>' if step else "")
            + "</td>"
            f"<td>{escape(sponsor.name) if sponsor is not None and sponsor.name else '—'}</td>"
            f"<td>{due.isoformat() if due else ''}</td>"
            f"<td>{timezone.localtime(submitted).date().isoformat() if submitted else ''}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # every text above is escaped
