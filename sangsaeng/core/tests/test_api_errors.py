"""The API's safety nets: one error body for every failure, in the user's language, documented."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, OperationalError
from django.test import Client
from django.utils import translation

from config.api import api
from sangsaeng.accounts import services as account_services
from sangsaeng.core import error_codes
from sangsaeng.core.api_errors import schema_error_message, validation_error_body
from sangsaeng.core.workflow import TransitionError

pytestmark = pytest.mark.django_db


def _token(user) -> dict[str, str]:
    raw = account_services.create_api_token(actor=user, name="test").raw_token
    return {"Authorization": f"Bearer {raw}"}


def _error(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


# --- Django ValidationError: the code when registered ------------------------------------------------


@pytest.mark.parametrize(
    ("error", "code", "status"),
    [
        (ValidationError("Plain."), "invalid", 422),
        (ValidationError("Django's own code.", code="max_length"), "invalid", 422),
        (TransitionError("Not now.", code="invalid_transition"), "invalid_transition", 422),
        (TransitionError("Changed.", code="state_changed"), "state_changed", 409),
        (ValidationError({"decision": TransitionError("Not now.")}), "invalid_transition", 422),
        (ValidationError({"amount": ValidationError("Too big.", code="out_of_range")}), "out_of_range", 422),
        (
            ValidationError({"reason": ValidationError("Required.", code="required"), "__all__": "Closed."}),
            "invalid",
            422,
        ),
    ],
)
def test_a_validation_error_answers_with_its_registered_code_and_status(error, code, status):
    body, answered = validation_error_body(error)

    assert (body["error"]["code"], answered) == (code, status)


def test_field_errors_are_listed_per_field_and_the_whole_object_error_is_the_message():
    body, _status = validation_error_body(
        ValidationError({"amount": ["Too big.", "Not whole."], "__all__": ["The fund is closed."]})
    )

    assert body["error"] == {
        "code": "invalid",
        "message": "The fund is closed.",
        "fields": {"amount": ["Too big.", "Not whole."]},
    }


# --- Schema validation: pydantic's messages translated -------------------------------------------------


BAD_SIMULATION = {"fund_id": "x", "amount_krw": 0, "term_months": 500, "method": 5, "grace_months": -1}


def test_schema_errors_are_in_korean_by_default(client, cast):
    response = client.post(
        "/api/v1/finance/simulate",
        BAD_SIMULATION,
        content_type="application/json",
        headers=_token(cast.host_admin),
    )

    assert response.status_code == 422
    error = _error(response)
    assert error["code"] == "invalid"
    with translation.override("ko"):
        assert error["message"] == translation.gettext("Some fields are not valid.")
        assert error["fields"] == {
            "fund_id": [translation.gettext("Enter a whole number.")],
            "pool_id": [translation.gettext("This field is required.")],
            "amount_krw": [translation.gettext("Enter a value greater than %(limit)s.") % {"limit": "0"}],
            "term_months": [translation.gettext("Enter a value of at most %(limit)s.") % {"limit": "120"}],
            "method": [translation.gettext("Enter text.")],
            "grace_months": [translation.gettext("Enter a value of at least %(limit)s.") % {"limit": "0"}],
        }
    text = str(error)
    for english in ("Field required", "Input should", "valid integer", "Enter"):
        assert english not in text


def test_schema_errors_are_in_english_when_asked(client, cast):
    response = client.post(
        "/api/v1/finance/simulate",
        BAD_SIMULATION,
        content_type="application/json",
        headers={**_token(cast.host_admin), "Accept-Language": "en"},
    )

    assert _error(response)["fields"] == {
        "fund_id": ["Enter a whole number."],
        "pool_id": ["This field is required."],
        "amount_krw": ["Enter a value greater than 0."],
        "term_months": ["Enter a value of at most 120."],
        "method": ["Enter text."],
        "grace_months": ["Enter a value of at least 0."],
    }


@pytest.mark.parametrize(
    ("error", "english"),
    [
        ({"type": "missing"}, "This field is required."),
        ({"type": "int_parsing"}, "Enter a whole number."),
        ({"type": "int_type"}, "Enter a whole number."),
        ({"type": "int_from_float"}, "Enter a whole number."),
        ({"type": "int_parsing_size"}, "This number is too large."),
        ({"type": "float_parsing"}, "Enter a number."),
        ({"type": "finite_number"}, "Enter a finite number."),
        ({"type": "decimal_max_digits", "ctx": {"max_digits": 18}}, "Enter a number with at most 18 digits."),
        ({"type": "decimal_max_places", "ctx": {"decimal_places": 1}}, "Enter at most 1 decimal place."),
        (
            {"type": "decimal_whole_digits", "ctx": {"whole_digits": 14}},
            "Enter at most 14 digits before the decimal point.",
        ),
        ({"type": "greater_than", "ctx": {"gt": 0}}, "Enter a value greater than 0."),
        ({"type": "greater_than_equal", "ctx": {"ge": 1}}, "Enter a value of at least 1."),
        ({"type": "less_than", "ctx": {"lt": 10}}, "Enter a value less than 10."),
        ({"type": "less_than_equal", "ctx": {"le": 1000000000}}, "Enter a value of at most 1,000,000,000."),
        ({"type": "multiple_of", "ctx": {"multiple_of": 30}}, "Enter a multiple of 30."),
        ({"type": "bool_parsing"}, "Enter true or false."),
        ({"type": "string_type"}, "Enter text."),
        ({"type": "string_too_short", "ctx": {"min_length": 1}}, "Enter at least 1 character."),
        ({"type": "string_too_long", "ctx": {"max_length": 200}}, "Enter at most 200 characters."),
        (
            {"type": "string_pattern_mismatch", "ctx": {"pattern": "^x$"}},
            "This value does not have the expected format.",
        ),
        ({"type": "enum", "ctx": {"expected": "'a' or 'b'"}}, "Choose one of: 'a' or 'b'."),
        ({"type": "literal_error", "ctx": {"expected": "'x'"}}, "Choose one of: 'x'."),
        ({"type": "date_parsing"}, "Enter a valid date (YYYY-MM-DD)."),
        ({"type": "date_from_datetime_parsing"}, "Enter a valid date (YYYY-MM-DD)."),
        ({"type": "datetime_parsing"}, "Enter a valid date and time (e.g. 2026-03-02T09:00:00+09:00)."),
        ({"type": "time_parsing"}, "Enter a valid time (HH:MM)."),
        ({"type": "timezone_aware"}, "Give the time zone (e.g. +09:00)."),
        ({"type": "uuid_parsing"}, "Enter a valid UUID."),
        ({"type": "url_parsing"}, "Enter a valid URL."),
        ({"type": "list_type"}, "Send a list."),
        ({"type": "dict_type"}, "Send an object."),
        ({"type": "model_attributes_type"}, "Send an object."),
        ({"type": "too_short", "ctx": {"min_length": 1}}, "Send at least 1 item."),
        ({"type": "too_long", "ctx": {"max_length": 50}}, "Send at most 50 items."),
        ({"type": "extra_forbidden"}, "This field is not expected."),
        ({"type": "json_invalid"}, "This is not valid JSON."),
        ({"type": "value_error", "ctx": {"error": "Use 1,000원 steps."}}, "Use 1,000원 steps."),
        ({"type": "some_future_pydantic_type"}, "This value is not valid."),
    ],
)
def test_each_pydantic_error_type_has_a_message_in_both_languages(error, english):
    assert schema_error_message(error) == english
    with translation.override("ko"):
        korean = schema_error_message(error)
    if error["type"] != "value_error":
        assert korean != english, "missing Korean translation"
    for value in (error.get("ctx") or {}).values():
        if isinstance(value, int) and error["type"] != "value_error":
            assert f"{value:,}" in korean


# --- Authentication and CSRF --------------------------------------------------------------------------


def test_an_unsafe_call_without_session_or_token_is_a_401_with_the_error_body():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/api/v1/notifications/read", {"all": True}, content_type="application/json")

    assert response.status_code == 401
    assert _error(response)["code"] == "unauthenticated"


def test_a_session_call_without_the_csrf_token_is_a_403_with_the_error_body(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.partner_member, backend="django.contrib.auth.backends.ModelBackend")

    response = client.post(
        "/api/v1/notifications/read",
        {"all": True},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )

    assert response.status_code == 403
    error = _error(response)
    assert error["code"] == "forbidden"
    assert error["message"] == "The CSRF token is missing or wrong: reload the page and try again."


def test_a_session_call_with_the_csrf_token_passes(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.partner_member, backend="django.contrib.auth.backends.ModelBackend")
    client.get("/")  # sets the CSRF cookie, as the page does
    token = client.cookies["csrftoken"].value

    response = client.post(
        "/api/v1/notifications/read",
        {"all": True},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 200


def test_a_bearer_token_call_needs_no_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/api/v1/notifications/read",
        {"all": True},
        content_type="application/json",
        headers=_token(cast.partner_member),
    )

    assert response.status_code == 200


# --- Safety nets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [False, True])
def test_an_unhandled_error_is_a_500_with_the_error_body_and_is_logged(client, cast, settings, caplog, debug):
    settings.DEBUG = debug
    with (
        mock.patch("sangsaeng.core.selectors.notifications_for_user", side_effect=RuntimeError("kaboom")),
        caplog.at_level(logging.ERROR, logger="sangsaeng.api"),
    ):
        response = client.get(
            "/api/v1/notifications", headers={**_token(cast.partner_member), "X-Request-ID": "req-12345678"}
        )

    assert response.status_code == 500
    error = _error(response)
    assert error["code"] == "server_error"
    assert "req-12345678" in error["message"] and "kaboom" not in error["message"]
    assert any(record.exc_info and "kaboom" in str(record.exc_info[1]) for record in caplog.records)


@pytest.mark.parametrize(
    ("raised", "status", "code"),
    [
        (OverflowError("Python int too large to convert to SQLite INTEGER"), 422, "out_of_range"),
        (DataError("integer out of range"), 422, "out_of_range"),
        (OperationalError("database is locked"), 503, "unavailable"),
    ],
)
def test_database_range_and_availability_errors_have_their_own_answers(client, cast, raised, status, code):
    with mock.patch("sangsaeng.core.selectors.notifications_for_user", side_effect=raised):
        response = client.get("/api/v1/notifications", headers=_token(cast.partner_member))

    assert response.status_code == status
    assert _error(response)["code"] == code
    assert str(raised) not in _error(response)["message"]


def test_an_id_beyond_64_bits_is_never_a_server_error(client, cast):
    response = client.get("/api/v1/audit-events/9223372036854775808", headers=_token(cast.host_admin))

    # Ids are bounded in the schema (core.schemas.Id): a field error, on both databases.
    assert response.status_code == 422
    error = _error(response)
    assert error["code"] == "invalid" and "seq" in error["fields"]


def test_a_body_that_is_not_json_is_a_400_with_a_translated_message(client, cast):
    response = client.post(
        "/api/v1/notifications/read",
        "{not json",
        content_type="application/json",
        headers={**_token(cast.partner_member), "Accept-Language": "en"},
    )

    assert response.status_code == 400
    assert _error(response) == {
        "code": "bad_request",
        "message": "The request body is not valid JSON.",
        "fields": {},
    }


def test_an_unknown_api_address_is_a_404_with_the_error_body(client):
    response = client.get("/api/v1/no-such-thing/7", headers={"Accept-Language": "en"})

    assert response.status_code == 404
    assert _error(response) == {"code": "not_found", "message": "Not found.", "fields": {}}


# --- OpenAPI: every error documented, every code described ------------------------------------------------


def test_every_operation_documents_the_errors_it_can_answer():
    schema = api.get_openapi_schema()
    assert "ApiErrorOut" in schema["components"]["schemas"]
    responses = schema["components"]["responses"]

    for path, item in schema["paths"].items():
        for method, operation in item.items():
            documented = {int(status) for status in operation["responses"]}
            expected = {400, 404, 422, 429, 500, 503}
            if operation.get("security"):
                expected |= {401, 403}
            if method in ("post", "put", "patch", "delete"):
                expected.add(409)
            assert expected <= documented, f"{method.upper()} {path} lacks {sorted(expected - documented)}"
            for status in expected:
                ref = operation["responses"][status].get("$ref")
                if ref:
                    shared = responses[ref.rsplit("/", 1)[1]]
                    assert shared["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/ApiErrorOut"
                    }


def test_an_operation_without_auth_does_not_document_401():
    operation = api.get_openapi_schema()["paths"]["/api/v1/partners/signup"]["post"]

    assert "security" not in operation
    assert 401 not in operation["responses"] and 422 in operation["responses"]


def test_the_api_description_lists_every_registered_code_in_the_readers_language(client):
    korean = client.get("/api/v1/openapi.json").json()["info"]["description"]
    with translation.override("en"):
        english = api.get_openapi_schema()["info"]["description"]
        for item in error_codes.registered_codes():
            assert f"| `{item.code}` | {item.description} |" in english
            assert f"`{item.code}`" in korean
    with translation.override("ko"):
        assert str(error_codes.lookup("state_changed").description) in korean
    assert korean != english


# --- The docs page ----------------------------------------------------------------------------------------


def test_the_docs_page_is_korean_with_its_lang_and_works_offline(client):
    response = client.get("/api/v1/docs")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ko">' in html
    with translation.override("ko"):
        assert translation.gettext("API documentation") in html
    assert "API documentation" not in html
    assert 'id="swagger-ui"' in html and "/static/ninja/swagger-ui-bundle.js" in html
    assert "/api/v1/openapi.json" in html
    assert "cdn." not in html and "unpkg.com" not in html and "jsdelivr" not in html


def test_the_docs_page_is_english_when_asked(english):
    html = english.get("/api/v1/docs").content.decode()

    assert '<html lang="en">' in html and "API documentation" in html
