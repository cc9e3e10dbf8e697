"""Sign-up (협력사 가입), profile changes and collaboration fields of a partner company."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import Membership, Organization, OrganizationKind, Role, User
from sangsaeng.accounts.selectors import forget_membership
from sangsaeng.core import audit
from sangsaeng.core.text import clean_text, digits_only, normalize_text
from sangsaeng.partners import classification, permissions, validators
from sangsaeng.partners.error_codes import PartnersErrorCode
from sangsaeng.partners.models import (
    CollaborationField,
    Partner,
    PartnerField,
    PartnerStatus,
    PartnerStatusChange,
)
from sangsaeng.partners.services.common import (
    ErrorDict,
    add_error,
    host_deciders,
    merge_errors,
    notify_in_their_language,
    partner_url,
)

# What the company itself declares, at sign-up and later on its profile page.
PROFILE_FIELDS: tuple[str, ...] = (
    "brn",
    "corporate_number",
    "name_ko",
    "name_en",
    "ceo_name",
    "address",
    "founded_on",
    "employees",
    "ksic_code",
    "average_revenue_krw",
    "total_assets_krw",
    "in_disclosed_group",
    "owned_by_large_firm",
    "tier",
    "capabilities",
    "capability_tags",
)
# What the host confirms (it signs the fair-trade agreement, 공정거래협약, with the partner).
HOST_FIELDS: tuple[str, ...] = ("fair_trade_agreement", "fair_trade_agreement_on")
# The identity of an approved company: the BRN and the registered name (상호) on its certificate.
LOCKED_AFTER_APPROVAL: tuple[str, ...] = ("brn", "name_ko")
# Inputs of the size class (중소기업기본법): a change recomputes it.
SIZE_INPUTS: tuple[str, ...] = (
    "ksic_code",
    "average_revenue_krw",
    "total_assets_krw",
    "in_disclosed_group",
    "owned_by_large_firm",
)
AUDITED_FIELDS: tuple[str, ...] = (*PROFILE_FIELDS, *HOST_FIELDS, "size_class", "size_computed_on")

_KSIC = re.compile(r"^[0-9]{2,5}$")


def duplicate_brn_message() -> str:
    return _(
        "This business registration number is already registered: "
        "one partner per business registration number (사업자등록번호)."
    )


def _clean_tags(value: Any) -> str:
    tags: list[str] = []
    for raw in str(value or "").replace("，", ",").split(","):
        tag = normalize_text(raw)
        if tag and tag.casefold() not in {t.casefold() for t in tags}:
            tags.append(tag)
    return ", ".join(tags)


def _clean_profile(
    values: Mapping[str, Any], *, allowed: Collection[str], errors: ErrorDict
) -> dict[str, Any]:
    """Normalise what people type (full-width digits, NFD Hangul, stray spaces) before validating."""
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name not in allowed:
            add_error(errors, name, _("You cannot change this field here."))
        elif name == "brn":
            try:
                cleaned[name] = validators.normalize_brn(str(value or ""))
            except ValidationError as error:
                errors.setdefault(name, []).extend(error.error_list)
        elif name == "corporate_number":
            try:
                cleaned[name] = validators.normalize_corporate_number(str(value or ""))
            except ValidationError as error:
                errors.setdefault(name, []).extend(error.error_list)
        elif name == "ksic_code":
            code = digits_only(str(value or ""))
            if not _KSIC.match(code):
                add_error(errors, name, _("Enter the KSIC industry code as 2 to 5 digits, e.g. 26110."))
            cleaned[name] = code
        elif name == "capability_tags":
            cleaned[name] = _clean_tags(value)
        elif name == "capabilities":
            cleaned[name] = clean_text(str(value or ""))
        elif isinstance(value, str):
            cleaned[name] = normalize_text(value)
        else:
            cleaned[name] = value
    return cleaned


def _check_brn_free(errors: ErrorDict, brn: str | None, *, exclude_pk: int | None = None) -> None:
    if not brn or "brn" in errors:
        return
    taken = Partner.objects.filter(brn=brn)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        add_error(
            errors, "brn", ValidationError(duplicate_brn_message(), code=PartnersErrorCode.BRN_DUPLICATE)
        )


def _full_clean(partner: Partner, errors: ErrorDict) -> None:
    """Model validation of what is not already refused (a refused BRN is not also "blank")."""
    try:
        partner.full_clean(exclude=["organization", "created_by", *errors], validate_unique=False)
    except ValidationError as error:
        merge_errors(errors, error)


# --- Sign-up and profile ---------------------------------------------------------------------------


def sign_up_partner(
    *,
    actor: User | AnonymousUser | None,
    profile: Mapping[str, Any],
    email: str = "",
    name: str = "",
    password: str = "",
    phone: str = "",
    privacy_consent: bool,
) -> Partner:
    """Register a company (협력사 가입): owner account, organisation, partner (pending), owner membership.

    An anonymous visitor gets a new owner account from `email`, `name` and `password`; a logged-in
    person without an organisation becomes the owner themselves. The BRN is normalised and checked
    (one partner per business registration number); the size class is computed. Host
    administrators and programme managers are notified. The person must consent to the collection
    of the data (PIPA). Raises PermissionDenied for someone who
    already belongs to an organisation and ValidationError with field errors for bad input.
    """
    refusal = _("You already belong to an organisation and cannot register another company.")
    with transaction.atomic():
        if not permissions.can_sign_up_partner(actor):
            raise PermissionDenied(refusal)
        errors: ErrorDict = {}
        if not privacy_consent:
            # PIPA: the company's and its people's data are collected only with consent.
            errors["privacy_consent"] = [
                ValidationError(_("Agree to the collection of this data to register."), code="required")
            ]
        values = _clean_profile(profile, allowed=PROFILE_FIELDS, errors=errors)
        new_user = not isinstance(actor, User) or not actor.is_authenticated
        owner: User
        if isinstance(actor, User) and actor.is_authenticated:
            owner = actor
        else:
            language = translation.get_language() or settings.LANGUAGE_CODE
            owner = User(
                email=User.objects.normalize_email(normalize_text(email)).lower(),
                name=normalize_text(name),
                phone=normalize_text(phone),
                language=language if language in ("ko", "en") else settings.LANGUAGE_CODE,
            )
            try:
                owner.full_clean(exclude=["password"])
            except ValidationError as error:
                merge_errors(errors, error)
            try:
                validate_password(password, owner)
            except ValidationError as error:
                errors.setdefault("password", []).extend(error.error_list)
        partner = Partner(status=PartnerStatus.PENDING, **values)
        classification.apply_classification(partner)
        _full_clean(partner, errors)
        _check_brn_free(errors, values.get("brn"))
        if errors:
            raise ValidationError(errors)

        if new_user:
            owner.set_password(password)
            try:
                with transaction.atomic():
                    owner.save()
            except IntegrityError as error:  # the same e-mail registered a moment ago
                raise ValidationError(
                    {"email": _("An account with this e-mail address already exists.")}
                ) from error
        organization = Organization.objects.create(
            kind=OrganizationKind.PARTNER, name=partner.name_ko, name_en=partner.name_en
        )
        partner.organization = organization
        partner.created_by = owner
        try:
            with transaction.atomic():
                partner.save(force_insert=True)
        except IntegrityError as error:  # two sign-ups with the same BRN at the same time
            raise ValidationError({"brn": duplicate_brn_message()}) from error
        try:
            with transaction.atomic():
                Membership.objects.create(user=owner, organization=organization, role=Role.OWNER)
        except IntegrityError as error:  # the same person registering two companies at once
            raise PermissionDenied(refusal) from error
        forget_membership(owner)
        PartnerStatusChange.objects.create(
            partner=partner, from_status="", to_status=PartnerStatus.PENDING, actor=owner
        )
        audit.record(
            actor=owner,
            action="partners.sign_up_partner",
            target=partner,
            changes={
                **audit.diff({}, audit.snapshot(partner, (*PROFILE_FIELDS, "status", "size_class"))),
                "owner": owner.pk,
            },
            partner_organization_id=organization.pk,
        )
        url = partner_url(partner)
        notify_in_their_language(
            host_deciders(),
            lambda: (
                _("New partner sign-up: %(name)s") % {"name": partner.name_ko},
                _("%(name)s (%(brn)s) registered and waits for review.")
                % {"name": partner.name_ko, "brn": partner.brn_display},
            ),
            url,
        )
    return partner


def update_partner(*, actor: User, partner: Partner, changes: Mapping[str, Any]) -> Partner:
    """Change a partner's profile. Returns the saved partner (unchanged input writes nothing).

    Rules: the partner's own people and host deciders edit; the fair-trade agreement is set by the
    host; after approval the BRN and registered name are locked and only host deciders change them
    (the organisation's name follows the company name). A change to revenue, assets, industry or
    independence recomputes the size class. Raises PermissionDenied or ValidationError.
    """
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if not permissions.can_edit_partner(actor, partner):
            raise PermissionDenied(_("You may not edit this company's profile."))
        allowed = PROFILE_FIELDS + (HOST_FIELDS if permissions.can_edit_host_fields(actor, partner) else ())
        errors: ErrorDict = {}
        values = _clean_profile(changes, allowed=allowed, errors=errors)
        if not permissions.can_change_locked_fields(actor, partner):
            for name in LOCKED_AFTER_APPROVAL:
                if name in values and values[name] != getattr(partner, name):
                    add_error(
                        errors,
                        name,
                        ValidationError(
                            _("Locked after approval: ask the host to change it."),
                            code=PartnersErrorCode.LOCKED_AFTER_APPROVAL,
                        ),
                    )
        before = audit.snapshot(partner, AUDITED_FIELDS)
        for name, value in values.items():
            setattr(partner, name, value)
        if any(before[name] != getattr(partner, name) for name in SIZE_INPUTS):
            classification.apply_classification(partner)
        _full_clean(partner, errors)
        if values.get("brn") and values["brn"] != before["brn"]:
            _check_brn_free(errors, values["brn"], exclude_pk=partner.pk)
        if errors:
            raise ValidationError(errors)
        changed = audit.diff(before, audit.snapshot(partner, AUDITED_FIELDS))
        if not changed:
            return partner
        try:
            with transaction.atomic():
                partner.save()
        except IntegrityError as error:
            raise ValidationError({"brn": duplicate_brn_message()}) from error
        if "name_ko" in changed or "name_en" in changed:
            Organization.objects.filter(pk=partner.organization_id).update(
                name=partner.name_ko, name_en=partner.name_en
            )
        audit.record(
            actor=actor,
            action="partners.update_partner",
            target=partner,
            changes=changed,
            partner_organization_id=partner.organization_id,
        )
    return partner


# --- Collaboration fields and representative partners -------------------------------------------------


def set_partner_fields(
    *,
    actor: User,
    partner: Partner,
    field_ids: Iterable[int],
    representative_field_ids: Iterable[int] = (),
) -> Partner:
    """Set the partner's collaboration fields (협력 분야) and the fields it represents (host only).

    One representative partner per field (DOMAIN.md §0): a field that already has another
    representative is refused with a message naming it. Raises PermissionDenied or ValidationError.
    """
    wanted = set(field_ids)
    representing = set(representative_field_ids)
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if not permissions.can_set_partner_fields(actor, partner):
            raise PermissionDenied(
                _("Only host administrators and programme managers set collaboration fields.")
            )
        known = {f.pk: f for f in CollaborationField.objects.filter(pk__in=wanted | representing)}
        if set(known) != wanted | representing:
            raise ValidationError({"fields": _("Choose collaboration fields from the list.")})
        if not representing <= wanted:
            raise ValidationError(
                {"representative_fields": _("A partner can only represent fields it works in.")}
            )
        taken = (
            PartnerField.objects.filter(field_id__in=representing, is_representative=True)
            .exclude(partner=partner)
            .select_related("partner", "field")
        )
        taken_messages = [
            _("%(field)s already has a representative partner (%(partner)s); a field has one representative.")
            % {"field": link.field.name_ko, "partner": link.partner.name_ko}
            for link in taken
        ]
        if taken_messages:
            raise ValidationError({"representative_fields": taken_messages})

        current = {link.field_id: link for link in partner.field_links.select_related("field")}
        before = {
            "fields": sorted(link.field.code for link in current.values()),
            "representative_of": sorted(
                link.field.code for link in current.values() if link.is_representative
            ),
        }
        try:
            with transaction.atomic():
                partner.field_links.exclude(field_id__in=wanted).delete()
                for field_id in wanted:
                    link = current.get(field_id)
                    is_rep = field_id in representing
                    if link is None:
                        PartnerField.objects.create(
                            partner=partner, field_id=field_id, is_representative=is_rep
                        )
                    elif link.is_representative != is_rep:
                        link.is_representative = is_rep
                        link.save(update_fields=["is_representative"])
        except IntegrityError as error:  # another partner was made representative at the same moment
            raise ValidationError(
                {"representative_fields": _("This field already has a representative partner.")}
            ) from error
        partner.is_representative = bool(representing)
        partner.save(update_fields=["is_representative", "updated_at"])
        after = {
            "fields": sorted(known[pk].code for pk in wanted),
            "representative_of": sorted(known[pk].code for pk in representing),
        }
        changed = audit.diff(before, after)
        if changed:
            audit.record(
                actor=actor,
                action="partners.set_partner_fields",
                target=partner,
                changes=changed,
                partner_organization_id=partner.organization_id,
            )
    return partner
