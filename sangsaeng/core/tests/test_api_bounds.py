"""Every integer and date the API takes is bounded once (core.schemas): out of range, `true` for a
number, or `null` in a PATCH body is a 422 with the error body and changes nothing (issue 12 §1)."""

from __future__ import annotations

import json

import pytest

from config.api import api
from sangsaeng.accounts import services as account_services
from sangsaeng.core.schemas import MAX_ID, MAX_KRW, PatchIn
from sangsaeng.finance.tests.factories import make_fund, make_pool

pytestmark = pytest.mark.django_db

HUGE = 2**64  # 18446744073709551616: past any 64-bit column


def _token(user) -> dict[str, str]:
    raw = account_services.create_api_token(actor=user, name="test").raw_token
    return {"Authorization": f"Bearer {raw}"}


def _invalid(response, field: str | None = None) -> dict:
    assert response.status_code == 422, response.content[:400]
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == "invalid"
    if field is not None:
        assert field in error["fields"], error
    return error


# --- the contract: the OpenAPI bounds every integer a client sends ------------------------------------


def _unbounded_integers() -> list[str]:
    schema = json.loads(json.dumps(api.get_openapi_schema(), default=str))
    components = schema["components"]["schemas"]
    found: list[str] = []

    def walk(node, where: str, seen: frozenset[str]) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, where, seen)
            return
        if not isinstance(node, dict):
            return
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                walk(components.get(name, {}), f"{where}<{name}>", seen | {name})
            return
        if node.get("type") == "integer":
            low = "minimum" in node or "exclusiveMinimum" in node
            high = "maximum" in node or "exclusiveMaximum" in node
            if not (low and high):
                found.append(where)
        for key, value in node.items():
            if key == "properties":
                for name, item in value.items():
                    walk(item, f"{where}.{name}", seen)
            elif key in ("items", "anyOf", "oneOf", "allOf", "additionalProperties", "prefixItems"):
                walk(value, where, seen)

    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                walk(
                    parameter.get("schema", {}), f"{method.upper()} {path} ?{parameter['name']}", frozenset()
                )
            for content in operation.get("requestBody", {}).get("content", {}).values():
                walk(content.get("schema", {}), f"{method.upper()} {path} body", frozenset())
    return found


def test_every_integer_a_client_sends_has_a_minimum_and_a_maximum_in_the_openapi():
    assert _unbounded_integers() == []


def test_every_patch_body_is_a_patch_in_so_null_is_refused_everywhere():
    schema = api.get_openapi_schema()
    bodies = {
        content["schema"]["$ref"].rsplit("/", 1)[-1]
        for item in schema["paths"].values()
        for method, operation in item.items()
        if method == "patch"
        for content in operation.get("requestBody", {}).get("content", {}).values()
    }
    patch_ins = {cls.__name__ for cls in PatchIn.__subclasses__()}

    assert bodies and bodies <= patch_ins, (
        f"PATCH bodies must subclass core.schemas.PatchIn: {bodies - patch_ins}"
    )


# --- the fuzzer's findings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/finance/applications",
        "/api/v1/openlab/bookings",
        "/api/v1/rnd/calls",
        "/api/v1/audit-events",
        "/api/v1/partners",
        "/api/v1/tokens",
    ],
)
def test_an_offset_beyond_64_bits_is_a_422_on_every_list(cast, client, path):
    response = client.get(path, {"offset": str(2**63)}, headers=_token(cast.host_admin))

    _invalid(response, "offset")


def test_an_id_beyond_64_bits_in_a_path_is_a_422(cast, client):
    response = client.get(f"/api/v1/finance/applications/{HUGE}", headers=_token(cast.host_admin))

    _invalid(response, "application_id")


@pytest.mark.parametrize("path", ["/api/v1/openlab/bookings", "/api/v1/openlab/waitlist"])
def test_ids_beyond_64_bits_in_a_json_list_are_a_422(cast, client, path):
    body = {"resources": [HUGE], "start": "2026-03-02T10:00:00+09:00", "end": "2026-03-02T11:00:00+09:00"}

    response = client.post(path, body, content_type="application/json", headers=_token(cast.partner_owner))

    _invalid(response, "resources.0")


def test_a_year_far_out_of_range_is_a_422_on_the_use_case_funnel(cast, client):
    response = client.get("/api/v1/usecases/report/funnel", {"year": "-735"}, headers=_token(cast.host_admin))

    _invalid(response, "year")


def test_a_date_out_of_range_is_a_422(cast, client):
    response = client.get(
        "/api/v1/openlab/availability",
        {"minutes": 60, "date_from": "9999-12-31", "date_to": "9999-12-31"},
        headers=_token(cast.partner_owner),
    )

    _invalid(response, "date_from")


def test_an_instant_out_of_range_is_a_422(cast, client):
    body = {"resources": [1], "start": "9999-12-31T23:00:00+09:00", "end": "9999-12-31T23:30:00+09:00"}

    response = client.post(
        "/api/v1/openlab/bookings", body, content_type="application/json", headers=_token(cast.partner_owner)
    )

    _invalid(response, "start")


def test_a_huge_amount_is_a_422_on_rnd_fund_creation(cast, client):
    body = {"name": "Fund", "years": [{"year": 2026, "budget_krw": MAX_KRW + 1}]}

    response = client.post(
        "/api/v1/rnd/funds", body, content_type="application/json", headers=_token(cast.host_admin)
    )

    _invalid(response)


@pytest.mark.parametrize(("field", "value"), [("total_krw", True), ("total_krw", 1.5), ("total_krw", -1)])
def test_true_a_fraction_or_a_negative_is_not_an_amount(cast, client, field, value):
    fund = make_fund()
    before = fund.total_krw

    response = client.patch(
        f"/api/v1/finance/funds/{fund.pk}",
        {field: value},
        content_type="application/json",
        headers={**_token(cast.host_admin), "Accept-Language": "en"},
    )

    error = _invalid(response, field)
    assert error["fields"][field][0] in ("Enter a whole number.", "Enter a value of at least 0.")
    fund.refresh_from_db()
    assert fund.total_krw == before


def test_null_in_a_patch_body_is_a_422_for_a_field_that_cannot_be_empty(cast, client):
    fund = make_fund()
    pool = make_pool(fund, cast.bank)
    before = (fund.total_krw, pool.pool_krw)
    headers = {**_token(cast.host_admin), "Accept-Language": "en"}

    fund_answer = client.patch(
        f"/api/v1/finance/funds/{fund.pk}",
        {"total_krw": None},
        content_type="application/json",
        headers=headers,
    )
    pool_answer = client.patch(
        f"/api/v1/finance/pools/{pool.pk}",
        {"pool_krw": None},
        content_type="application/json",
        headers=headers,
    )

    assert _invalid(fund_answer, "total_krw")["fields"]["total_krw"] == [
        "This field cannot be null: leave it out to keep the current value."
    ]
    _invalid(pool_answer, "pool_krw")
    fund.refresh_from_db()
    pool.refresh_from_db()
    assert (fund.total_krw, pool.pool_krw) == before


def test_null_still_clears_a_field_that_may_be_empty(cast, client):
    fund = make_fund()

    response = client.patch(
        f"/api/v1/finance/funds/{fund.pk}",
        {"valid_to": None},
        content_type="application/json",
        headers=_token(cast.host_admin),
    )

    assert response.status_code == 200, response.content[:300]
    fund.refresh_from_db()
    assert fund.valid_to is None


def test_the_openapi_says_which_patch_fields_take_null():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    properties = schemas["FundPatchIn"]["properties"]

    assert properties["total_krw"]["type"] == "integer" and "anyOf" not in properties["total_krw"]
    assert properties["total_krw"]["maximum"] == MAX_KRW
    assert {"type": "null"} in properties["valid_to"]["anyOf"]


def test_the_largest_id_is_accepted_and_simply_not_found(cast, client):
    response = client.get(f"/api/v1/finance/applications/{MAX_ID}", headers=_token(cast.host_admin))

    assert response.status_code == 404


def test_a_field_keeps_its_own_tighter_bounds_on_a_shared_type_in_validation_and_openapi(cast, client):
    properties = api.get_openapi_schema()["components"]["schemas"]["SimulateIn"]["properties"]

    assert properties["term_months"]["maximum"] == 120
    assert properties["amount_krw"]["maximum"] == 10**12
    assert "le" not in properties["term_months"] and "gt" not in properties["amount_krw"]
    response = client.get("/api/v1/partners", {"limit": 201}, headers=_token(cast.host_admin))
    _invalid(response, "limit")


@pytest.mark.parametrize(
    ("typed", "amount"), [("1,234,567", 1_234_567), ("1,000원", 1_000), ("1억 2천만", 120_000_000)]
)
def test_an_amount_typed_the_korean_way_is_read_as_the_web_forms_read_it(cast, client, typed, amount):
    fund = make_fund()

    response = client.patch(
        f"/api/v1/finance/funds/{fund.pk}",
        {"total_krw": typed},
        content_type="application/json",
        headers=_token(cast.host_admin),
    )

    assert response.status_code == 200, response.content
    fund.refresh_from_db()
    assert fund.total_krw == amount


@pytest.mark.parametrize("typed", ["1,23", "1만 2억", "1.5원", "abc"])
def test_an_amount_that_is_not_korean_money_is_refused_with_the_forms_message(cast, client, typed):
    fund = make_fund()
    before = fund.total_krw

    response = client.patch(
        f"/api/v1/finance/funds/{fund.pk}",
        {"total_krw": typed},
        content_type="application/json",
        headers={**_token(cast.host_admin), "Accept-Language": "ko"},
    )

    error = _invalid(response, "total_krw")
    assert "1,234,567" in error["fields"]["total_krw"][0]
    assert "원" in error["fields"]["total_krw"][0]  # the forms' Korean message
    fund.refresh_from_db()
    assert fund.total_krw == before
