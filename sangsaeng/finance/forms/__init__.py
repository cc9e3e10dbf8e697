"""Forms of the loan fund pages. They parse input; the services validate the rules and save."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sangsaeng.accounts.models import Organization, OrganizationKind
from sangsaeng.core.forms import MoneyField
from sangsaeng.finance import selectors
from sangsaeng.finance.models import FundBank, LoanFund, LoanPurpose, PartnerGradeCode, RepaymentMethod
from sangsaeng.finance.services.setup import FUND_FIELDS
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
    "FundForm",
    "GradeForm",
    "MeasurementForm",
    "PoolForm",
    "ReasonForm",
    "RepayForm",
    "SettleForm",
    "SimulateForm",
    "TaskStatusForm",
]

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SimulateForm(forms.Form):
    """Amount, term and method → schedule, total interest and the saving against the bank's own rate."""

    pool = forms.ModelChoiceField(label=_("Bank"), queryset=FundBank.objects.none())
    amount_krw = MoneyField(label=_("Amount (KRW)"), min_value=1_000_000, max_value=10**12)
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
    amount_krw = MoneyField(
        label=_("Amount (KRW)"), min_value=1, required=False, help_text=_("Empty: the full amount.")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class DisburseForm(forms.Form):
    disbursed_on = forms.DateField(label=_("Disbursed on"), widget=_DATE)
    amount_krw = MoneyField(label=_("Amount (KRW)"), min_value=1, required=False)
    annual_rate = forms.DecimalField(
        label=_("Rate (%)"), max_digits=6, decimal_places=3, min_value=0, required=False
    )


class RepayForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=_DATE)
    principal_krw = MoneyField(label=_("Principal (KRW)"), min_value=0)
    interest_krw = MoneyField(label=_("Interest (KRW)"), min_value=0, initial=0)


class CorrectionForm(forms.Form):
    """The right date and amounts of a wrong repayment entry, and why (or: it never happened)."""

    paid_on = forms.DateField(label=_("Paid on"), widget=_DATE)
    principal_krw = MoneyField(label=_("Principal (KRW)"), min_value=0)
    interest_krw = MoneyField(label=_("Interest (KRW)"), min_value=0, initial=0)
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
    saving_krw = MoneyField(label=_("Saving or gain (KRW)"), min_value=0)
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


# Fund set-up (host administrators). The forms only turn typed input into the arguments of
# services.create_fund / update_fund / add_bank / update_bank; the services validate the rules.

_TIERS = [(tier, str(tier)) for tier in (1, 2, 3, 4)]


def _numbers(text: str) -> list[int]:
    try:
        return [int(part) for part in text.replace(",", " ").split()]
    except ValueError as error:
        raise forms.ValidationError(_("Enter whole numbers separated by commas.")) from error


# Fund rules the form shows as text (terms, reduction steps) or as one field per tier (limits).
_FUND_FIELDS_AS_TEXT = ("terms_months", "points_reductions", "limits_by_tier")


class FundForm(forms.Form):
    """A fund's rules: total, tiers and their limits, purposes, terms, fair trade, validity, points."""

    name = forms.CharField(label=_("Name"), max_length=200)
    total_krw = MoneyField(label=_("Programme total (KRW)"))
    valid_from = forms.DateField(label=_("Valid from"), widget=_DATE)
    valid_to = forms.DateField(label=_("Valid to"), widget=_DATE, required=False)
    is_active = forms.BooleanField(label=_("Open for applications"), required=False, initial=True)
    eligible_tiers = forms.TypedMultipleChoiceField(
        label=_("Eligible tiers"), choices=_TIERS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    limit_1 = MoneyField(label=_("Limit per company, tier 1 (KRW)"), required=False)
    limit_2 = MoneyField(label=_("Limit per company, tier 2 (KRW)"), required=False)
    limit_3 = MoneyField(label=_("Limit per company, tier 3 (KRW)"), required=False)
    limit_4 = MoneyField(label=_("Limit per company, tier 4 (KRW)"), required=False)
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"), choices=LoanPurpose.choices, widget=forms.CheckboxSelectMultiple
    )
    terms_months = forms.CharField(
        label=_("Terms offered (months)"), help_text=_("For example: 12, 24, 36"), max_length=200
    )
    requires_fair_trade = forms.BooleanField(label=_("Fair-trade agreement required"), required=False)
    recommendation_valid_days = forms.IntegerField(
        label=_("Recommendation valid (days)"), min_value=1, max_value=365, initial=60
    )
    points_reductions = forms.CharField(
        label=_("Extra reduction by incentive points"),
        help_text=_("One step a line: minimum points, extra %p (for example: 100, 0.2)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    # Where a service error on a stored field is shown on this form.
    ERROR_FIELDS = {"limits_by_tier": "limit_1"}

    def __init__(self, *args: Any, fund: LoanFund | None = None, **kwargs: Any) -> None:
        if fund is not None:
            kwargs.setdefault("initial", self.initial_of(fund))
        super().__init__(*args, **kwargs)
        if fund is not None:
            # The API does not change a fund's start either.
            self.fields["valid_from"].disabled = True

    @staticmethod
    def initial_of(fund: LoanFund) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(fund, name) for name in FUND_FIELDS if name not in _FUND_FIELDS_AS_TEXT
        }
        initial["terms_months"] = ", ".join(str(term) for term in fund.terms_months)
        initial["points_reductions"] = "\n".join(f"{low}, {extra}" for low, extra in fund.points_reductions)
        for tier in (1, 2, 3, 4):
            initial[f"limit_{tier}"] = fund.limits_by_tier.get(str(tier))
        return initial

    def clean_terms_months(self) -> list[int]:
        return _numbers(self.cleaned_data["terms_months"])

    def clean_points_reductions(self) -> list[list[str]]:
        steps = []
        for line in self.cleaned_data["points_reductions"].splitlines():
            if not line.strip():
                continue
            parts = [part for part in line.replace(",", " ").split() if part]
            if len(parts) != 2:
                raise forms.ValidationError(_("One step a line: minimum points, extra %p."))
            steps.append(parts)
        return steps

    def values(self) -> dict[str, Any]:
        """The service's `values`: every rule on the form (a new fund) or all but the start (an edit)."""
        data = self.cleaned_data
        values = {name: data[name] for name in FUND_FIELDS if name != "limits_by_tier"}
        values["limits_by_tier"] = {
            str(tier): data[f"limit_{tier}"] for tier in (1, 2, 3, 4) if data.get(f"limit_{tier}") is not None
        }
        if self.fields["valid_from"].disabled:
            del values["valid_from"]
        return values


GRADES = ("S", "A", "B", "C")


class PoolForm(forms.Form):
    """A participating bank's deposit, loan pool (an amount or a multiple of the deposit) and rates."""

    bank = forms.ModelChoiceField(label=_("Bank"), queryset=Organization.objects.none())
    deposit_krw = MoneyField(label=_("Host deposit (KRW)"))
    pool_krw = MoneyField(label=_("Loan pool (KRW)"), required=False)
    pool_multiple = forms.DecimalField(
        label=_("Or: loan pool as a multiple of the deposit"), required=False, max_digits=6, decimal_places=2
    )
    base_rate = forms.DecimalField(label=_("Base rate (%)"), max_digits=8, decimal_places=3)
    spread = forms.DecimalField(label=_("Spread (%p)"), max_digits=8, decimal_places=3, initial=0)
    reduction = forms.DecimalField(label=_("Rate reduction (%p)"), max_digits=8, decimal_places=3)
    grade_S = forms.DecimalField(
        label=_("Extra reduction, grade S (%p)"), required=False, max_digits=8, decimal_places=3
    )
    grade_A = forms.DecimalField(
        label=_("Extra reduction, grade A (%p)"), required=False, max_digits=8, decimal_places=3
    )
    grade_B = forms.DecimalField(
        label=_("Extra reduction, grade B (%p)"), required=False, max_digits=8, decimal_places=3
    )
    grade_C = forms.DecimalField(
        label=_("Extra reduction, grade C (%p)"), required=False, max_digits=8, decimal_places=3
    )

    ERROR_FIELDS = {"grade_reductions": "grade_S", "bank_id": "bank"}

    def __init__(
        self, *args: Any, fund: LoanFund | None = None, pool: FundBank | None = None, **kwargs: Any
    ) -> None:
        if pool is not None:
            initial = {
                name: getattr(pool, name)
                for name in ("deposit_krw", "pool_krw", "base_rate", "spread", "reduction")
            }
            initial.update({f"grade_{grade}": pool.grade_reductions.get(grade) for grade in GRADES})
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if pool is not None:
            del self.fields["bank"]
        else:
            bank_field = self.fields["bank"]
            assert isinstance(bank_field, forms.ModelChoiceField)
            taken = fund.banks.values("bank") if fund is not None else []
            bank_field.queryset = (
                Organization.objects.filter(kind=OrganizationKind.BANK).exclude(pk__in=taken).order_by("name")
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("pool_krw") is None:
            multiple, deposit = data.get("pool_multiple"), data.get("deposit_krw")
            if multiple is None:
                self.add_error("pool_krw", _("Enter the loan pool or a multiple of the deposit."))
            elif deposit is not None:
                data["pool_krw"] = int(deposit * multiple)
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data[name] for name in ("deposit_krw", "pool_krw", "base_rate", "reduction")}
        values["spread"] = data["spread"] if data.get("spread") is not None else Decimal("0")
        values["grade_reductions"] = {
            grade: data[f"grade_{grade}"] for grade in GRADES if data.get(f"grade_{grade}") is not None
        }
        return values
