"""Partner registry API, mounted at /api/v1/partners. Same selectors and services as the pages."""

from __future__ import annotations

from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from sangsaeng.accounts.selectors import is_host
from sangsaeng.core import botcheck, ratelimits
from sangsaeng.core.models import PersonalDataAccess
from sangsaeng.core.schemas import Id
from sangsaeng.core.services import log_personal_data_access
from sangsaeng.partners import permissions, selectors, services
from sangsaeng.partners.models import Partner
from sangsaeng.partners.schemas import (
    ContactIn,
    ContactOut,
    DecisionIn,
    PartnerFilterIn,
    PartnerOut,
    PartnerPageOut,
    PartnerSignupIn,
    PartnerUpdateIn,
    SignupFormTokenOut,
    StatusChangeOut,
)

router = Router(tags=["partners"])

_DETAIL_FIELDS = (
    "status_reason",
    "corporate_number",
    "ceo_name",
    "address",
    "founded_on",
    "employees",
    "ksic_code",
    "average_revenue_krw",
    "total_assets_krw",
    "in_disclosed_group",
    "owned_by_large_firm",
    "size_basis",
    "size_computed_on",
    "fair_trade_agreement",
    "fair_trade_agreement_on",
    "capabilities",
    "approved_at",
    "updated_at",
)


def _list_item(partner: Partner) -> dict[str, Any]:
    return {
        "id": partner.pk,
        "brn": partner.brn,
        "name_ko": partner.name_ko,
        "name_en": partner.name_en,
        "status": partner.status,
        "size_class": partner.size_class,
        "tier": partner.tier,
        "is_representative": partner.is_representative,
        "fields": [badge._asdict() for badge in partner.field_badges],
        "created_at": partner.created_at,
    }


def _partner_out(request: HttpRequest, partner: Partner) -> dict[str, Any]:
    out = _list_item(selectors.with_field_badges([partner])[0])
    if permissions.can_view_partner_details(request.user, partner):
        details = {name: getattr(partner, name) for name in _DETAIL_FIELDS}
        details["capability_tags"] = partner.tags
        out["details"] = details
    else:
        out["details"] = None
    return out


def _profile_values(data: dict[str, Any]) -> dict[str, Any]:
    if isinstance(data.get("capability_tags"), list):
        data["capability_tags"] = ", ".join(data["capability_tags"])
    return data


@router.get("", response=PartnerPageOut, summary="List partners")
def list_partners(request: HttpRequest, filters: Query[PartnerFilterIn]) -> dict[str, Any]:
    """Partners the caller may see, filtered, searched and sorted; limit/offset pagination."""
    queryset = selectors.directory_rows_for_user(
        request.user,
        selectors.DirectoryFilters(
            q=filters.q,
            status=filters.status or "",
            field=filters.field,
            size_class=filters.size_class or "",
            tier=filters.tier,
            representative=filters.representative,
            fair_trade_agreement=filters.fair_trade_agreement,
            sort=filters.sort,
        ),
    )
    page = queryset[filters.offset : filters.offset + filters.limit]
    return {
        "count": queryset.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_list_item(partner) for partner in selectors.with_field_badges(page)],
    }


@router.get(
    "/signup/form-token", response=SignupFormTokenOut, auth=None, summary="A form token for the sign-up"
)
def sign_up_form_token(request: HttpRequest) -> dict[str, Any]:
    """The sign-up's proof that it is not sent by a script at once (as the page's form token)."""
    return {
        "form_token": botcheck.issue_token(),
        "min_seconds": settings.SIGNUP_FORM_MIN_SECONDS,
        "max_age_seconds": settings.SIGNUP_FORM_MAX_AGE_SECONDS,
    }


@router.post("/signup", response={201: PartnerOut}, auth=None, summary="Register a company")
def sign_up(request: HttpRequest, payload: PartnerSignupIn) -> Status[dict[str, Any]]:
    """Anonymous sign-up: creates the owner account and the company (pending review).

    Limited per address and per e-mail (429); `form_token` as from GET /partners/signup/form-token."""
    ratelimits.count(request, "RATE_LIMIT_SIGNUP_PER_IP")
    ratelimits.count(request, "RATE_LIMIT_SIGNUP_PER_ACCOUNT", payload.email)
    try:
        botcheck.check_submission(payload.form_token, "")
    except ValidationError as error:
        raise ValidationError({"form_token": error.messages}) from error
    data = payload.dict(exclude={"form_token"})
    account = {name: data.pop(name) for name in ("email", "name", "password", "phone", "privacy_consent")}
    # Always a new account: a session cookie without a CSRF token must not sign up its owner.
    partner = services.sign_up_partner(actor=None, profile=_profile_values(data), **account)
    owner = partner.created_by
    request.user = owner  # the new owner may read their own company in the answer
    partner = selectors.get_partner_for_user(owner, partner.pk)
    return Status(201, _partner_out(request, partner))


@router.get("/{partner_id}", response=PartnerOut, summary="One partner")
def get_partner(request: HttpRequest, partner_id: Id) -> dict[str, Any]:
    return _partner_out(request, selectors.get_partner_for_user(request.user, partner_id))


@router.patch("/{partner_id}", response=PartnerOut, summary="Update a partner's profile")
def update_partner(request: HttpRequest, partner_id: Id, payload: PartnerUpdateIn) -> dict[str, Any]:
    partner = selectors.get_partner_for_user(request.user, partner_id)
    services.update_partner(
        actor=request.user, partner=partner, changes=_profile_values(payload.dict(exclude_unset=True))
    )
    return _partner_out(request, selectors.get_partner_for_user(request.user, partner_id))


@router.post("/{partner_id}/decisions", response=PartnerOut, summary="Decide on a partner (host)")
def decide(request: HttpRequest, partner_id: Id, payload: DecisionIn) -> dict[str, Any]:
    partner = selectors.get_partner_for_user(request.user, partner_id)
    services.decide_partner(
        actor=request.user, partner=partner, decision=payload.decision, reason=payload.reason
    )
    return _partner_out(request, selectors.get_partner_for_user(request.user, partner_id))


@router.get("/{partner_id}/status-history", response=list[StatusChangeOut], summary="Status timeline")
def status_history(request: HttpRequest, partner_id: Id) -> Any:
    partner = selectors.get_partner_for_user(request.user, partner_id)
    return list(selectors.status_history_for_user(request.user, partner))


@router.get("/{partner_id}/contacts", response=list[ContactOut], summary="Contact people (personal data)")
def list_contacts(request: HttpRequest, partner_id: Id) -> Any:
    """Own people and the host; the host's reads are logged (PIPA)."""
    partner = selectors.get_partner_for_user(request.user, partner_id)
    contacts = list(selectors.contacts_for_user(request.user, partner))
    if contacts and is_host(request.user):
        log_personal_data_access(
            actor=request.user,
            purpose=PersonalDataAccess.Purpose.VIEW,
            subject_label=f"contacts of {partner.name_ko} ({partner.brn_display}) via API",
            data_items="name, department, e-mail, phone",
            subject_organization_id=partner.organization_id,
            subject_count=len(contacts),
        )
    return contacts


@router.post("/{partner_id}/contacts", response={201: ContactOut}, summary="Add a contact person")
def add_contact(request: HttpRequest, partner_id: Id, payload: ContactIn) -> Status[Any]:
    partner = selectors.get_partner_for_user(request.user, partner_id)
    return Status(201, services.add_contact(actor=request.user, partner=partner, values=payload.dict()))


# Ids bounded like the other API ids (a 64-bit primary key; `true` is not an id).
FieldId = Annotated[int, Field(ge=1, le=2**63 - 1, strict=True)]


class PartnerFieldsIn(Schema):
    """The complete set: fields not listed are removed; representative ones must be among `field_ids`."""

    field_ids: list[FieldId] = Field(..., max_length=100, description="Collaboration field ids (협력 분야)")
    representative_field_ids: list[FieldId] = Field(
        [], max_length=100, description="Fields the partner represents (one representative per field)"
    )


@router.put("/{partner_id}/fields", response=PartnerOut, summary="Set collaboration fields (host)")
def set_fields(
    request: HttpRequest, partner_id: Annotated[int, Field(ge=1, le=2**63 - 1)], payload: PartnerFieldsIn
) -> dict[str, Any]:
    """The same as the partner page's fields form: host administrators and programme managers (403
    for others), a field with another representative partner is refused (422, under `fields`)."""
    partner = selectors.get_partner_for_user(request.user, partner_id)
    services.set_partner_fields(
        actor=request.user,  # type: ignore[arg-type]
        partner=partner,
        field_ids=list(dict.fromkeys(payload.field_ids)),
        representative_field_ids=list(dict.fromkeys(payload.representative_field_ids)),
    )
    return _partner_out(request, selectors.get_partner_for_user(request.user, partner_id))
