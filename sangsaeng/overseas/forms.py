"""Forms of the overseas pages. They parse input; the services validate the rules and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sangsaeng.overseas.models import Language, OpportunityStatus, ProposalStatus, SupportKind
from sangsaeng.partners.models import CollaborationField


class ProposalForm(forms.Form):
    country = forms.CharField(label=_("Country"), max_length=80)
    market = forms.CharField(label=_("Market"), max_length=200)
    product = forms.CharField(label=_("Product or service"), max_length=200)
    ask = forms.CharField(
        label=_("What you ask of the host"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For example a customer introduction, a joint bid or a local partner."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5}))


class ProposalFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ProposalStatus.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class OpportunityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    country = forms.CharField(label=_("Country"), max_length=80)
    sector = forms.CharField(label=_("Sector"), max_length=120)
    fields = forms.ModelMultipleChoiceField(
        label=_("Collaboration fields"),
        queryset=CollaborationField.objects.filter(valid_to__isnull=True),
        required=False,
        help_text=_("Used to rank the suggested partners."),
    )
    customer = forms.CharField(label=_("Customer"), max_length=200)
    needs = forms.CharField(label=_("Needs"), widget=forms.Textarea(attrs={"rows": 5}))
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.ChoiceField(label=_("Working language"), choices=Language.choices)


class InterestForm(forms.Form):
    capability_statement = forms.CharField(
        label=_("Capability statement"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Products, references abroad, certifications and the people who would work on it."),
        max_length=5000,
    )


class OpportunityFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *OpportunityStatus.choices]
    )


class ShortlistForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)


_DATE = {"type": "date"}


class ExhibitionForm(forms.Form):
    name = forms.CharField(label=_("Exhibition"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=100)
    country = forms.CharField(label=_("Country"), max_length=80)
    starts_on = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs=_DATE))
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs=_DATE))
    booths = forms.IntegerField(label=_("Number of booths"), min_value=1, max_value=1000)
    budget_krw = forms.IntegerField(label=_("Support budget (KRW)"), min_value=1, max_value=10**13)
    application_deadline = forms.DateField(
        label=_("Application deadline"), widget=forms.DateInput(attrs=_DATE)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in SupportKind.choices:
            self.fields[f"cap_{kind}"] = forms.IntegerField(
                label=_("Cap per partner: %(item)s (KRW)") % {"item": label},
                min_value=0,
                max_value=10**12,
                required=False,
            )

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["caps"] = {kind: data.pop(f"cap_{kind}") or 0 for kind in SupportKind.values}
        return data


class ApplyForm(forms.Form):
    exhibits = forms.CharField(label=_("Products to exhibit"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, caps: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(SupportKind.choices)
        for kind, cap in caps.items():
            self.fields[kind] = forms.IntegerField(
                label=_("%(item)s: amount requested (KRW)") % {"item": labels[kind]},
                min_value=0,
                max_value=10**12,
                required=False,
                help_text=_("At most %(cap)s") % {"cap": f"{cap:,}"},
            )

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        exhibits = data.pop("exhibits")
        return {"exhibits": exhibits, "amounts": {kind: value or 0 for kind, value in data.items()}}


class ScoreForm(forms.Form):
    score = forms.IntegerField(label=_("Score (0–100)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class ClaimForm(forms.Form):
    kind = forms.ChoiceField(label=_("Support item"))
    amount_krw = forms.IntegerField(label=_("Amount (KRW)"), min_value=1, max_value=10**12)
    receipt = forms.FileField(label=_("Receipt (PDF, PNG or JPEG)"))

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    meetings_held = forms.IntegerField(label=_("Business meetings held"), min_value=0, max_value=100000)
    mous = forms.IntegerField(label=_("MOUs signed"), min_value=0, max_value=10000)
    contracts = forms.IntegerField(label=_("Contracts signed"), min_value=0, max_value=10000)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ExportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    country = forms.CharField(label=_("Country"), max_length=80)
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3, help_text=_("e.g. USD"))
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=16, decimal_places=2)


class RateForm(forms.Form):
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    rate_date = forms.DateField(label=_("Rate date"), widget=forms.DateInput(attrs=_DATE))
    krw_per_unit = forms.DecimalField(label=_("KRW per unit"), min_value=0, max_digits=14, decimal_places=4)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)
