"""Forms of the benefit-sharing set-up pages: the programme, a task (draft and edit) and incentive
rules. They only parse; the services validate (their errors come back with apply_service_errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sangsaeng.finance.models import (
    IncentiveRule,
    SharingMethod,
    SharingProgramme,
    SharingTask,
    TaskType,
)
from sangsaeng.finance.services.sharing_rules import MAX_POINTS
from sangsaeng.partners.models import Partner, PartnerStatus

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_TEXT = forms.Textarea(attrs={"rows": 3})


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name_ko} ({obj.brn[:3]}-{obj.brn[3:5]}-{obj.brn[5:]})"


class PartnersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(_("%(name)s (tier %(tier)s)") % {"name": obj.name_ko, "tier": obj.tier})


class ProgrammeForm(forms.Form):
    plan_from = forms.DateField(label=_("Plan from"), widget=_DATE)
    plan_to = forms.DateField(label=_("Plan to"), widget=_DATE)
    plan_summary = forms.CharField(label=_("Two-year plan"), max_length=20000, widget=_TEXT)
    internal_rules = forms.CharField(label=_("Internal rules"), max_length=20000, widget=_TEXT)
    dedicated_staff = forms.CharField(label=_("Dedicated staff"), max_length=4000, widget=_TEXT)

    @staticmethod
    def initial_for(programme: SharingProgramme | None) -> dict[str, Any]:
        if programme is None:
            return {}
        return {
            name: getattr(programme, name)
            for name in ("plan_from", "plan_to", "plan_summary", "internal_rules", "dedicated_staff")
        }


class ContractForm(forms.Form):
    """The contract terms of a task: edited freely while it is a draft."""

    goal = forms.CharField(label=_("Shared goal"), max_length=5000, widget=_TEXT)
    kpi_target = forms.DecimalField(label=_("KPI target"), max_digits=18, decimal_places=4)
    measurement_months = forms.IntegerField(
        label=_("Measurement period (months)"), initial=36, min_value=1, max_value=120
    )
    methods = forms.MultipleChoiceField(
        label=_("Sharing methods"), choices=SharingMethod.choices, widget=forms.CheckboxSelectMultiple
    )
    cash_ratio_percent = forms.DecimalField(
        label=_("Cash share of the saving (%)"),
        initial=0,
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        help_text=_("With cash sharing: the partner's share of each measured saving."),
    )

    def contract(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ContractForm.base_fields}

    @staticmethod
    def initial_for(task: SharingTask) -> dict[str, Any]:
        return {name: getattr(task, name) for name in ContractForm.base_fields}


class TaskForm(forms.Form):
    """A new task: the 1차 partner, participants, what is measured and the contract."""

    partner = PartnerChoiceField(label=_("Tier-1 partner"), queryset=Partner.objects.none())
    participants = PartnersChoiceField(
        label=_("Participating tier 2–4 partners"),
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    task_type = forms.ChoiceField(label=_("Type"), choices=TaskType.choices)
    kpi_name = forms.CharField(label=_("KPI"), max_length=200)
    kpi_baseline = forms.DecimalField(label=_("KPI baseline"), max_digits=18, decimal_places=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        approved = Partner.objects.filter(status=PartnerStatus.APPROVED).order_by("name_ko", "pk")
        partner_field = self.fields["partner"]
        participants_field = self.fields["participants"]
        assert isinstance(partner_field, forms.ModelChoiceField)
        assert isinstance(participants_field, forms.ModelMultipleChoiceField)
        partner_field.queryset = approved.filter(tier=1)
        participants_field.queryset = approved.exclude(tier=1)
        self.fields.update(ContractForm().fields)

    def contract(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ContractForm.base_fields}


class DraftForm(TaskForm):
    """A draft's details, participants and contract (the 1차 partner stays)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["partner"]

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    @staticmethod
    def initial_for(task: SharingTask) -> dict[str, Any]:
        return {
            "title": task.title,
            "task_type": task.task_type,
            "kpi_name": task.kpi_name,
            "kpi_baseline": task.kpi_baseline,
            "participants": list(task.participants.all()),
            **ContractForm.initial_for(task),
        }


class IncentiveRuleForm(forms.Form):
    valid_from = forms.DateField(label=_("Valid from"), widget=_DATE)
    points_per_task = forms.IntegerField(
        label=_("Points per confirmed task"), min_value=0, max_value=MAX_POINTS, initial=10
    )
    points_per_eok_shared = forms.IntegerField(
        label=_("Points per 1억 shared"),
        min_value=0,
        max_value=MAX_POINTS,
        initial=1,
        help_text=_("For every 100,000,000 won actually paid to the partner."),
    )

    @staticmethod
    def initial_for(rule: IncentiveRule) -> dict[str, Any]:
        return {name: getattr(rule, name) for name in IncentiveRuleForm.base_fields}
