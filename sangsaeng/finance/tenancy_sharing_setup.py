"""Tenancy registrations of the benefit-sharing set-up routes (imported by finance/tenancy.py).

Editing a draft is an object route of partner A's task (its goal is the secret); incentive rules hold
no partner data and are for host managers only (everyone else gets 403).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sangsaeng.core import tenancy


def _draft(owner: Any) -> tenancy.Owned:
    from sangsaeng.finance.models import SharingTask
    from sangsaeng.partners.models import Partner

    partner = Partner.objects.get(
        organization__memberships__user=owner, organization__memberships__is_active=True
    )
    secret = f"secret-{uuid.uuid4().hex[:12]}"
    task = SharingTask.objects.create(
        partner=partner,
        title=secret,
        task_type="cost_reduction",
        goal=secret,
        kpi_name="unit cost",
        kpi_baseline=Decimal("100"),
        kpi_target=Decimal("90"),
        methods=["cash"],
        cash_ratio_percent=Decimal("50"),
        created_by=owner,
    )
    return tenancy.Owned({"task_id": task.pk}, secret)


tenancy.register_object("finance:sharing_task_edit", make=_draft)
tenancy.register_object(
    "PATCH /api/v1/finance/sharing/tasks/{task_id}/draft", make=_draft, data={"measurement_months": 24}
)

_RULES = "incentive rules hold no partner data; host administrators and programme managers only (403)"
for _route in (
    "finance:sharing_rule_edit",
    "finance:sharing_rule_retire",
    "GET /api/v1/finance/sharing/incentive-rules/{rule_id}",
    "PATCH /api/v1/finance/sharing/incentive-rules/{rule_id}",
    "POST /api/v1/finance/sharing/incentive-rules/{rule_id}/retire",
):
    tenancy.exempt(_route, reason=_RULES)
