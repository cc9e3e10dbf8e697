"""Use cases in a given stage, built directly (the services are tested on their own)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from sangsaeng.usecases.models import GateDecision, Industry, Stage, UseCase


def make_use_case(
    partner: Any,
    proposer: Any,
    *,
    stage: str = Stage.SUBMITTED,
    sponsor: Any = None,
    due: datetime.date | None = None,
    title: str = "스마트팩토리 URLLC 로봇 제어",
    industry: str = Industry.SMART_FACTORY,
    features: list[str] | None = None,
    resume_stage: str = "",
) -> UseCase:
    now = timezone.now()
    use_case = UseCase.objects.create(
        partner=partner,
        proposed_by=proposer,
        title=title,
        industry=industry,
        features=features if features is not None else ["urllc", "mec"],
        description="공장 내 로봇을 5G URLLC로 제어합니다.",
        expected_customers="중견 제조사",
        nda_accepted_at=now,
        nda_version="2026-01",
        nda_text="pledge",
        stage=stage,
        stage_entered_at=now,
        resume_stage=resume_stage,
        sponsor=sponsor,
        screening_due_on=due or (timezone.localdate() + datetime.timedelta(days=60)),
    )
    GateDecision.objects.create(
        use_case=use_case,
        from_stage="",
        to_stage=Stage.SUBMITTED,
        reason="",
        decided_by=proposer,
        decided_at=now,
    )
    return use_case
