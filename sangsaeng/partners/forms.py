"""Forms of the partner pages. They parse input; the services validate the rules and save."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sangsaeng.core import botcheck
from sangsaeng.core.forms import MoneyField
from sangsaeng.core.money import MAX_PARSED_KRW
from sangsaeng.partners.models import (
    CollaborationField,
    DocumentKind,
    Partner,
    PartnerDecision,
    PartnerStatus,
    SizeClass,
    Tier,
)
from sangsaeng.partners.selectors import SORTS, DirectoryFilters
from sangsaeng.partners.services import HOST_FIELDS, LOCKED_AFTER_APPROVAL, PROFILE_FIELDS

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_MODEL_FIELDS = forms.fields_for_model(
    Partner,
    fields=[name for name in (*PROFILE_FIELDS, *HOST_FIELDS) if name not in ("brn", "corporate_number")],
    widgets={
        "founded_on": _DATE,
        "fair_trade_agreement_on": _DATE,
        "capabilities": forms.Textarea(attrs={"rows": 4}),
    },
)


def _company_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {
        # Typed the way people write it (hyphens, full-width digits); the service normalises.
        "brn": forms.CharField(
            label=_("Business registration number (사업자등록번호)"),
            max_length=32,
            help_text=_("10 digits, e.g. 123-45-67890."),
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        ),
        "corporate_number": forms.CharField(
            label=_("Corporate registration number (법인등록번호)"),
            max_length=32,
            required=False,
            help_text=_("13 digits; only for incorporated companies."),
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        ),
    }
    for name in PROFILE_FIELDS:
        if name not in fields:
            fields[name] = copy.deepcopy(_MODEL_FIELDS[name])
    for name in ("average_revenue_krw", "total_assets_krw"):
        fields[name] = MoneyField(
            label=fields[name].label,
            required=False,
            min_value=0,
            max_value=MAX_PARSED_KRW,
            help_text=_("In won (원): 1,234,567 or 12억 3,400만."),
        )
    fields["ksic_code"].help_text = _("Korean Standard Industrial Classification, e.g. 26110.")
    fields["capability_tags"].help_text = _("Comma-separated, e.g. 5G, MEC, RF measurement.")
    return fields


class SignupForm(forms.Form):
    """Company sign-up: the owner's account (for visitors) and the company profile."""

    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    name = forms.CharField(
        label=_("Your name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"autocomplete": "tel"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        help_text=_("At least 10 characters, not only digits."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    privacy_consent = forms.BooleanField(
        label=_(
            "I agree that the host collects the company and contact data above to run the partner programmes."
        ),
    )
    ACCOUNT_FIELDS = ("email", "name", "phone", "password1", "password2")

    def __init__(self, *args: Any, with_account: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        company = _company_fields()
        consent = self.fields.pop("privacy_consent")
        if not with_account:
            for name in self.ACCOUNT_FIELDS:
                del self.fields[name]
        self.fields.update(company)
        self.fields["privacy_consent"] = consent
        self.checks_bots = with_account
        if with_account:
            # Anonymous sign-up proves a person filled it in (core.botcheck); the template renders
            # both fields itself, the token fresh on every page.
            self.fields[botcheck.TOKEN_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)
            self.fields[botcheck.HONEYPOT_FIELD] = forms.CharField(required=False)
        # Inline check when the person leaves the field (not while typing: the swap would steal focus).
        self.fields["brn"].widget.attrs.update(
            {
                "hx-get": reverse("partners:validate_brn"),
                "hx-trigger": "change",
                "hx-target": "#field-brn",
                "hx-swap": "outerHTML",
            }
        )

    def account_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.ACCOUNT_FIELDS if name in self.fields]

    def company_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PROFILE_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "password1" in self.fields and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        if self.checks_bots:
            try:
                botcheck.check_submission(
                    cleaned.get(botcheck.TOKEN_FIELD, ""), cleaned.get(botcheck.HONEYPOT_FIELD, "")
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def profile(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in PROFILE_FIELDS}


class PartnerEditForm(forms.Form):
    """The company profile. Locked fields are shown disabled to people who may not change them."""

    def __init__(self, *args: Any, partner: Partner, host_fields: bool, locked: bool, **kwargs: Any) -> None:
        initial = {name: getattr(partner, name) for name in (*PROFILE_FIELDS, *HOST_FIELDS)}
        initial["brn"] = partner.brn_display
        super().__init__(*args, initial=initial, **kwargs)
        self.fields.update(_company_fields())
        if host_fields:
            for name in HOST_FIELDS:
                self.fields[name] = copy.deepcopy(_MODEL_FIELDS[name])
        if locked:
            for name in LOCKED_AFTER_APPROVAL:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Locked after approval: ask the host to change it.")

    def changes(self) -> dict[str, Any]:
        """Only what the person changed (disabled fields never count)."""
        return {
            name: self.cleaned_data.get(name) for name in self.changed_data if not self.fields[name].disabled
        }


def _yes_no_any() -> list[tuple[str, Any]]:
    return [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("Name, number, capability, tag")}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    field = forms.ChoiceField(label=_("Collaboration field"), required=False)
    size_class = forms.ChoiceField(label=_("Size class"), required=False)
    tier = forms.TypedChoiceField(label=_("Tier"), required=False, coerce=int, empty_value=None)
    representative = forms.ChoiceField(label=_("Representative partner"), required=False)
    fair_trade_agreement = forms.ChoiceField(label=_("Fair-trade agreement"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args: Any, fields: list[CollaborationField] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any")), *PartnerStatus.choices]
        self.fields["field"].choices = [("", _("Any"))] + [(f.code, f.name_ko) for f in fields or []]
        self.fields["size_class"].choices = [
            ("", _("Any")),
            *SizeClass.choices,
            ("none", _("Not classified")),
        ]
        self.fields["tier"].choices = [("", _("Any")), *Tier.choices]
        self.fields["representative"].choices = _yes_no_any()
        self.fields["fair_trade_agreement"].choices = _yes_no_any()
        labels = {
            "name": _("Name"),
            "-name": _("Name (Z–A)"),
            "created": _("Oldest registered"),
            "-created": _("Newest registered"),
            "tier": _("Tier"),
            "-tier": _("Tier (4–1)"),
            "revenue": _("Revenue (low first)"),
            "-revenue": _("Revenue (high first)"),
        }
        self.fields["sort"].choices = [(key, labels[key]) for key in SORTS]

    def to_filters(self) -> DirectoryFilters:
        """Valid parts of the query; an invalid value is ignored rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})

        def flag(name: str) -> bool | None:
            return {"yes": True, "no": False}.get(data.get(name) or "")

        return DirectoryFilters(
            q=data.get("q") or "",
            status=data.get("status") or "",
            field=data.get("field") or "",
            size_class=data.get("size_class") or "",
            tier=data.get("tier"),
            representative=flag("representative"),
            fair_trade_agreement=flag("fair_trade_agreement"),
            sort=data.get("sort") or "name",
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=PartnerDecision.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject, request changes or suspend. The partner sees it."),
    )

    def __init__(self, *args: Any, allowed: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["decision"].choices = [(d, PartnerDecision(d).label) for d in allowed]


class ResubmitForm(forms.Form):
    note = forms.CharField(
        label=_("What did you change?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PartnerFieldsForm(forms.Form):
    fields_ = forms.ModelMultipleChoiceField(
        label=_("Collaboration fields"),
        queryset=CollaborationField.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    representative_fields = forms.ModelMultipleChoiceField(
        label=_("Representative partner of"),
        queryset=CollaborationField.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One representative partner per field."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "fields" would shadow Form.fields; the HTML name stays "fields".
        self.fields["fields"] = self.fields.pop("fields_")
        self.order_fields(["fields", "representative_fields"])


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    department = forms.CharField(label=_("Department / title"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document type"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG or JPEG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class ExportForm(forms.Form):
    include_contacts = forms.BooleanField(
        label=_("Include contacts (personal data)"),
        required=False,
        help_text=_("The export of personal data is logged with your reason."),
    )
    reason = forms.CharField(label=_("Reason for the export"), required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("include_contacts") and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for exporting personal data."))
        return cleaned


class ImportForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=[
            ("create", _("Create new partners only (a known business registration number is an error)")),
            (
                "update",
                _("Create new partners and update existing ones (matched by business registration number)"),
            ),
        ],
        initial="create",
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )
