"""apply_service_errors: a service's ValidationError shown on the form it came from."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.workflow import TransitionError


class LoanForm(forms.Form):
    amount = forms.IntegerField()
    limit_1 = forms.IntegerField(required=False)
    reason = forms.CharField(required=False)


def _validated(**data) -> LoanForm:
    form = LoanForm({"amount": "100", **data})
    assert form.is_valid()
    return form


def test_a_plain_message_goes_on_top_of_the_form():
    form = _validated()

    apply_service_errors(form, ValidationError("The fund is closed.", code="closed"))

    assert form.non_field_errors() == ["The fund is closed."]
    assert form.errors.as_data()[NON_FIELD_ERRORS][0].code == "closed"


def test_field_errors_go_on_their_fields_and_the_rest_on_top():
    form = _validated()
    error = ValidationError(
        {
            "amount": ValidationError("Above the company limit.", code="over_limit"),
            "pool_id": "That bank has no pool.",  # not a field of this form
            NON_FIELD_ERRORS: "The application is no longer open.",
        }
    )

    apply_service_errors(form, error)

    assert form.errors["amount"] == ["Above the company limit."]
    assert form.errors.as_data()["amount"][0].code == "over_limit"
    assert sorted(form.non_field_errors()) == ["That bank has no pool.", "The application is no longer open."]
    assert "amount" not in form.cleaned_data  # add_error drops the field's cleaned value, as Django does


def test_several_messages_of_one_field_are_all_shown_with_their_params():
    form = _validated()
    error = ValidationError(
        {"reason": [ValidationError("At most %(n)s characters.", params={"n": 500}), "No links."]}
    )

    apply_service_errors(form, error)

    assert form.errors["reason"] == ["At most 500 characters.", "No links."]


def test_field_map_renames_service_fields_to_form_fields_or_to_the_top():
    form = _validated()
    error = ValidationError({"limits_by_tier": "Tier limits must fall.", "scores": "Give every score."})

    apply_service_errors(form, error, field_map={"limits_by_tier": "limit_1", "scores": None})

    assert form.errors["limit_1"] == ["Tier limits must fall."]
    assert form.non_field_errors() == ["Give every score."]


def test_a_transition_error_keeps_its_code_on_top():
    form = _validated()

    apply_service_errors(form, TransitionError("“A” cannot change to “B”.", code="invalid_transition"))

    assert form.non_field_errors() == ["“A” cannot change to “B”."]
    assert form.errors.as_data()[NON_FIELD_ERRORS][0].code == "invalid_transition"


def test_an_unvalidated_or_unbound_form_takes_the_errors_too():
    bound, unbound = LoanForm({"amount": "7"}), LoanForm()

    apply_service_errors(bound, ValidationError({"amount": "Too small."}))
    apply_service_errors(unbound, ValidationError({"amount": "Too small."}))

    assert bound.errors["amount"] == ["Too small."]
    assert unbound.errors["amount"] == ["Too small."]
