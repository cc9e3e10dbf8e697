"""Registers every use-case route with the tenancy harness (core/tests/test_tenancy.py).

Each `make` receives the owner of partner A and returns the path parameters of a use case of A and
a text only A's people (and the host) may see. A use case before screening is never showcased; a
showcased one shows its title to approved partners but never its description (NDA).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from sangsaeng.core.tests import tenancy
from sangsaeng.partners.models import Partner
from sangsaeng.usecases.models import GateDecision, Industry, Stage, UseCase, UseCaseAttachment


def _secret() -> str:
    return f"secret-{uuid.uuid4().hex[:12]}"


def _make_use_case(owner: Any, *, stage: str = Stage.SUBMITTED, secret: str, title: str = "") -> UseCase:
    partner = Partner.objects.get(
        organization__memberships__user=owner, organization__memberships__is_active=True
    )
    now = timezone.now()
    use_case = UseCase.objects.create(
        partner=partner,
        proposed_by=owner,
        title=title or secret,
        industry=Industry.SMART_FACTORY,
        features=["urllc"],
        description=secret,
        expected_customers=secret,
        nda_accepted_at=now,
        nda_version="test",
        nda_text="pledge",
        stage=stage,
        stage_entered_at=now,
        screening_due_on=timezone.localdate(),
    )
    GateDecision.objects.create(
        use_case=use_case,
        from_stage="",
        to_stage=Stage.SUBMITTED,
        reason=secret,
        decided_by=owner,
        decided_at=now,
    )
    return use_case


def _use_case(owner: Any) -> tenancy.Owned:
    secret = _secret()
    return tenancy.Owned({"use_case_id": _make_use_case(owner, secret=secret).pk}, secret)


def _showcased(owner: Any) -> tenancy.Owned:
    """Past screening: its title is public to partners, its description is not."""
    secret = _secret()
    use_case = _make_use_case(owner, stage=Stage.POC, secret=secret, title="Showcased PoC")
    return tenancy.Owned({"use_case_id": use_case.pk}, secret)


def _attachment(owner: Any) -> tenancy.Owned:
    secret = _secret()
    use_case = _make_use_case(owner, secret=secret)
    attachment = UseCaseAttachment(
        use_case=use_case,
        original_name=f"{secret}.pdf",
        content_type="application/pdf",
        size_bytes=20,
        uploaded_by=owner,
    )
    attachment.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(f"%PDF-1.4 {secret}".encode()), save=False)
    attachment.save()
    return tenancy.Owned({"use_case_id": use_case.pk, "attachment_id": attachment.pk}, secret)


_SCORES = {"fit": 3, "feasibility": 3, "market": 3, "capability": 3}

tenancy.register_object("usecases:detail", make=_use_case)
tenancy.register_object("usecases:decide", make=_use_case)
tenancy.register_object(
    "usecases:decide",
    make=_use_case,
    method="post",
    data={"to_stage": "screening", "reason": "x", **{f"score_{k}": v for k, v in _SCORES.items()}},
)
tenancy.register_object("usecases:assign_sponsor", make=_use_case, method="post", data={"sponsor": "1"})
tenancy.register_object(
    "usecases:shelve", make=_use_case, method="post", data={"action": "hold", "reason": "x"}
)
tenancy.register_object("usecases:attach", make=_use_case, method="post")
tenancy.register_object("usecases:attachment_download", make=_attachment)

tenancy.register_object("GET /api/v1/usecases/{use_case_id}", make=_use_case)
tenancy.register_object("GET /api/v1/usecases/{use_case_id}/decisions", make=_use_case)
tenancy.register_object(
    "POST /api/v1/usecases/{use_case_id}/decisions",
    make=_use_case,
    data={"to_stage": "screening", "scores": _SCORES, "reason": "x"},
)
tenancy.register_object("POST /api/v1/usecases/{use_case_id}/sponsor", make=_use_case, data={"sponsor_id": 1})
for _verb in ("hold", "resume", "stop"):
    tenancy.register_object(
        f"POST /api/v1/usecases/{{use_case_id}}/{_verb}", make=_use_case, data={"reason": "x"}
    )
tenancy.register_object("POST /api/v1/usecases/{use_case_id}/attachments", make=_use_case)

for _route in ("usecases:list", "usecases:board", "usecases:report", "usecases:report_export"):
    tenancy.register_list(_route, make=_use_case)
tenancy.register_list("usecases:list", make=_use_case, query={"q": "secret"})
tenancy.register_list("usecases:showcase", make=_use_case)
tenancy.register_list("usecases:showcase", make=_showcased, query={"q": "Showcased"})
tenancy.register_list("GET /api/v1/usecases", make=_use_case)
tenancy.register_list("GET /api/v1/usecases/board", make=_use_case)
tenancy.register_list("GET /api/v1/usecases/showcase", make=_use_case)
tenancy.register_list("GET /api/v1/usecases/showcase", make=_showcased)
tenancy.register_list("GET /api/v1/usecases/report/funnel", make=_use_case)
