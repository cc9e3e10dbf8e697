"""Reads of the partner registry, always scoped to what the acting user may see.

Host people (every role) and the agency see every partner; banks see approved partners (list
fields only, see permissions.can_view_partner_details); a partner's people see their own company.
Lists run a fixed number of queries whatever their length (select/prefetch, aggregate counts).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Max, OrderBy, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import OrganizationKind
from sangsaeng.accounts.selectors import host_name, is_host, kind_of, organization_id_of
from sangsaeng.core.text import digits_only, normalize_text
from sangsaeng.partners import permissions
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
    SizeClass,
    Tier,
)

PAGE_SIZE = 50

# Sort keys offered in the directory and the API; the primary key breaks ties so pages are stable.
SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "name": ("name_ko", "pk"),
    "-name": ("-name_ko", "-pk"),
    "created": ("created_at", "pk"),
    "-created": ("-created_at", "-pk"),
    "tier": ("tier", "name_ko", "pk"),
    "-tier": ("-tier", "name_ko", "pk"),
    "revenue": (F("average_revenue_krw").asc(nulls_last=True), "name_ko", "pk"),
    "-revenue": (F("average_revenue_krw").desc(nulls_last=True), "name_ko", "pk"),
}


@dataclass(frozen=True)
class DirectoryFilters:
    """What the directory, the API list and the export filter on ("" / None = no filter)."""

    q: str = ""
    status: str = ""
    field: str = ""  # collaboration field code
    size_class: str = ""
    tier: int | None = None
    representative: bool | None = None
    fair_trade_agreement: bool | None = None
    sort: str = "name"

    def replace(self, **changes: Any) -> DirectoryFilters:
        return dataclasses.replace(self, **changes)


def partners_for_user(user: Any) -> QuerySet[Partner]:
    """Every partner the user may see (no ordering or prefetch; callers add what they show)."""
    kind = kind_of(user)
    if kind in (OrganizationKind.HOST, OrganizationKind.AGENCY):
        return Partner.objects.all()
    if kind == OrganizationKind.BANK:
        return Partner.objects.filter(status=PartnerStatus.APPROVED)
    own = organization_id_of(user)
    if kind == OrganizationKind.PARTNER and own is not None:
        return Partner.objects.filter(organization_id=own)
    return Partner.objects.none()


def get_partner_for_user(user: Any, partner_id: int) -> Partner:
    """One partner the user may see, with what its page shows; Http404 for anything else."""
    partner = (
        partners_for_user(user)
        .select_related("organization", "size_standard", "created_by")
        .prefetch_related(_field_links_prefetch())
        .filter(pk=partner_id)
        .first()
    )
    if partner is None:
        raise Http404
    return partner


_OWN_PARTNER_ATTR = "_sangsaeng_own_partner"


def own_partner_for_user(user: Any) -> Partner | None:
    """The company of a partner's owner or member, or None. Cached on the user object for the request
    beside the membership (a partner page asks three or four times: navigation, permissions, the
    view); `accounts.selectors.forget_membership` forgets both."""
    own = organization_id_of(user)
    if kind_of(user) != OrganizationKind.PARTNER or own is None:
        return None
    cached = getattr(user, _OWN_PARTNER_ATTR, None)
    if cached is not None and cached.organization_id == own:
        return cached  # type: ignore[no-any-return]
    partner = (
        Partner.objects.select_related("organization", "size_standard").filter(organization_id=own).first()
    )
    if partner is not None:
        setattr(user, _OWN_PARTNER_ATTR, partner)
    return partner


def _field_links_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "field_links",
        queryset=PartnerField.objects.select_related("field").order_by("field__sort_order", "field__code"),
    )


def filter_partners(queryset: QuerySet[Partner], filters: DirectoryFilters) -> QuerySet[Partner]:
    """Apply the directory filters and text search (names ko/en, BRN, capabilities, tags).

    The search is a simple contains-match on every word for now; Korean morphological search
    (kiwipiepy + BM25) replaces it in a later issue.
    """
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.size_class:
        if filters.size_class == "none":
            queryset = queryset.filter(size_class="")
        else:
            queryset = queryset.filter(size_class=filters.size_class)
    if filters.tier is not None:
        queryset = queryset.filter(tier=filters.tier)
    if filters.representative is not None:
        queryset = queryset.filter(is_representative=filters.representative)
    if filters.fair_trade_agreement is not None:
        queryset = queryset.filter(fair_trade_agreement=filters.fair_trade_agreement)
    if filters.field:
        queryset = queryset.filter(
            pk__in=PartnerField.objects.filter(field__code=filters.field).values("partner_id")
        )
    for word in normalize_text(filters.q).split(" "):
        if not word:
            continue
        condition = (
            Q(name_ko__icontains=word)
            | Q(name_en__icontains=word)
            | Q(capabilities__icontains=word)
            | Q(capability_tags__icontains=word)
        )
        digits = digits_only(word)
        if len(digits) >= 3 and len(digits) >= len(word) - 2:  # "116-82" or "1168200276"
            condition |= Q(brn__contains=digits)
        queryset = queryset.filter(condition)
    return queryset


def directory_for_user(user: Any, filters: DirectoryFilters) -> QuerySet[Partner]:
    """The directory rows: visible partners, filtered, searched and sorted, with their fields."""
    ordering = SORTS.get(filters.sort, SORTS["name"])
    return (
        filter_partners(partners_for_user(user), filters)
        .prefetch_related(_field_links_prefetch())
        .order_by(*ordering)
    )


# What a directory row shows: loading only these keeps the busiest list page light (make bench).
DIRECTORY_COLUMNS = (
    "id",
    "name_ko",
    "name_en",
    "brn",
    "status",
    "size_class",
    "tier",
    "is_representative",
    "average_revenue_krw",
    "created_at",
)


def directory_rows_for_user(user: Any, filters: DirectoryFilters) -> QuerySet[Partner]:
    """The directory page's rows: visible partners, filtered and sorted, only the columns a row shows.

    Page them, then call `with_field_badges` on the page for the fields each row shows.
    """
    ordering = SORTS.get(filters.sort, SORTS["name"])
    return filter_partners(partners_for_user(user), filters).only(*DIRECTORY_COLUMNS).order_by(*ordering)


class FieldBadge(NamedTuple):
    code: str
    name_ko: str
    name_en: str
    is_representative: bool


def with_field_badges(
    partners: Iterable[Partner], fields: Iterable[CollaborationField] | None = None
) -> list[Partner]:
    """Attach `field_badges` (a list of FieldBadge, in taxonomy order) to each partner in one query.

    Plain values, not PartnerField and CollaborationField instances: a page of 50 partners has
    about 250 of those, and building them was most of the list's time (make bench). Pass the
    taxonomy when the caller has loaded it already (the directory's filter form has).
    """
    rows = list(partners)
    taxonomy = {
        field.pk: field for field in (fields if fields is not None else CollaborationField.objects.all())
    }
    position = {pk: (field.sort_order, field.code) for pk, field in taxonomy.items()}
    links = PartnerField.objects.filter(partner_id__in=[partner.pk for partner in rows]).values_list(
        "partner_id", "field_id", "is_representative"
    )
    by_partner: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for partner_id, field_id, is_representative in links:
        by_partner[partner_id].append((field_id, is_representative))
    for partner in rows:
        badges = []
        for field_id, is_representative in sorted(
            by_partner.get(partner.pk, ()), key=lambda link: position[link[0]]
        ):
            field = taxonomy[field_id]
            badges.append(FieldBadge(field.code, field.name_ko, field.name_en, is_representative))
        partner.field_badges = badges  # type: ignore[attr-defined]
    return rows


def export_rows_for_user(
    user: Any, filters: DirectoryFilters, *, include_contacts: bool
) -> tuple[list[str], Iterator[list[Any]], int]:
    """Headers, rows and the number of partners for the Excel export (host staff and auditors).

    Raises PermissionDenied for anyone else. Contacts are personal data: the caller logs the export.
    """
    if not permissions.can_export_partners(user):
        raise PermissionDenied(_("Only host staff and auditors export the partner directory."))
    if include_contacts and not permissions.can_export_contacts(user):
        raise PermissionDenied(_("You may not see this company's contacts."))
    queryset = directory_for_user(user, filters)
    if include_contacts:
        queryset = queryset.prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.order_by("-is_primary", "name"))
        )
    headers = [
        _("Business registration number"),
        _("Company name (Korean)"),
        _("Company name (English)"),
        _("CEO"),
        _("Status"),
        _("Size class"),
        _("Tier"),
        _("Main industry (KSIC)"),
        _("3-year average revenue (KRW)"),
        _("Total assets (KRW)"),
        _("Employees"),
        _("Founded"),
        _("Fair-trade agreement"),
        _("Representative partner"),
        _("Collaboration fields"),
        _("Capability tags"),
        _("Capabilities"),
        _("Registered"),
    ]
    if include_contacts:
        headers.append(_("Contacts"))

    def rows() -> Iterator[list[Any]]:
        for partner in queryset.iterator(chunk_size=500):
            row: list[Any] = [
                partner.brn_display,
                partner.name_ko,
                partner.name_en,
                partner.ceo_name,
                partner.get_status_display(),
                partner.get_size_class_display() if partner.size_class else "",
                partner.get_tier_display(),
                partner.ksic_code,
                partner.average_revenue_krw,
                partner.total_assets_krw,
                partner.employees,
                partner.founded_on.isoformat() if partner.founded_on else "",
                partner.fair_trade_agreement,
                partner.is_representative,
                ", ".join(link.field.name_ko for link in partner.field_links.all()),
                partner.capability_tags,
                partner.capabilities,
                partner.created_at.date().isoformat(),
            ]
            if include_contacts:
                row.append(
                    "; ".join(
                        " ".join(part for part in (c.name, c.department, c.email, c.phone) if part)
                        for c in partner.contacts.all()
                    )
                )
            yield row

    return headers, rows(), queryset.count()


# --- Onboarding ----------------------------------------------------------------------------------------


def review_queue_for_user(user: Any) -> QuerySet[Partner]:
    """Partners waiting for the host (pending) or answering it (changes requested), oldest first."""
    if not permissions.can_view_review_queue(user):
        raise PermissionDenied(_("Only the host reviews partners."))
    return (
        partners_for_user(user)
        .filter(status__in=(PartnerStatus.PENDING, PartnerStatus.CHANGES_REQUESTED))
        .annotate(waiting_since=Coalesce(Max("status_changes__created_at"), F("created_at")))
        .order_by("waiting_since", "pk")
    )


def status_history_for_user(user: Any, partner: Partner) -> QuerySet[PartnerStatusChange]:
    """The onboarding timeline of a partner the user may see in full, newest first."""
    if not permissions.can_view_partner_details(user, partner):
        raise PermissionDenied(_("You may not see this company's history."))
    return partner.status_changes.select_related("actor").order_by("-created_at", "-id")


# --- Contacts and documents ----------------------------------------------------------------------------


def contacts_for_user(user: Any, partner: Partner) -> QuerySet[Contact]:
    """The partner's contact people (personal data): own people and the host; PermissionDenied otherwise.

    The caller logs the host's access (log_personal_data_access) when it shows unmasked data.
    """
    if not permissions.can_view_contacts(user, partner):
        raise PermissionDenied(_("You may not see this company's contacts."))
    return partner.contacts.order_by("-is_primary", "name", "pk")


def get_contact_for_user(user: Any, partner: Partner, contact_id: int) -> Contact:
    contact = contacts_for_user(user, partner).filter(pk=contact_id).first()
    if contact is None:
        raise Http404
    return contact


def documents_for_user(user: Any, partner: Partner) -> QuerySet[PartnerDocument]:
    if not permissions.can_view_documents(user, partner):
        raise PermissionDenied(_("You may not see this company's documents."))
    return partner.documents.select_related("uploaded_by").order_by("-uploaded_at", "-pk")


def get_document_for_user(user: Any, partner: Partner, document_id: int) -> PartnerDocument:
    document = documents_for_user(user, partner).filter(pk=document_id).first()
    if document is None:
        raise Http404
    return document


# --- Dashboards -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    count: int
    percent: int  # of the largest bucket, for the no-JS bars


def _buckets(pairs: Sequence[tuple[str, str, int]]) -> list[Bucket]:
    largest = max((count for _key, _label, count in pairs), default=0) or 1
    return [Bucket(key, label, count, round(count * 100 / largest)) for key, label, count in pairs]


def dashboard_statistics(user: Any) -> dict[str, Any]:
    """Counts of partners by status (all) and of approved partners by field, size class and tier.

    Four aggregate queries whatever the number of partners. Host and agency only.
    """
    if not permissions.can_view_statistics(user):
        raise PermissionDenied(_("You may not see partner statistics."))
    visible = partners_for_user(user)
    by_status = dict(
        visible.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    approved = visible.filter(status=PartnerStatus.APPROVED).order_by()
    by_size = dict(approved.values_list("size_class").annotate(n=Count("pk")).values_list("size_class", "n"))
    by_tier = dict(approved.values_list("tier").annotate(n=Count("pk")).values_list("tier", "n"))
    fields = CollaborationField.objects.annotate(
        n=Count("partner_links", filter=Q(partner_links__partner__in=approved.values("pk")))
    ).order_by("kind", "sort_order", "code")
    size_rows = [(str(value), str(label), by_size.get(value, 0)) for value, label in SizeClass.choices]
    if by_size.get(""):
        size_rows.append(("none", _("Not classified"), by_size[""]))
    return {
        "total": sum(by_status.values()),
        "approved": by_status.get(PartnerStatus.APPROVED, 0),
        "by_status": _buckets(
            [(str(value), str(label), by_status.get(value, 0)) for value, label in PartnerStatus.choices]
        ),
        "by_size": _buckets(size_rows),
        "by_tier": _buckets(
            [(str(value), str(label), by_tier.get(value, 0)) for value, label in Tier.choices]
        ),
        "by_field": _buckets([(f.code, f.name_ko, f.n) for f in fields]),
    }


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str
    urgent: bool = False


def next_steps_for_partner(user: Any, partner: Partner) -> list[NextStep]:
    """What the partner should do next, most urgent first (two count queries)."""
    steps: list[NextStep] = []
    detail = reverse("partners:detail", kwargs={"partner_id": partner.pk})
    edit = reverse("partners:edit", kwargs={"partner_id": partner.pk})
    if partner.status == PartnerStatus.CHANGES_REQUESTED:
        steps.append(
            NextStep(
                _("Respond to the change request: update your profile, then send it for review."), edit, True
            )
        )
    elif partner.status == PartnerStatus.REJECTED:
        steps.append(
            NextStep(
                _("Read the reason for the rejection; you may correct your profile and send it again."),
                detail,
                True,
            )
        )
    elif partner.status == PartnerStatus.SUSPENDED:
        steps.append(
            NextStep(
                _("Your company is suspended. Read the reason and contact %(host)s.") % {"host": host_name()},
                detail,
                True,
            )
        )
    elif partner.status == PartnerStatus.PENDING:
        steps.append(
            NextStep(
                _("%(host)s is reviewing your company. You will be notified of the decision.")
                % {"host": host_name()},
                detail,
            )
        )
    missing = [
        name
        for name in ("address", "founded_on", "employees", "average_revenue_krw", "total_assets_krw")
        if getattr(partner, name) in (None, "")
    ]
    if missing or not partner.size_class:
        steps.append(
            NextStep(
                _("Complete your company profile (revenue, assets, address …) so we can classify its size."),
                edit,
            )
        )
    kinds = set(partner.documents.values_list("kind", flat=True))
    if DocumentKind.BUSINESS_REGISTRATION not in kinds:
        steps.append(
            NextStep(
                _("Upload your business registration certificate (사업자등록증)."), detail + "#documents"
            )
        )
    if DocumentKind.SME_CONFIRMATION not in kinds and partner.size_class in ("", *SME_CLASSES):
        steps.append(NextStep(_("Upload your SME confirmation (중소기업확인서)."), detail + "#documents"))
    if not partner.contacts.exists():
        steps.append(
            NextStep(
                _("Add a contact person."), reverse("partners:contacts", kwargs={"partner_id": partner.pk})
            )
        )
    return steps


def home_context_for_user(user: Any) -> dict[str, Any]:
    """What the home page shows for this person; "template" names the page (home.views.home)."""
    if is_host(user):
        queue = review_queue_for_user(user)
        stats = dashboard_statistics(user)
        titles = {
            "status": _("Partners by status"),
            "size": _("Approved partners by size class"),
            "tier": _("Approved partners by tier"),
            "field": _("Approved partners by collaboration field"),
        }
        return {
            "template": "partners/home_host.html",
            "stats": stats,
            "chart_data": {
                key: {
                    "title": str(title),
                    "labels": [bucket.label for bucket in stats[f"by_{key}"]],
                    "counts": [bucket.count for bucket in stats[f"by_{key}"]],
                }
                for key, title in titles.items()
            },
            "queue": list(queue.select_related("organization")[:10]),
            "queue_count": queue.count(),
        }
    partner = own_partner_for_user(user)
    if partner is not None:
        return {
            "template": "partners/home_partner.html",
            "partner": partner,
            "history": list(status_history_for_user(user, partner)[:5]),
            "next_steps": next_steps_for_partner(user, partner),
        }
    return {"template": "partners/home_basic.html", "can_sign_up": permissions.can_sign_up_partner(user)}
