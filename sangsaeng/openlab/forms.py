"""Forms of the Open Lab pages: they parse input; the rules live in services and rules.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from html import escape
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from sangsaeng.openlab import rules
from sangsaeng.openlab.models import Resource, ResourceKind, Site

DURATION_CHOICES = [
    (minutes, f"{minutes // 60}:{minutes % 60:02d}") for minutes in range(30, 12 * 60 + 1, 30)
]


def _time_choices() -> list[tuple[str, str]]:
    return [(f"{h:02d}:{m:02d}", f"{h:02d}:{m:02d}") for h in range(6, 23) for m in (0, 30)]


class QuickSelectMultiple(forms.SelectMultiple):
    """A multiple select rendered in Python: the stock widget renders one template per option, which
    costs tens of milliseconds for a lab of a hundred resources on every availability search."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        # The base widget context only (name, attrs, value): building Django's optgroups costs a dict
        # and an attribute merge per option, more than writing the options.
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        if self.allow_multiple_selected:
            widget["attrs"]["multiple"] = True
        current = set(widget["value"])
        rows = []
        has_selected = False
        for option_value, option_label in self.choices:
            if isinstance(option_label, (list, tuple)):  # option groups: not used here, keep Django's
                return forms.Widget.render(self, name, value, attrs, renderer)
            text = "" if option_value is None else str(option_value)
            selected = (not has_selected or self.allow_multiple_selected) and text in current
            has_selected = has_selected or selected
            # Plain escaping per option: format_html costs more than the option (a hundred of them).
            rows.append(
                f'<option value="{escape(text)}"{" selected" if selected else ""}>'
                f"{escape(str(option_label))}</option>"
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(rows)),  # every text above is escaped
        )


class Select(forms.Select):
    """A single select rendered in Python, markup as Django's. Named Select so that its widget_type
    stays "select" (core's bootstrap_widget gives it the form-select class)."""

    render = QuickSelectMultiple.render


class _NameChoiceIterator(ModelChoiceIterator):
    """Choices as (id, name) pairs read with values_list: a picker of a hundred resources need not
    build a hundred model instances on every search."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class NamedMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of model rows labelled by their `name` column (validation as Django's)."""

    iterator = _NameChoiceIterator


class BookingForm(forms.Form):
    resources = forms.ModelMultipleChoiceField(
        label=_("Resources"),
        queryset=Resource.objects.none(),
        widget=QuickSelectMultiple(attrs={"size": 8}),
        help_text=_("One booking holds all of them for the same time (all or nothing)."),
    )
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.ChoiceField(label=_("Start"), choices=_time_choices)
    minutes = forms.TypedChoiceField(
        label=_("Duration (hours:minutes)"), choices=DURATION_CHOICES, coerce=int, initial=120
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    use_case = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, resources: QuerySet[Resource], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resources"].queryset = resources  # type: ignore[attr-defined]

    def range(self) -> tuple[dt.datetime, dt.datetime]:
        data = self.cleaned_data
        start = rules.at(data["day"], dt.time.fromisoformat(data["start_time"]))
        return start, start + dt.timedelta(minutes=data["minutes"])


class AvailabilityForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Resource kinds"),
        choices=ResourceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One of each kind, at the same site."),
    )
    devices = forms.IntegerField(
        label=_("Loan devices"),
        min_value=0,
        max_value=5,
        initial=0,
        required=False,
        help_text=_("How many test devices to borrow with the bundle."),
    )
    resources = NamedMultipleChoiceField(
        label=_("Or exactly these resources"),
        queryset=Resource.objects.none(),
        required=False,
        widget=QuickSelectMultiple,
    )
    minutes = forms.TypedChoiceField(
        label=_("Duration (hours:minutes)"),
        choices=DURATION_CHOICES,
        coerce=int,
        initial=240,
        widget=Select,
    )
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, widget=Select
    )

    def __init__(
        self, *args: Any, resources: QuerySet[Resource], sites: QuerySet[Site], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resources"].queryset = resources  # type: ignore[attr-defined]
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        today = timezone.localdate()
        self.fields["date_from"].initial = today + dt.timedelta(days=1)
        self.fields["date_to"].initial = today + dt.timedelta(days=14)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # "Two test devices": the device count adds that many loan-device groups to the bundle.
        data["kinds"] = [
            *[k for k in data.get("kinds", []) if k != ResourceKind.LOAN_DEVICE or not data.get("devices")],
            *[ResourceKind.LOAN_DEVICE] * (data.get("devices") or 0),
        ]
        if not data["kinds"] and not data.get("resources"):
            raise ValidationError(_("Choose resource kinds or resources."))
        if data.get("date_from") and data.get("date_to"):
            if data["date_to"] < data["date_from"]:
                self.add_error("date_to", _("The end must be after the start."))
            elif (data["date_to"] - data["date_from"]).days > 92:
                self.add_error("date_to", _("Search at most three months at a time."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Condition notes"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end must be after the start."))
        return data


class PhotoForm(forms.Form):
    file = forms.FileField(label=_("Photo (PNG or JPEG)"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


# --- Maintaining the catalogue (sites, hours, zones, resources, closures) -----------------------------
def _catalogue_fields(model: Any, names: tuple[str, ...]) -> dict[str, forms.Field]:
    """The model's own form fields (labels, help texts, choices) for a plain form that only parses."""
    from django.forms.models import fields_for_model

    return dict(fields_for_model(model, fields=names))


class SiteForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from sangsaeng.openlab.services_catalogue import SITE_FIELDS

        super().__init__(*args, **kwargs)
        self.fields.update(_catalogue_fields(Site, SITE_FIELDS))


WEEKDAY_NAMES = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)


class OpeningHoursForm(forms.Form):
    """One opens/closes pair per weekday; a weekday left empty is closed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for weekday, name in enumerate(WEEKDAY_NAMES):
            widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
            self.fields[f"opens_{weekday}"] = forms.TimeField(
                label=_("%(day)s opens") % {"day": name}, required=False, widget=widget
            )
            self.fields[f"closes_{weekday}"] = forms.TimeField(
                label=_("%(day)s closes") % {"day": name},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )

    @staticmethod
    def initial_for(site: Site) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for row in site.opening_hours.all():
            initial[f"opens_{row.weekday}"] = row.opens
            initial[f"closes_{row.weekday}"] = row.closes
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for weekday in range(7):
            opens, closes = data.get(f"opens_{weekday}"), data.get(f"closes_{weekday}")
            if (opens is None) != (closes is None) and f"opens_{weekday}" not in self.errors:
                self.add_error(f"closes_{weekday}", _("Give both times, or neither for a closed day."))
        return data

    def hours(self) -> dict[int, tuple[dt.time, dt.time] | None]:
        data = self.cleaned_data
        return {
            weekday: (data[f"opens_{weekday}"], data[f"closes_{weekday}"])
            if data.get(f"opens_{weekday}") and data.get(f"closes_{weekday}")
            else None
            for weekday in range(7)
        }


class ZoneForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from sangsaeng.openlab.models import Zone
        from sangsaeng.openlab.services_catalogue import ZONE_FIELDS

        super().__init__(*args, **kwargs)
        self.fields.update(_catalogue_fields(Zone, ZONE_FIELDS))


class ResourceForm(forms.Form):
    """A resource and its booking rules; the zone list is the maintainer's (every site)."""

    def __init__(self, *args: Any, zones: QuerySet[Any], **kwargs: Any) -> None:
        from sangsaeng.openlab.services_catalogue import RESOURCE_FIELDS

        super().__init__(*args, **kwargs)
        self.fields.update(_catalogue_fields(Resource, RESOURCE_FIELDS))
        self.fields["zone"].queryset = zones  # type: ignore[attr-defined]
        self.fields["description"].widget.attrs["rows"] = 3
        self.fields["min_duration_minutes"].help_text = _(
            "Rule changes apply to new requests; bookings already made keep their time."
        )


class ClosureForm(forms.Form):
    resource = forms.ModelChoiceField(
        label=_("Resource"),
        queryset=Resource.objects.none(),
        required=False,
        empty_label=_("The whole site"),
    )
    start = forms.DateTimeField(
        label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    end = forms.DateTimeField(
        label=_("Until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, resources: QuerySet[Resource], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources  # type: ignore[attr-defined]
