"""Registers every partner route with the tenancy harness (core/tests/test_tenancy.py).

Each `make` receives the owner of partner A and returns the path parameters of an object of A and a
text only A's people may see; the harness proves that the owner of partner B gets 404 and never sees
that text (and that lists, searches and exports never show it).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.base import ContentFile

from sangsaeng.core.models import Job
from sangsaeng.core.tests import tenancy
from sangsaeng.partners.models import Contact, DocumentKind, Partner, PartnerDocument


def _secret() -> str:
    return f"secret-{uuid.uuid4().hex[:12]}"


def _partner_of(owner: Any) -> Partner:
    return Partner.objects.get(
        organization__memberships__user=owner, organization__memberships__is_active=True
    )


def _partner(owner: Any) -> tenancy.Owned:
    """Partner A with a secret English name (shown on its page and in lists)."""
    partner = _partner_of(owner)
    secret = _secret()
    Partner.objects.filter(pk=partner.pk).update(name_en=secret, capabilities=secret)
    return tenancy.Owned({"partner_id": partner.pk}, secret)


# Searches look for a word in partner A's capabilities; the page echoes the word it searched for,
# so the secret the harness looks for is A's name, which only a leaked row would show.
SEARCH_PROBE = "tenancyprobe"


def _partner_by_name(owner: Any) -> tenancy.Owned:
    partner = _partner_of(owner)
    secret = _secret()
    Partner.objects.filter(pk=partner.pk).update(name_ko=secret, name_en=secret, capabilities=SEARCH_PROBE)
    return tenancy.Owned({"partner_id": partner.pk}, secret)


def _contact(owner: Any) -> tenancy.Owned:
    partner = _partner_of(owner)
    secret = _secret()
    contact = Contact.objects.create(partner=partner, name=secret, email=f"{secret}@partner.example")
    return tenancy.Owned({"partner_id": partner.pk, "contact_id": contact.pk}, secret)


def _document(owner: Any) -> tenancy.Owned:
    partner = _partner_of(owner)
    secret = _secret()
    document = PartnerDocument(
        partner=partner,
        kind=DocumentKind.OTHER,
        original_name=f"{secret}.pdf",
        content_type="application/pdf",
        size_bytes=20,
        uploaded_by=owner,
    )
    document.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(f"%PDF-1.4 {secret}".encode()), save=False)
    document.save()
    return tenancy.Owned({"partner_id": partner.pk, "document_id": document.pk}, secret)


def _import_job(owner: Any) -> tenancy.Owned:
    secret = _secret()
    job = Job.objects.create(
        owner=owner,
        kind="partners.import",
        status=Job.Status.FAILED,
        message=secret,
        result={"created": 0, "updated": 0, "errors": [{"row": 2, "column": "x", "message": secret}]},
    )
    job.result_file.save(f"{secret}.xlsx", ContentFile(secret.encode()), save=True)
    return tenancy.Owned({"job_id": job.pk}, secret)


for route in ("partners:detail", "partners:edit", "partners:members", "partners:contacts"):
    tenancy.register_object(route, make=_partner)
tenancy.register_object("partners:decide", make=_partner, method="post", data={"decision": "approve"})
tenancy.register_object("partners:resubmit", make=_partner, method="post")
tenancy.register_object("partners:fields", make=_partner, method="post")
tenancy.register_object("partners:documents", make=_partner, method="post", data={"kind": "other"})
tenancy.register_object("partners:contact_edit", make=_contact)
tenancy.register_object("partners:contact_remove", make=_contact, method="post")
tenancy.register_object("partners:document_download", make=_document)
tenancy.register_object("partners:document_delete", make=_document, method="post")
tenancy.register_object("partners:import_job", make=_import_job)
tenancy.register_object("partners:import_report", make=_import_job)

tenancy.register_object("GET /api/v1/partners/{partner_id}", make=_partner)
tenancy.register_object("PATCH /api/v1/partners/{partner_id}", make=_partner, data={"name_en": "changed"})
tenancy.register_object("PUT /api/v1/partners/{partner_id}/fields", make=_partner, data={"field_ids": []})
tenancy.register_object(
    "POST /api/v1/partners/{partner_id}/decisions", make=_partner, data={"decision": "approve", "reason": ""}
)
tenancy.register_object("GET /api/v1/partners/{partner_id}/status-history", make=_partner)
tenancy.register_object("GET /api/v1/partners/{partner_id}/contacts", make=_contact)
tenancy.register_object("POST /api/v1/partners/{partner_id}/contacts", make=_partner, data={"name": "x"})

tenancy.register_list("partners:directory", make=_partner_by_name, query={"q": SEARCH_PROBE})
tenancy.register_list("partners:review_queue", make=_partner_by_name)
tenancy.register_list("partners:export", make=_partner_by_name, query={"q": SEARCH_PROBE})
tenancy.register_list(
    "partners:export",
    make=_partner_by_name,
    query={"q": SEARCH_PROBE, "include_contacts": "on", "reason": "audit"},
)
tenancy.register_list("GET /api/v1/partners", make=_partner_by_name, query={"q": SEARCH_PROBE})
tenancy.register_list("GET /api/v1/partners", make=_partner_by_name, query={"sort": "-created", "limit": 200})
