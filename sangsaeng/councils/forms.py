"""Forms of the councils pages. They parse and show field errors; the rules live in the services
(core.forms.apply_service_errors puts a service's errors on the form). Times are entered in Seoul time."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sangsaeng.councils.models import CouncilKind, MemberRole, Rsvp, SelectionMethod
from sangsaeng.usecases.models import Feature, Industry

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CouncilForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=CouncilKind.choices)
    business_area = forms.ModelChoiceField(label=_("Business area"), queryset=None, required=False)
    charter = forms.CharField(label=_("Charter"), widget=forms.Textarea(attrs={"rows": 5}))
    quorum_percent = forms.IntegerField(
        label=_("Quorum (percent of members)"), min_value=1, max_value=100, initial=50
    )
    term_start = forms.DateField(label=_("Term starts"), widget=DATE)
    term_end = forms.DateField(label=_("Term ends"), widget=DATE)
    secretariat_unit = forms.CharField(label=_("Secretariat unit"), max_length=120, required=False)
    is_listed = forms.BooleanField(label=_("Listed publicly"), required=False, initial=True)
    accepts_applications = forms.BooleanField(label=_("Accepts applications"), required=False, initial=True)
    how_to_apply = forms.CharField(
        label=_("How to apply"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from sangsaeng.partners.models import CollaborationField

        self.fields["business_area"].queryset = CollaborationField.objects.order_by("name_ko")  # type: ignore[attr-defined]


class ApplyForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why your company wants to join"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail of the person"))
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts (Seoul time)"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends (Seoul time)"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    agenda = forms.CharField(
        label=_("Agenda (one item a line)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    presenter = forms.ModelChoiceField(label=_("Presenter"), queryset=None, required=False)

    def __init__(self, *args: Any, presenters: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = presenters  # type: ignore[attr-defined]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, PNG, JPEG)"))


class RsvpForm(forms.Form):
    rsvp = forms.ChoiceField(
        label=_("Answer"),
        choices=[(Rsvp.ATTENDING, Rsvp.ATTENDING.label), (Rsvp.DECLINED, Rsvp.DECLINED.label)],
    )


class MinutesForm(forms.Form):
    body = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 12}))


class MinutesCommentForm(forms.Form):
    agenda_item = forms.ModelChoiceField(label=_("Agenda item"), queryset=None)
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, items: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = items  # type: ignore[attr-defined]


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    due_on = forms.DateField(label=_("Due"), widget=DATE)
    owner_user = forms.ModelChoiceField(label=_("Owner (person)"), queryset=None, required=False)
    owner_organization = forms.ModelChoiceField(
        label=_("Owner (organisation)"), queryset=None, required=False
    )

    def __init__(self, *args: Any, people: Any = None, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].queryset = people  # type: ignore[attr-defined]
        self.fields["owner_organization"].queryset = organizations  # type: ignore[attr-defined]


class AreaForm(forms.Form):
    name = forms.CharField(label=_("Cooperation area"), max_length=120)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class TaskForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Cooperation area"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 3}))
    expected_outcome = forms.CharField(label=_("Expected outcome"), widget=forms.Textarea(attrs={"rows": 3}))
    partners_needed = forms.CharField(
        label=_("Partners needed"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    attachment = forms.FileField(label=_("Attachment (PDF, PNG, JPEG)"), required=False)

    def __init__(self, *args: Any, areas: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    method = forms.ChoiceField(label=_("Method"), choices=SelectionMethod.choices)
    tasks = forms.ModelMultipleChoiceField(
        label=_("Candidate tasks"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    criteria = forms.CharField(
        label=_("Rubric criteria (one a line)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    max_score = forms.IntegerField(
        label=_("Maximum score per criterion"), min_value=1, max_value=100, initial=5
    )
    seats = forms.IntegerField(label=_("Tasks to select"), min_value=1, max_value=100, initial=1)
    quorum_percent = forms.IntegerField(label=_("Quorum (percent of members)"), min_value=1, max_value=100)
    closes_at = forms.DateTimeField(label=_("Closes (Seoul time)"), widget=DATETIME)

    def __init__(self, *args: Any, tasks: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = tasks  # type: ignore[attr-defined]


class ConflictForm(forms.Form):
    note = forms.CharField(label=_("Conflict of interest"), max_length=300, required=False)


class HandOverForm(forms.Form):
    call = forms.ModelChoiceField(label=_("R&D call"), queryset=None)

    def __init__(self, *args: Any, calls: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls  # type: ignore[attr-defined]


class UseCaseForm(forms.Form):
    industry = forms.ChoiceField(label=_("Industry"), choices=Industry.choices)
    features = forms.MultipleChoiceField(
        label=_("5G features"), choices=Feature.choices, widget=forms.CheckboxSelectMultiple
    )
    nda_accepted = forms.BooleanField(label=_("I accept the host's confidentiality terms"), required=False)
