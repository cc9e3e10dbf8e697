"""Forms of the R&D pages. Services do the validation; the forms only parse and show errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.forms import MoneyField
from sangsaeng.core.money import parse_krw
from sangsaeng.partners.models import SizeClass, Tier
from sangsaeng.rnd.models import BudgetCategory, Criterion, FundYear, ResultKind


class ScoreForm(forms.Form):
    """One integer field per rubric criterion, plus the comment."""

    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name} (×{criterion.weight})",
                min_value=0,
                max_value=criterion.max_score,
                help_text=_("0 to %(max)s") % {"max": criterion.max_score},
            )
        self.order_fields([f"c{c.pk}" for c in criteria] + ["comment"])

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    report = forms.CharField(label=_("Deliverables report"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("Deliverable (PDF)"), required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("PDF attachment"))


class SelectionForm(forms.Form):
    """Optional limits: per-theme minimum/maximum counts ("5G=2, AI=1") and exclusive pairs ("3-7")."""

    theme_min = forms.CharField(label=_("Minimum per theme"), required=False, help_text=_("e.g. 5G=2, AI=1"))
    theme_max = forms.CharField(label=_("Maximum per theme"), required=False, help_text=_("e.g. 5G=4"))
    exclusive = forms.CharField(
        label=_("Mutually exclusive proposals"),
        required=False,
        help_text=_("For this run only, besides the pairs stored on the call: e.g. 3-7, 4-9"),
    )

    @staticmethod
    def _limits(text: str) -> dict[str, int]:
        limits: dict[str, int] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            theme, _sep, value = part.partition("=")
            if not value.strip().isdigit():
                raise ValidationError(_("Write limits as theme=number."))
            limits[theme.strip()] = int(value)
        return limits

    def clean_theme_min(self) -> dict[str, int]:
        return self._limits(self.cleaned_data["theme_min"])

    def clean_theme_max(self) -> dict[str, int]:
        return self._limits(self.cleaned_data["theme_max"])

    def clean_exclusive(self) -> list[tuple[int, int]]:
        pairs = []
        for part in filter(None, (p.strip() for p in self.cleaned_data["exclusive"].split(","))):
            first, _sep, second = part.partition("-")
            if not (first.strip().isdigit() and second.strip().isdigit()):
                raise ValidationError(_("Write pairs as number-number."))
            pairs.append((int(first), int(second)))
        return pairs


class ExclusivePairForm(forms.Form):
    """A pair of proposal numbers of the call that may not both be selected (stored on the call)."""

    first_id = forms.IntegerField(label=_("Proposal number"), min_value=1)
    second_id = forms.IntegerField(label=_("Excludes proposal number"), min_value=1)


class ProposalForm(forms.Form):
    """The proposal's text; the theme is one of the call's themes."""

    theme = forms.ChoiceField(label=_("Theme"))
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    objectives = forms.CharField(
        label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    team = forms.CharField(label=_("Team"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, themes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [(t, t) for t in themes]


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=BudgetCategory.choices)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    host_krw = MoneyField(label=_("Host contribution (KRW)"), min_value=0)
    partner_krw = MoneyField(label=_("Own share (KRW)"), min_value=0)


class MilestonePlanForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    deliverables = forms.CharField(label=_("Deliverables"), max_length=2000)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=60)
    amount_krw = MoneyField(label=_("Amount (KRW)"), min_value=1)


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=2, max_num=20)
MilestoneFormSet = forms.formset_factory(MilestonePlanForm, extra=2, max_num=20)


class CallForm(forms.Form):
    """A new call: eligibility, caps, dates (Asia/Seoul) and the rubric as "criterion: weight" lines."""

    fund_year = forms.ModelChoiceField(label=_("Fund year"), queryset=FundYear.objects.select_related("fund"))
    title = forms.CharField(label=_("Title"), max_length=200)
    themes = forms.CharField(label=_("Themes"), help_text=_("Separate with commas"))
    eligible_size_classes = forms.MultipleChoiceField(
        label=_("Eligible size classes"),
        choices=SizeClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every size"),
    )
    eligible_tiers = forms.TypedMultipleChoiceField(
        label=_("Eligible tiers"),
        choices=Tier.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every tier"),
    )
    fair_trade_required = forms.BooleanField(label=_("Fair-trade agreement required"), required=False)
    min_partner_share_pct = forms.IntegerField(
        label=_("Minimum partner share (%)"), min_value=0, max_value=100, initial=20
    )
    max_request_krw = MoneyField(label=_("Cap per proposal (KRW)"), min_value=1)
    max_per_partner_krw = MoneyField(label=_("Cap per partner (KRW)"), min_value=1)
    opens_at = forms.DateTimeField(
        label=_("Opens at (Asia/Seoul)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at (Asia/Seoul)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reviewers_per_proposal = forms.IntegerField(
        label=_("Reviewers per proposal"), min_value=1, max_value=20, initial=3
    )
    criteria = forms.CharField(
        label=_("Review criteria"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_('One per line: "name: weight", e.g. "Technical merit: 30"'),
    )

    def clean_themes(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["themes"].split(",") if t.strip()]

    def clean_criteria(self) -> list[tuple[str, int]]:
        rows = []
        for line in filter(None, (line.strip() for line in self.cleaned_data["criteria"].splitlines())):
            name, _sep, weight = line.rpartition(":")
            if not name.strip() or not weight.strip().isdigit():
                raise ValidationError(_('Write each criterion as "name: weight".'))
            rows.append((name.strip(), int(weight)))
        return rows


def parse_criteria(text: str) -> list[tuple[str, int, int]]:
    """Rubric lines "name: weight" or "name: weight: maximum" (maximum 10 when left out)."""
    rows = []
    for line in filter(None, (line.strip() for line in text.splitlines())):
        parts = [part.strip() for part in line.split(":")]
        if len(parts) >= 3 and parts[-1].isdigit() and parts[-2].isdigit():
            name, weight, maximum = ":".join(parts[:-2]).strip(), int(parts[-2]), int(parts[-1])
        elif len(parts) >= 2 and parts[-1].isdigit():
            name, weight, maximum = ":".join(parts[:-1]).strip(), int(parts[-1]), 10
        else:
            raise ValidationError(_('Write each criterion as "name: weight" or "name: weight: maximum".'))
        if not name:
            raise ValidationError(_('Write each criterion as "name: weight" or "name: weight: maximum".'))
        rows.append((name, weight, maximum))
    return rows


class CallRulesForm(forms.Form):
    """The rubric and eligibility of a call, editable until it opens or a proposal is submitted."""

    eligible_size_classes = forms.MultipleChoiceField(
        label=_("Eligible size classes"),
        choices=SizeClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every size"),
    )
    eligible_tiers = forms.TypedMultipleChoiceField(
        label=_("Eligible tiers"),
        choices=Tier.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every tier"),
    )
    fair_trade_required = forms.BooleanField(label=_("Fair-trade agreement required"), required=False)
    criteria = forms.CharField(
        label=_("Review criteria"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            'One per line: "name: weight" or "name: weight: maximum", e.g. "Technical merit: 30: 10"'
        ),
    )

    def clean_criteria(self) -> list[tuple[str, int, int]]:
        return parse_criteria(self.cleaned_data["criteria"])


class AssignForm(forms.Form):
    """Manual assignment: a proposal of the call by its number (a call has thousands, too many for a
    drop-down) and one reviewer."""

    proposal = forms.IntegerField(label=_("Proposal number"), min_value=1)
    reviewer = forms.TypedChoiceField(label=_("Reviewer"), coerce=int)

    def __init__(self, *args: Any, reviewers: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = reviewers


class ResultForm(forms.Form):
    """An outcome after the project: patent, product, sales or follow-up purchase."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ResultKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    amount_krw = MoneyField(label=_("Amount (KRW)"), min_value=0, initial=0)
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))


class FundForm(forms.Form):
    """A fund with its yearly budgets as "year: amount" lines."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    carry_over = forms.BooleanField(label=_("Carry unspent budget over to the next year"), required=False)
    years = forms.CharField(
        label=_("Yearly budgets"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_('One per line: "year: amount in KRW", e.g. "2019: 2000000000"'),
    )

    def clean_years(self) -> list[tuple[int, int]]:
        rows = []
        for line in filter(None, (line.strip() for line in self.cleaned_data["years"].splitlines())):
            year, _sep, amount = line.partition(":")
            try:
                amount_krw = parse_krw(amount)
            except ValidationError:
                amount_krw = -1
            if not (year.strip().isdigit() and amount_krw >= 0):
                raise ValidationError(_('Write each year as "year: amount".'))
            rows.append((int(year), amount_krw))
        return rows


class BudgetForm(forms.Form):
    budget_krw = MoneyField(label=_("Budget (KRW)"), min_value=0)


class CallEditForm(forms.Form):
    """The editable parts of an open call: title, themes and the deadline (Asia/Seoul)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    themes = forms.CharField(label=_("Themes"), help_text=_("Separate with commas"))
    closes_at = forms.DateTimeField(
        label=_("Closes at (Asia/Seoul)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def clean_themes(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["themes"].split(",") if t.strip()]
