"""Forms of the loan fund pages. They parse input; the services validate the rules and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sangsaeng.finance import selectors
from sangsaeng.finance.models import FundBank, LoanFund, LoanPurpose, PartnerGradeCode, RepaymentMethod
from sangsaeng.partners.forms import apply_service_errors
from sangsaeng.partners.models import Partner
from sangsaeng.partners.validators import normalize_brn

__all__ = [
    "AmendmentForm",
    "AmountForm",
    "ApplyForm",
    "BankFileForm",
    "CorrectionForm",
    "DisburseForm",
    "DocumentForm",
    "GradeForm",
    "MeasurementForm",
    "ReasonForm",
    "RepayForm",
    "SettleForm",
    "SimulateForm",
    "TaskStatusForm",
    "apply_service_errors",
]

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SimulateForm(forms.Form):
    """Amount, term and method → schedule, total interest and the saving against the bank's own rate."""

    pool = forms.ModelChoiceField(label=_("Bank"), queryset=FundBank.objects.none())
    amount_krw = forms.IntegerField(label=_("Amount (KRW)"), min_value=1_000_000, max_value=10**12)
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=120)
    grace_months = forms.IntegerField(label=_("Grace (months)"), min_value=0, max_value=119, initial=0)
    method = forms.ChoiceField(label=_("Repayment method"), choices=RepaymentMethod.choices)

    def __init__(self, *args: Any, fund: LoanFund, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pool_field = self.fields["pool"]
        assert isinstance(pool_field, forms.ModelChoiceField)
        pool_field.queryset = selectors.pools_of(fund)
        pool_field.label_from_instance = lambda pool: f"{pool.bank.name} ({pool.fund_rate}%)"  # type: ignore[method-assign]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        term, grace = data.get("term_months"), data.get("grace_months")
        if term is not None and grace is not None and grace >= term:
            self.add_error("grace_months", _("The grace period must be shorter than the term."))
        return data


class ApplyForm(SimulateForm):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=LoanPurpose.choices)
    use_of_funds = forms.CharField(
        label=_("Use of funds"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AmountForm(forms.Form):
    amount_krw = forms.IntegerField(
        label=_("Amount (KRW)"), min_value=1, required=False, help_text=_("Empty: the full amount.")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class DisburseForm(forms.Form):
    disbursed_on = forms.DateField(label=_("Disbursed on"), widget=_DATE)
    amount_krw = forms.IntegerField(label=_("Amount (KRW)"), min_value=1, required=False)
    annual_rate = forms.DecimalField(
        label=_("Rate (%)"), max_digits=6, decimal_places=3, min_value=0, required=False
    )


class RepayForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=_DATE)
    principal_krw = forms.IntegerField(label=_("Principal (KRW)"), min_value=0)
    interest_krw = forms.IntegerField(label=_("Interest (KRW)"), min_value=0, initial=0)


class CorrectionForm(forms.Form):
    """The right date and amounts of a wrong repayment entry, and why (or: it never happened)."""

    paid_on = forms.DateField(label=_("Paid on"), widget=_DATE)
    principal_krw = forms.IntegerField(label=_("Principal (KRW)"), min_value=0)
    interest_krw = forms.IntegerField(label=_("Interest (KRW)"), min_value=0, initial=0)
    void = forms.BooleanField(label=_("The payment never happened (reverse it only)"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class BankFileForm(forms.Form):
    file = forms.FileField(label=_("Bank file (.xlsx or .csv)"))


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)
    certificate_number = forms.CharField(label=_("Confirmation number"), required=False, max_length=40)

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status_field = self.fields["status"]
        assert isinstance(status_field, forms.ChoiceField)
        status_field.choices = targets


class AmendmentForm(forms.Form):
    goal = forms.CharField(label=_("Shared goal"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    kpi_target = forms.DecimalField(label=_("KPI target"), required=False, max_digits=18, decimal_places=4)
    measurement_months = forms.IntegerField(
        label=_("Measurement period (months)"), required=False, min_value=1
    )
    cash_ratio_percent = forms.DecimalField(
        label=_("Cash share of the saving (%)"), required=False, max_digits=5, decimal_places=2
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def changes(self) -> dict[str, Any]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "reason" and value not in (None, "")
        }


class MeasurementForm(forms.Form):
    period_start = forms.DateField(label=_("From"), widget=_DATE)
    period_end = forms.DateField(label=_("To"), widget=_DATE)
    kpi_value = forms.DecimalField(label=_("KPI value"), max_digits=18, decimal_places=4)
    saving_krw = forms.IntegerField(label=_("Saving or gain (KRW)"), min_value=0)
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}))


class SettleForm(forms.Form):
    settled_on = forms.DateField(label=_("Paid on"), widget=_DATE)


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, PNG or JPEG)"))


class GradeForm(forms.Form):
    """The host grades a partner, found by its business registration number."""

    brn = forms.CharField(label=_("Business registration number"), max_length=20)
    grade = forms.ChoiceField(label=_("Grade"), choices=PartnerGradeCode.choices)
    valid_from = forms.DateField(label=_("Valid from"), widget=_DATE)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_brn(self) -> Partner:
        try:
            brn = normalize_brn(self.cleaned_data["brn"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        partner = Partner.objects.filter(brn=brn).first()
        if partner is None:
            raise forms.ValidationError(_("No partner has this registration number."))
        return partner
