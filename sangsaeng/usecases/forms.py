"""Forms of the use-case pages. They parse input; the services validate the rules and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.forms import MoneyField
from sangsaeng.usecases.models import DecisionType, Feature, Industry, OutcomeType, Stage
from sangsaeng.usecases.selectors import UseCaseFilters
from sangsaeng.usecases.services import GATE_CRITERIA, SCORE_MAX, SCORE_MIN


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (type, size, content)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ProposeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    industry = forms.ChoiceField(label=_("Industry"), choices=[("", "—"), *Industry.choices])
    features = forms.MultipleChoiceField(
        label=_("5G features needed"),
        choices=Feature.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}))
    expected_customers = forms.CharField(
        label=_("Expected customers"), widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(
        label=_("Attachments"), required=False, help_text=_("PDF, PNG or JPEG; several files allowed.")
    )
    nda_accepted = forms.BooleanField(
        label=_("I accept the confidentiality terms above (NDA)."), required=False
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Add a document"), help_text=_("PDF, PNG or JPEG."))


class SponsorForm(forms.Form):
    sponsor = forms.ModelChoiceField(label=_("Sponsor"), queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, sponsors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["sponsor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = sponsors
        field.label_from_instance = lambda obj: f"{obj.name} ({obj.email})"


def _no_tasks() -> QuerySet[Any]:
    from sangsaeng.finance.models import SharingTask

    return SharingTask.objects.none()


class GateForm(forms.Form):
    """The sponsor's gate decision: target stage, a score per criterion, the reason the partner sees."""

    to_stage = forms.ChoiceField(label=_("Move to"))
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The partner sees this."),
    )
    decision_type = forms.ChoiceField(
        label=_("Commercialisation decision"),
        choices=[("", "—"), *DecisionType.choices],
        required=False,
        help_text=_("Only when leaving the commercialisation stage."),
    )
    support_amount_krw = MoneyField(
        label=_("Support amount (KRW)"), required=False, min_value=0, help_text=_("Joint business only.")
    )
    outcome_type = forms.ChoiceField(
        label=_("Outcome sharing"),
        choices=[("", "—"), *OutcomeType.choices],
        required=False,
        help_text=_("Only when leaving the outcome-sharing stage."),
    )
    purchase_amount_krw = MoneyField(label=_("Idea purchase amount (KRW)"), required=False, min_value=0)
    sharing_task = forms.ModelChoiceField(
        label=_("Benefit-sharing task"),
        queryset=None,
        required=False,
        help_text=_("A benefit-sharing task on the platform involving this partner."),
    )
    benefit_sharing_reference = forms.CharField(
        label=_("Benefit-sharing task reference"),
        required=False,
        max_length=200,
        help_text=_("For a task registered outside the platform (e.g. its confirmation number)."),
    )

    def __init__(
        self, *args: Any, targets: list[str], sharing_tasks: QuerySet[Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        task_field = self.fields["sharing_task"]
        assert isinstance(task_field, forms.ModelChoiceField)
        task_field.queryset = sharing_tasks if sharing_tasks is not None else _no_tasks()
        labels = dict(Stage.choices)
        choice_field = self.fields["to_stage"]
        assert isinstance(choice_field, forms.ChoiceField)
        choice_field.choices = [(t, labels[t]) for t in targets]
        scores: dict[str, forms.Field] = {}
        for key, label in GATE_CRITERIA.items():
            scores[f"score_{key}"] = forms.IntegerField(
                label=label, min_value=SCORE_MIN, max_value=SCORE_MAX, help_text=_("1 (weak) to 5 (strong)")
            )
        # Scores first, in criteria order, so the form reads as the gate's checklist.
        self.fields = {
            "to_stage": self.fields["to_stage"],
            **scores,
            **{name: field for name, field in self.fields.items() if name != "to_stage"},
        }

    def scores(self) -> dict[str, int]:
        return {key: self.cleaned_data[f"score_{key}"] for key in GATE_CRITERIA}


class ShelfForm(forms.Form):
    """Put on hold, resume or stop, with the reason the partner sees."""

    action = forms.ChoiceField(
        choices=[("hold", _("Put on hold")), ("resume", _("Resume")), ("stop", _("Stop"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


_YES_NO = [("", _("All")), ("yes", _("Overdue only")), ("no", _("Not overdue"))]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All")), *Stage.choices])
    industry = forms.ChoiceField(
        label=_("Industry"), required=False, choices=[("", _("All")), *Industry.choices]
    )
    feature = forms.ChoiceField(
        label=_("5G feature"), required=False, choices=[("", _("All")), *Feature.choices]
    )
    sponsor = forms.ChoiceField(
        label=_("Sponsor"),
        required=False,
        choices=[("", _("All")), ("me", _("Mine")), ("none", _("Not assigned"))],
    )
    overdue = forms.ChoiceField(label=_("Screening deadline"), required=False, choices=_YES_NO)

    def filters(self) -> UseCaseFilters:
        if not self.is_valid():
            return UseCaseFilters()
        data = self.cleaned_data
        overdue = {"yes": True, "no": False}.get(data["overdue"])
        return UseCaseFilters(
            q=data["q"],
            stage=data["stage"],
            industry=data["industry"],
            feature=data["feature"],
            sponsor=data["sponsor"],
            overdue=overdue,
        )
