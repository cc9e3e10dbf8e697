"""The generated description of every workflow: describe(), the API text, the page and the check."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation

from sangsaeng.core import workflow
from sangsaeng.finance.models import LoanApplication, SharingTask
from sangsaeng.openlab.models import Booking
from sangsaeng.partners.models import Partner, PartnerStatus
from sangsaeng.usecases.models import UseCase


def test_the_registry_finds_every_model_that_declares_transitions():
    models = workflow.workflow_models()

    for model in (Partner, LoanApplication, SharingTask, Booking, UseCase):
        assert model in models
    assert all(workflow.has_workflow(model) for model in models)
    assert [workflow.state_field_name(m) for m in (Partner, Booking, UseCase)] == ["status", "state", "stage"]


def test_describe_lists_states_with_labels_and_transitions_with_notes_and_reasons():
    notes = {(PartnerStatus.REJECTED, PartnerStatus.PENDING): "A rejected company may apply again."}
    with (
        mock.patch.object(Partner, "TRANSITION_NOTES", notes, create=True),
        mock.patch.object(Partner, "REASON_REQUIRED", frozenset({PartnerStatus.SUSPENDED}), create=True),
    ):
        described = workflow.describe(Partner)

    assert described.label == "partners.partner" and described.state_field == "status"
    assert [(s.value, s.label) for s in described.states] == [
        ("pending", "Under review"),
        ("changes_requested", "Changes requested"),
        ("approved", "Approved"),
        ("rejected", "Rejected"),
        ("suspended", "Suspended"),
    ]
    assert [s.value for s in described.states if s.is_initial] == ["pending"]
    assert not any(s.is_final for s in described.states)
    moves = {(t.source, t.target): t for t in described.transitions}
    assert len(moves) == sum(len(targets) for targets in Partner.TRANSITIONS.values())
    assert moves["rejected", "pending"].note == "A rejected company may apply again."
    assert moves["approved", "suspended"].reason_required
    assert not moves["pending", "approved"].reason_required
    assert moves["pending", "approved"].target_label == "Approved"


def test_final_states_are_marked():
    described = workflow.describe(Booking)

    finals = {state.value for state in described.states if state.is_final}
    assert finals == {"rejected", "completed", "cancelled", "no_show"}


def test_the_api_description_is_the_same_text_in_any_language():
    with translation.override("ko"):
        korean = workflow.transitions_description(Partner)
    english = workflow.transitions_description(Partner)

    assert (
        korean
        == english
        == (
            "Allowed transitions: pending → approved | rejected (reason required) | changes_requested "
            "(reason required); changes_requested → pending | rejected (reason required); "
            "approved → suspended (reason required); rejected → pending; suspended → approved."
        )
    )


def test_the_api_description_names_final_states_notes_and_reasons():
    notes = {("approved", "checked_in"): "Only on the booked day."}
    with (
        mock.patch.object(Booking, "TRANSITION_NOTES", notes, create=True),
        mock.patch.object(Booking, "REASON_REQUIRED", frozenset({"rejected"}), create=True),
    ):
        text = workflow.transitions_description(Booking)

    assert "requested → approved | rejected (reason required) | cancelled" in text
    assert "checked_in (Only on the booked day.)" in text
    assert "completed: final" in text


# --- The documentation page --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_workflows_page_needs_a_login(client):
    response = client.get(reverse("core:workflows"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_the_workflows_page_lists_every_workflow_in_korean_in_the_site_layout(client, cast):
    client.force_login(cast.partner_member, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse("core:workflows"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ko">' in html and 'id="main-nav"' in html
    for model in workflow.workflow_models():
        assert f'id="{model._meta.label_lower}"' in html
    with translation.override("ko"):
        assert str(PartnerStatus.CHANGES_REQUESTED.label) in html
        assert "Allowed transitions" not in html


@pytest.mark.django_db
def test_the_workflows_page_is_in_english_when_asked(english, cast):
    english.force_login(cast.host_admin, backend="django.contrib.auth.backends.ModelBackend")

    html = english.get(reverse("core:workflows")).content.decode()

    assert '<html lang="en">' in html
    assert "Allowed transitions" in html and "Changes requested" in html


# --- The system check ---------------------------------------------------------------------------------------


def test_the_declared_workflows_pass_the_check():
    assert workflow.check_workflow_declarations(None) == []


@pytest.mark.parametrize(
    ("attribute", "value", "check_id"),
    [
        ("STATE_FIELD", "condition", "sangsaeng.E101"),
        ("TRANSITIONS", {**Partner.TRANSITIONS, "approved": ("approvd",)}, "sangsaeng.E102"),
        ("REASON_REQUIRED", frozenset({"rejectd"}), "sangsaeng.E102"),
        ("TRANSITION_NOTES", {("approved", "pending"): "not declared"}, "sangsaeng.E103"),
    ],
)
def test_a_wrong_declaration_fails_the_check(attribute, value, check_id):
    with mock.patch.object(Partner, attribute, value, create=True):
        problems = workflow.check_workflow_declarations(None)

    assert [problem.id for problem in problems] == [check_id]
