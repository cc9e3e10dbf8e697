"""The demo scenario (`manage.py load_demo`, run by `make demo`): idempotent.

It loads the reference plan's cast (DOMAIN.md): the host (a fictional telecom operator, 상생텔레콤),
about 170 approved partners (협력사) across collaboration fields, sizes and tiers, a few sign-ups
still in review, the agency (동반성장위원회), two banks and one login per role, all with one demo
password. Every row is keyed on a natural key (a BRN, an e-mail address, an organisation's kind and
name), so a second run finds what the first created and changes nothing; rows that drifted (an
edited name, a changed password) are put back and the correction is audited.

The companies are fictional (names built from syllables, figures random from a fixed seed) except
the two representative partners the plan names — 이루온 for 기술 (technology) and 하이테크 for
인프라구축 (infrastructure construction) — whose names are real and whose figures are invented.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test.utils import override_settings
from django.utils import timezone

from sangsaeng.accounts.models import Membership, Organization, OrganizationKind, Role, User
from sangsaeng.core import audit
from sangsaeng.demo.documents import placeholder_pdf
from sangsaeng.demo.programmes import QUIET_MAIL, load_programmes
from sangsaeng.demo.specs import PartnerSpec, PersonSpec, StepSpec, build_partner_specs
from sangsaeng.partners.models import (
    SME_CLASSES,
    CollaborationField,
    Contact,
    DocumentKind,
    Partner,
    PartnerDocument,
    PartnerField,
    PartnerStatus,
    PartnerStatusChange,
)
from sangsaeng.partners.services.documents import upload_document

DEMO_PASSWORD = "sangsaeng-demo-2026!"
AUDIT_ACTION = "demo.load"

HOST = ("상생텔레콤", "Sangsaeng Telecom")
AGENCY = ("동반성장위원회", "Korea Commission for Corporate Partnership")
BANKS = (("상생은행", "Sangsaeng Bank", "sangsaeng-bank"), ("미래은행", "Mirae Bank", "mirae-bank"))
HOST_DOMAIN = "sangsaeng-telecom.example.com"

# (e-mail local part, name, role, job title): one login per host role.
HOST_PEOPLE = (
    ("admin", "김하늘", Role.ADMIN, "동반성장팀장"),
    ("pm", "이도윤", Role.PROGRAM_MANAGER, "동반성장 프로그램 매니저"),
    ("reviewer", "박서연", Role.REVIEWER, "기술 심사위원"),
    ("lab", "최민준", Role.LAB_OPERATOR, "5G 오픈랩 운영"),
    ("auditor", "정수아", Role.AUDITOR, "감사팀"),
)
SUPERUSER = ("superuser", "시스템관리자")
# Two more reviewers (not printed): the R&D call gives each proposal three blind reviews.
EXTRA_REVIEWERS = (
    ("reviewer2", "장현우", "외부 심사위원 (네트워크)"),
    ("reviewer3", "윤채원", "외부 심사위원 (사업화)"),
)


@dataclass(frozen=True)
class Credential:
    """One printed demo login."""

    role: str
    organization: str
    email: str


@dataclass
class DemoResult:
    credentials: list[Credential] = field(default_factory=list)
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    partners_by_status: dict[str, int] = field(default_factory=dict)


class _Loader:
    """Writes the scenario inside one transaction, counting and auditing what it changes."""

    def __init__(self) -> None:
        self.result = DemoResult()
        # One hash for every company login that is not printed: Argon2 is slow on purpose, and
        # hashing 170 times would make `make demo` wait for nothing.
        self.shared_password_hash = make_password(DEMO_PASSWORD)

    def _audit(
        self, target: models.Model, changes: dict[str, Any], partner_org_id: int | None = None
    ) -> None:
        audit.record(
            actor=None,
            action=AUDIT_ACTION,
            target=target,
            changes=changes,
            partner_organization_id=partner_org_id,
        )

    def _apply(self, instance: models.Model, values: dict[str, Any]) -> dict[str, list[Any]]:
        """Set values that differ; return the audit diff (empty when nothing changed)."""
        before = {name: getattr(instance, name) for name in values}
        changed = {name: value for name, value in values.items() if before[name] != value}
        for name, value in changed.items():
            setattr(instance, name, value)
        return audit.diff({name: before[name] for name in changed}, changed)

    def organization(self, kind: str, name: str, name_en: str) -> Organization:
        organization = Organization.objects.filter(kind=kind, name=name).order_by("pk").first()
        if organization is None:
            organization = Organization.objects.create(kind=kind, name=name, name_en=name_en)
            self.result.created["organizations"] += 1
            self._audit(organization, audit.diff({}, {"kind": kind, "name": name, "name_en": name_en}))
            return organization
        changes = self._apply(organization, {"name_en": name_en, "is_active": True})
        if changes:
            organization.save(update_fields=list(changes))
            self.result.updated["organizations"] += 1
            self._audit(organization, changes)
        return organization

    def person(
        self, spec: PersonSpec, organization: Organization, *, superuser: bool = False, note: str = ""
    ) -> User:
        """The user keyed on e-mail, with one active membership (none for the superuser)."""
        partner_org_id = organization.pk if organization.kind == OrganizationKind.PARTNER else None
        user = User.objects.filter(email=spec.email).first()
        flags = {"is_staff": superuser, "is_superuser": superuser}
        if user is None:
            user = User(email=spec.email, name=spec.name, phone="", language="ko", **flags)
            if spec.printed or superuser:
                user.set_password(DEMO_PASSWORD)
            else:
                user.password = self.shared_password_hash
            user.save()
            self.result.created["users"] += 1
            changes = audit.diff({}, {"email": spec.email, "name": spec.name, **flags})
        else:
            changes = self._apply(user, {"name": spec.name, "is_active": True, **flags})
            # Printed logins must work whatever happened to them since the last run.
            if (spec.printed or superuser) and not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                changes.update(audit.diff({"password": 0}, {"password": 1}))
            if changes:
                user.save()
                self.result.updated["users"] += 1
        if not superuser:
            changes.update(self._membership(user, organization, spec.role, spec.title))
        if changes:
            self._audit(user, changes, partner_org_id)
        if superuser:
            self.result.credentials.append(Credential("superuser", "Django admin /django-admin/", spec.email))
        elif spec.printed:
            label = f"{organization.name} ({note})" if note else organization.name
            self.result.credentials.append(Credential(spec.role, label, spec.email))
        return user

    def _membership(self, user: User, organization: Organization, role: str, title: str) -> dict[str, Any]:
        current = Membership.objects.filter(user=user, is_active=True).first()
        if current is not None and current.organization_id == organization.pk and current.role == role:
            if current.title != title:
                current.title = title
                current.save(update_fields=["title"])
            return {}
        before: dict[str, Any] = {"organization": None, "role": None}
        if current is not None:
            before = {"organization": current.organization_id, "role": current.role}
            current.is_active = False
            current.deactivated_at = timezone.now()
            current.save(update_fields=["is_active", "deactivated_at"])
        membership = Membership(user=user, organization=organization, role=role, title=title)
        membership.full_clean()
        membership.save()
        self.result.created["memberships"] += 1
        return audit.diff(before, {"organization": organization.pk, "role": role})

    def partner(
        self,
        spec: PartnerSpec,
        *,
        fields_by_code: dict[str, CollaborationField],
        host_admin: User,
        classify: Any,
    ) -> Partner:
        values = dict(spec.values)
        partner = Partner.objects.select_related("organization").filter(brn=values["brn"]).first()
        people = spec.people
        # The credentials table says when a login belongs to a company still under review.
        note = "" if values["status"] == PartnerStatus.APPROVED else str(values["status"])
        if partner is None:
            organization = Organization.objects.create(
                kind=OrganizationKind.PARTNER, name=values["name_ko"], name_en=values["name_en"]
            )
            owner = self.person(people[0], organization, note=note)
            partner = Partner(organization=organization, created_by=owner, **values)
            classify(partner)
            partner.full_clean()
            partner.save()
            self.result.created["partners"] += 1
            self._history(partner, spec.history, owner=owner, host_admin=host_admin)
            self._checked_documents(partner, spec.history, owner=owner)
            audited = {k: values[k] for k in ("brn", "name_ko", "status", "tier", "is_representative")}
            self._audit(
                partner, audit.diff({}, {**audited, "size_class": partner.size_class}), organization.pk
            )
        else:
            organization = partner.organization
            org_changes = self._apply(organization, {"name": values["name_ko"], "name_en": values["name_en"]})
            if org_changes:
                organization.save(update_fields=list(org_changes))
            owner = self.person(people[0], organization, note=note)
            changes = self._apply(partner, values)
            size_fields = ("size_class", "size_basis", "size_standard_id")
            before = {name: getattr(partner, name) for name in size_fields}
            classify(partner)
            changes.update(audit.diff(before, {name: getattr(partner, name) for name in size_fields}))
            if changes:
                partner.full_clean()
                partner.save()
                self.result.updated["partners"] += 1
                self._audit(partner, changes, organization.pk)
        for person in people[1:]:
            self.person(person, organization, note=note)
        self._contacts(partner, spec.contacts)
        self._fields(partner, spec, fields_by_code)
        return partner

    def _history(
        self, partner: Partner, steps: tuple[StepSpec, ...], *, owner: User, host_admin: User
    ) -> None:
        changes = PartnerStatusChange.objects.bulk_create(
            PartnerStatusChange(
                partner=partner,
                from_status=step.from_status,
                to_status=step.to_status,
                reason=step.reason,
                actor=host_admin if step.by_host else owner,
            )
            for step in steps
        )
        # created_at is auto_now_add: the timeline's past dates are written after the insert.
        for change, step in zip(changes, steps, strict=True):
            change.created_at = step.at
        PartnerStatusChange.objects.bulk_update(changes, ["created_at"])
        Partner.objects.filter(pk=partner.pk).update(created_at=steps[0].at)
        self.result.created["status_changes"] += len(changes)

    def _checked_documents(self, partner: Partner, steps: tuple[StepSpec, ...], *, owner: User) -> None:
        """A partner whose history says the host checked its documents (사업자등록증, 중소기업확인서 for
        an SME) has them, uploaded by its owner on the day it applied (through the partners service)."""
        if not any(step.to_status == PartnerStatus.APPROVED for step in steps):
            return
        kinds = [DocumentKind.BUSINESS_REGISTRATION]
        if partner.size_class in SME_CLASSES:
            kinds.append(DocumentKind.SME_CONFIRMATION)
        for kind in kinds:
            document = upload_document(
                actor=owner,
                partner=partner,
                kind=kind,
                upload=SimpleUploadedFile(f"{kind}.pdf", placeholder_pdf(partner.name_ko), "application/pdf"),
            )
            PartnerDocument.objects.filter(pk=document.pk).update(uploaded_at=steps[0].at)
            self.result.created["partner_documents"] += 1

    def _contacts(self, partner: Partner, contacts: tuple[dict[str, Any], ...]) -> None:
        existing = {contact.email: contact for contact in partner.contacts.all()}
        for values in contacts:
            contact = existing.get(values["email"])
            if contact is None:
                Contact.objects.create(partner=partner, **values)
                self.result.created["contacts"] += 1
            elif self._apply(contact, values):
                contact.save()
                self.result.updated["contacts"] += 1

    def _fields(
        self, partner: Partner, spec: PartnerSpec, fields_by_code: dict[str, CollaborationField]
    ) -> None:
        existing = {link.field_id: link for link in partner.field_links.all()}
        for code in spec.field_codes:
            collaboration_field = fields_by_code.get(code)
            if collaboration_field is None:
                continue  # the taxonomy was edited: a missing field is skipped, not invented
            representative = code == spec.representative_code
            link = existing.get(collaboration_field.pk)
            if link is None:
                PartnerField.objects.create(
                    partner=partner, field=collaboration_field, is_representative=representative
                )
                self.result.created["field_links"] += 1
            elif link.is_representative != representative:
                link.is_representative = representative
                link.save(update_fields=["is_representative"])
                self.result.updated["field_links"] += 1


def _classifier() -> Any:
    """apply_classification with the size table in force today, loaded once for every partner."""
    from sangsaeng.core.dates import today
    from sangsaeng.partners.classification import apply_classification, load_table

    on = today()
    table = load_table(on)

    def classify(partner: Partner) -> None:
        apply_classification(partner, on, table=table)

    return classify


def load_demo() -> DemoResult:
    """Create or repair the whole demo scenario in one transaction and return its logins."""
    fields = list(CollaborationField.objects.order_by("kind", "sort_order", "code"))
    fields_by_code = {f.code: f for f in fields}
    codes_by_kind: dict[str, list[str]] = {}
    for collaboration_field in fields:
        codes_by_kind.setdefault(collaboration_field.kind, []).append(collaboration_field.code)
    specs = build_partner_specs(codes_by_kind, timezone.now())
    loader = _Loader()
    with override_settings(EMAIL_BACKEND=QUIET_MAIL), transaction.atomic():
        host = loader.organization(OrganizationKind.HOST, *HOST)
        host_people = {
            role: loader.person(PersonSpec(f"{local}@{HOST_DOMAIN}", name, role, title, printed=True), host)
            for local, name, role, title in HOST_PEOPLE
        }
        loader.person(
            PersonSpec(f"{SUPERUSER[0]}@{HOST_DOMAIN}", SUPERUSER[1], "", printed=True), host, superuser=True
        )
        reviewers = [host_people[Role.REVIEWER]] + [
            loader.person(PersonSpec(f"{local}@{HOST_DOMAIN}", name, Role.REVIEWER, title), host)
            for local, name, title in EXTRA_REVIEWERS
        ]
        classify = _classifier()
        partners = [
            loader.partner(
                spec, fields_by_code=fields_by_code, host_admin=host_people[Role.ADMIN], classify=classify
            )
            for spec in specs
        ]
        for name, name_en, slug in BANKS:
            bank = loader.organization(OrganizationKind.BANK, name, name_en)
            loader.person(
                PersonSpec(
                    f"officer@{slug}.example.com", "여신 담당자", Role.LOAN_OFFICER, "기업금융부", True
                ),
                bank,
            )
        agency = loader.organization(OrganizationKind.AGENCY, *AGENCY)
        loader.person(
            PersonSpec("observer@winwin.example.com", "강지민", Role.OBSERVER, "평가팀", True), agency
        )
        result = loader.result
        # The programmes (R&D, loans, benefit sharing, use cases, Open Lab) through their services.
        result.created.update(load_programmes(host=host_people, reviewers=reviewers, partners=partners))
        if result.created or result.updated:
            audit.record(
                actor=None,
                action=AUDIT_ACTION,
                target=audit.AuditTarget("demo", "scenario", "Demo scenario"),
                changes={"created": dict(result.created), "updated": dict(result.updated)},
            )
    brns = [spec.values["brn"] for spec in specs]
    result.partners_by_status = dict(
        Partner.objects.filter(brn__in=brns)
        .values("status")
        .annotate(count=models.Count("pk"))
        .values_list("status", "count")
    )
    return result
