"""Shared form glue (`apply_service_errors`) and the filter forms of the audit trail and the
personal-data access log (GET forms, bound to the query).

A view calls the service and shows its ValidationError on the form it came from:

    from sangsaeng.core.forms import apply_service_errors

    if form.is_valid():
        try:
            services.update_partner(actor=request.user, partner=partner, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error, field_map={"limits_by_tier": "limit_1"})
        else:
            return redirect(...)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.models import PersonalDataAccess
from sangsaeng.core.money import parse_krw
from sangsaeng.core.selectors import AuditEventFilter, PersonalDataAccessFilter


def apply_service_errors(
    form: forms.BaseForm, error: ValidationError, *, field_map: Mapping[str, str | None] | None = None
) -> None:
    """Show a service's ValidationError on the form: each field error on the form's field of that name
    (after `field_map`, which renames a service field to a form field, or to None for the top of the
    form), every other error — a plain message, `__all__`, a field the form does not have — on top.
    Codes and params are kept. The form must have been validated (is_valid) or be unbound."""
    if not hasattr(form, "cleaned_data"):
        form.full_clean()
        if not hasattr(form, "cleaned_data"):
            form.cleaned_data = {}  # an unbound form: add_error expects the attribute
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    names = dict(field_map or {})
    for name, errors in error.error_dict.items():
        target = names.get(name, name)
        if target not in form.fields or target == NON_FIELD_ERRORS:
            target = None
        form.add_error(target, errors)


class MoneyField(forms.IntegerField):
    """An amount in won typed the Korean way ("1,234,567", "1,000원", "1억 2천만"): one parser
    (`core.money.parse_krw`) for every money field of every form, the imports and the API.

    A text input (a number input refuses separators), numeric keyboard on phones; min/max as
    IntegerField's, checked after parsing.
    """

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        return parse_krw(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.setdefault("data-money", "")
        return attrs


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class _DateRangeForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=_DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=_DateInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def valid_data(self) -> dict[str, Any]:
        """The fields that passed validation; a wrong field is shown with its error and ignored."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data


class AuditEventFilterForm(_DateRangeForm):
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=80,
        help_text=_("Exact, or a prefix ending in * (e.g. partners.*)"),
    )
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=80)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    actor_email = forms.CharField(label=_("Actor e-mail"), required=False, max_length=254)
    partner = forms.CharField(
        label=_("Partner company"), required=False, max_length=200, help_text=_("Name or organisation id")
    )

    field_order = ["action", "object_type", "object_id", "actor_email", "partner", "date_from", "date_to"]

    def to_filter(self) -> AuditEventFilter:
        data = self.valid_data()
        return AuditEventFilter(
            action=data.get("action") or "",
            object_type=data.get("object_type") or "",
            object_id=data.get("object_id") or "",
            actor_email=data.get("actor_email") or "",
            partner=data.get("partner") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class PersonalDataAccessFilterForm(_DateRangeForm):
    actor = forms.CharField(label=_("Viewed by (e-mail)"), required=False, max_length=254)
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        required=False,
        choices=[("", _("All")), *PersonalDataAccess.Purpose.choices],
    )
    subject_organization = forms.CharField(
        label=_("Whose data (company)"),
        required=False,
        max_length=200,
        help_text=_("Name or organisation id"),
    )

    field_order = ["actor", "purpose", "subject_organization", "date_from", "date_to"]

    def to_filter(self) -> PersonalDataAccessFilter:
        data = self.valid_data()
        return PersonalDataAccessFilter(
            actor=data.get("actor") or "",
            purpose=data.get("purpose") or "",
            subject_organization=data.get("subject_organization") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class ExportReasonForm(forms.Form):
    """Exports of records that hold people's data state why (PIPA: the reason is logged)."""

    reason = forms.CharField(
        label=_("Reason for the export"),
        max_length=500,
        help_text=_("Recorded in the personal-data access log."),
    )
