"""Forms of the overseas pages. They parse input; the services validate the rules and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sangsaeng.overseas.models import ProposalStatus


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
