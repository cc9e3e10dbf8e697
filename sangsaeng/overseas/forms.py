"""Forms of the overseas pages. They parse input; the services validate the rules and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sangsaeng.overseas.models import Language, OpportunityStatus, ProposalStatus
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
