"""Writing a validated file: all partners created or updated in one transaction, or none.

Runs inside the transaction opened by the import task; every created or updated partner gets its
audit event, the import as a whole gets one more, and the job's progress moves as rows are written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import Organization, OrganizationKind
from sangsaeng.core import audit
from sangsaeng.core.dates import today
from sangsaeng.core.models import Job
from sangsaeng.core.services import job_progress
from sangsaeng.partners.classification import StandardTable, apply_classification, load_table
from sangsaeng.partners.imports.columns import COLUMNS_BY_KEY, MODE_CREATE, PARTNER_KEYS
from sangsaeng.partners.imports.reading import ParsedRow, RowError
from sangsaeng.partners.models import (
    Contact,
    Partner,
    PartnerField,
    PartnerStatus,
    PartnerStatusChange,
)

PROGRESS_EVERY = 200


class _ConflictError(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("conflict")
        self.errors = errors


def _chunks(items: Sequence[Any], size: int = 900) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write(
    job: Job,
    actor: Any,
    mode: str,
    rows: list[ParsedRow],
    present: set[str],
    field_ids: dict[str, int],
) -> dict[str, int]:
    """Create and update partners, then write their audit events. Runs inside one transaction."""
    brns = [row.values["brn"] for row in rows]
    existing: dict[str, Partner] = {}
    for chunk in _chunks(brns):
        for partner in Partner.objects.select_related("organization").filter(brn__in=chunk):
            existing[partner.brn] = partner
    if mode == MODE_CREATE and existing:
        # Registered since validation: refuse the same way validation would have.
        message = _(
            "A partner with this business registration number is already registered (one partner per number)."
        )
        raise _ConflictError(
            [
                RowError(row.row, COLUMNS_BY_KEY["brn"].header, message)
                for row in rows
                if row.values["brn"] in existing
            ]
        )
    on = today()
    table = load_table(on)
    new_rows = [row for row in rows if row.values["brn"] not in existing]
    update_rows = [row for row in rows if row.values["brn"] in existing]
    created = _create_partners(job, actor, new_rows, field_ids, on, table, done_before=len(rows))
    updated, unchanged = _update_partners(
        job,
        actor,
        update_rows,
        existing,
        present,
        field_ids,
        on,
        table,
        done_before=len(rows) + len(new_rows),
    )
    audit.record(
        actor=actor,
        action="partners.import",
        target=audit.AuditTarget(
            object_type="partners.import",
            object_id=str(job.pk),
            object_repr=str(job.parameters.get("file_name", ""))[:255],
        ),
        changes={
            "mode": mode,
            "rows": len(rows),
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
        },
    )
    return {"created": created, "updated": updated, "unchanged": unchanged}


def _partner_snapshot(partner: Partner, field_codes: list[str]) -> dict[str, Any]:
    snapshot = audit.snapshot(partner, PARTNER_KEYS)
    snapshot["size_class"] = partner.size_class
    snapshot["fields"] = sorted(field_codes)
    return snapshot


def _create_partners(
    job: Job,
    actor: Any,
    rows: list[ParsedRow],
    field_ids: dict[str, int],
    on: dt.date,
    table: StandardTable | None,
    *,
    done_before: int,
) -> int:
    if not rows:
        return 0
    now = timezone.now()
    organizations = Organization.objects.bulk_create(
        [
            Organization(
                kind=OrganizationKind.PARTNER,
                name=row.values["name_ko"],
                name_en=row.values.get("name_en", ""),
            )
            for row in rows
        ],
        batch_size=500,
    )
    partners: list[Partner] = []
    for row, organization in zip(rows, organizations, strict=True):
        partner = Partner(
            organization=organization,
            status=PartnerStatus.APPROVED,
            approved_at=now,
            created_by=actor,
            **{key: row.values[key] for key in PARTNER_KEYS if key in row.values},
        )
        apply_classification(partner, on, table=table)
        partners.append(partner)
    Partner.objects.bulk_create(partners, batch_size=500)

    reason = _("Imported from Excel by the host.")
    PartnerStatusChange.objects.bulk_create(
        [
            PartnerStatusChange(
                partner=partner, from_status="", to_status=PartnerStatus.APPROVED, reason=reason, actor=actor
            )
            for partner in partners
        ],
        batch_size=500,
    )
    PartnerField.objects.bulk_create(
        [
            PartnerField(partner=partner, field_id=field_ids[code])
            for row, partner in zip(rows, partners, strict=True)
            for code in row.values.get("fields", [])
        ],
        batch_size=500,
    )
    Contact.objects.bulk_create(
        [
            Contact(
                partner=partner,
                name=row.values["contact_name"],
                email=row.values.get("contact_email", ""),
                phone=row.values.get("contact_phone", ""),
                is_primary=True,
            )
            for row, partner in zip(rows, partners, strict=True)
            if row.values.get("contact_name")
        ],
        batch_size=500,
    )
    for done, (row, partner) in enumerate(zip(rows, partners, strict=True), start=1):
        changes: dict[str, Any] = audit.diff({}, _partner_snapshot(partner, row.values.get("fields", [])))
        changes["status"] = [None, PartnerStatus.APPROVED.value]
        changes["import_job"] = str(job.pk)
        audit.record(
            actor=actor,
            action="partners.import_create",
            target=partner,
            changes=changes,
            partner_organization_id=partner.organization_id,
        )
        if done % PROGRESS_EVERY == 0:
            job_progress(job, done=done_before + done)
    return len(partners)


def _update_partners(
    job: Job,
    actor: Any,
    rows: list[ParsedRow],
    existing: dict[str, Partner],
    present: set[str],
    field_ids: dict[str, int],
    on: dt.date,
    table: StandardTable | None,
    *,
    done_before: int,
) -> tuple[int, int]:
    """Update matched partners from the columns present in the file; returns (updated, unchanged)."""
    if not rows:
        return 0, 0
    partners = [existing[row.values["brn"]] for row in rows]
    partner_ids = [partner.pk for partner in partners]
    links: dict[int, dict[int, PartnerField]] = {pk: {} for pk in partner_ids}
    for link in PartnerField.objects.filter(partner_id__in=partner_ids):
        links[link.partner_id][link.field_id] = link
    contacts: dict[int, list[Contact]] = {pk: [] for pk in partner_ids}
    for contact in Contact.objects.filter(partner_id__in=partner_ids):
        contacts[contact.partner_id].append(contact)
    code_of = {pk: code for code, pk in field_ids.items()}

    keys = [key for key in PARTNER_KEYS if key in present and key != "brn"]
    changed_organizations: list[Organization] = []
    new_links: list[PartnerField] = []
    stale_link_ids: list[int] = []
    new_contacts: list[Contact] = []
    changed_contacts: list[Contact] = []
    events: list[tuple[Partner, dict[str, Any]]] = []
    unchanged = 0
    for row, partner in zip(rows, partners, strict=True):
        before = _partner_snapshot(partner, [code_of[field_id] for field_id in links[partner.pk]])
        for key in keys:
            setattr(partner, key, row.values[key])
        apply_classification(partner, on, table=table)
        codes = before["fields"]
        if "fields" in present:
            codes = row.values["fields"]
            wanted = {field_ids[code] for code in codes}
            new_links.extend(
                PartnerField(partner=partner, field_id=field_id)
                for field_id in wanted
                if field_id not in links[partner.pk]
            )
            stale_link_ids.extend(
                link.pk for field_id, link in links[partner.pk].items() if field_id not in wanted
            )
        after = _partner_snapshot(partner, codes)
        changes: dict[str, Any] = audit.diff(before, after)
        contact_change = _merge_contact(row, partner, contacts[partner.pk], new_contacts, changed_contacts)
        if contact_change:
            changes["contact"] = contact_change
        if not changes:
            unchanged += 1
            continue
        organization = partner.organization
        if organization.name != partner.name_ko or organization.name_en != partner.name_en:
            organization.name, organization.name_en = partner.name_ko, partner.name_en
            changed_organizations.append(organization)
        changes["import_job"] = str(job.pk)
        events.append((partner, changes))

    # One UPDATE per changed row: Django's bulk_update builds CASE expressions whose cost grows with
    # the batch (and SQLite's parameter limit keeps batches tiny), which measured 3x slower here.
    partner_fields = [*keys, "size_class", "size_basis", "size_computed_on", "size_standard", "updated_at"]
    for organization in changed_organizations:
        organization.save(update_fields=["name", "name_en"])
    for contact in changed_contacts:
        contact.save(update_fields=["email", "phone"])
    for chunk in _chunks(stale_link_ids):
        PartnerField.objects.filter(pk__in=chunk).delete()
    PartnerField.objects.bulk_create(new_links, batch_size=500)
    Contact.objects.bulk_create(new_contacts, batch_size=500)
    for done, (partner, changes) in enumerate(events, start=1):
        partner.save(update_fields=partner_fields)
        audit.record(
            actor=actor,
            action="partners.import_update",
            target=partner,
            changes=changes,
            partner_organization_id=partner.organization_id,
        )
        if done % PROGRESS_EVERY == 0:
            job_progress(job, done=done_before + done)
    return len(events), unchanged


def _merge_contact(
    row: ParsedRow,
    partner: Partner,
    current: list[Contact],
    new_contacts: list[Contact],
    changed_contacts: list[Contact],
) -> str:
    """Add the row's contact, or update the one with the same name; returns "added", "updated" or ""."""
    name = row.values.get("contact_name")
    if not name:
        return ""
    email = row.values.get("contact_email", "")
    phone = row.values.get("contact_phone", "")
    match = next((contact for contact in current if contact.name == name), None)
    if match is None:
        new_contacts.append(
            Contact(
                partner=partner,
                name=name,
                email=email,
                phone=phone,
                is_primary=not any(contact.is_primary for contact in current),
            )
        )
        return "added"
    if (match.email, match.phone) == (email or match.email, phone or match.phone):
        return ""
    match.email, match.phone = email or match.email, phone or match.phone
    changed_contacts.append(match)
    return "updated"
