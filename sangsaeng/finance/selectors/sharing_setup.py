"""Reads of the benefit-sharing set-up: incentive rules (with the awards each made) and the host's
programme. For host managers; the callers check the permission."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, QuerySet
from django.http import Http404

from sangsaeng.core import dates
from sangsaeng.finance.models import IncentivePoint, IncentiveRule, SharingProgramme


def incentive_rules() -> QuerySet[IncentiveRule]:
    """Every rule, retired ones too, newest first."""
    return IncentiveRule.objects.order_by("-valid_from", "-pk")


def get_incentive_rule(rule_id: int) -> IncentiveRule:
    rule = IncentiveRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise Http404
    return rule


def award_counts(rules: Iterable[IncentiveRule]) -> dict[int, int]:
    """How many awards each rule made (one query for a page of rules)."""
    return dict(
        IncentivePoint.objects.filter(rule_id__in=[rule.pk for rule in rules])
        .values("rule_id")
        .annotate(count=Count("pk"))
        .values_list("rule_id", "count")
    )


def rule_in_force(on: dt.date | None = None) -> IncentiveRule | None:
    """The rule a task confirmed on `on` (today by default) is awarded by, if any."""
    day = on or dates.today()
    return IncentiveRule.objects.filter(valid_from__lte=day, retired_at__isnull=True).first()


def programme_of(host_id: int | None) -> SharingProgramme | None:
    return SharingProgramme.objects.filter(host_id=host_id).first() if host_id is not None else None
