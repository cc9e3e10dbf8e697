"""page_of for pages (any ?page= value) and LimitOffset for the API (bounded limit and offset)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from ninja import NinjaAPI, Router
from ninja.pagination import paginate
from ninja.testing import TestClient
from pydantic import ValidationError

from sangsaeng.core.api_errors import install_error_handlers
from sangsaeng.core.pagination import MAX_OFFSET, LimitOffset, PageIn, page_of, page_slice

ROWS = list(range(1, 121))  # 120 rows: 3 pages of 50


def _page(value: str | None, **kwargs):
    query = {} if value is None else {"page": value}
    return page_of(RequestFactory().get("/", query), ROWS, **kwargs)


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (None, 1),
        ("", 1),
        ("2", 2),
        (" 3 ", 3),
        ("3", 3),
        ("4", 3),  # past the end: the last page
        ("99999999999999999999999999999999", 3),
        ("0", 1),
        ("-1", 1),
        ("abc", 1),
        ("1e3", 1),
        ("2.5", 1),
        ("last", 1),
        ("NaN", 1),
        pytest.param("9" * 5000, 3, id="5000 digits"),  # longer than Python parses: cut, the last page
    ],
)
def test_any_page_value_gives_a_valid_page(value, number):
    page = _page(value)

    assert page.number == number
    assert page.paginator.per_page == 50


def test_the_page_size_defaults_to_the_setting_and_can_be_given(settings):
    settings.PAGE_SIZE = 40

    assert len(_page("1").object_list) == 40
    assert list(_page("2", per_page=25).object_list) == list(range(26, 51))


def test_an_empty_list_gives_one_empty_page():
    page = page_of(RequestFactory().get("/", {"page": "7"}), [])

    assert page.number == 1 and list(page.object_list) == []


def test_page_in_bounds_limit_and_offset():
    assert PageIn(limit=200, offset=MAX_OFFSET).limit == 200
    for bad in ({"limit": 0}, {"limit": 201}, {"offset": -1}, {"offset": MAX_OFFSET + 1}):
        with pytest.raises(ValidationError):
            PageIn(**bad)
    assert page_slice(ROWS, PageIn(limit=2, offset=3)) == [4, 5]


# --- The API pagination class ---------------------------------------------------------------------------

router = Router()


@router.get("/default", response=list[int])
@paginate(LimitOffset)
def default_page(request):
    return ROWS


@router.get("/small", response=list[int])
@paginate(LimitOffset, max_limit=5)
def small_page(request):
    return ROWS


api = NinjaAPI(urls_namespace="pagination-test")
api.add_router("", router)
install_error_handlers(api)
client = TestClient(api)


def test_limit_offset_answers_items_and_count():
    body = client.get("/default?limit=3&offset=10").json()

    assert body == {"items": [11, 12, 13], "count": 120}


@pytest.mark.parametrize(
    "query",
    [
        "offset=9223372036854775808",
        "offset=18446744073709551616",
        f"offset={MAX_OFFSET + 1}",
        "offset=-1",
        "limit=0",
        "limit=201",
        "limit=99999999999999999999999",
        "limit=abc",
    ],
)
def test_out_of_bounds_values_are_a_422_with_the_error_body(query):
    response = client.get(f"/default?{query}")

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) <= {"limit", "offset"} and error["fields"]


def test_the_largest_offset_is_accepted():
    body = client.get(f"/default?offset={MAX_OFFSET}").json()

    assert body == {"items": [], "count": 120}


def test_max_limit_bounds_the_limit_of_that_endpoint_only():
    assert client.get("/small?limit=5").json()["items"] == [1, 2, 3, 4, 5]
    assert client.get("/small").json()["items"] == [1, 2, 3, 4, 5]  # the default fits the bound
    assert client.get("/small?limit=6").status_code == 422
    assert client.get("/default?limit=6").status_code == 200


def test_the_openapi_documents_the_bounds_and_the_same_page_shape_as_ninja():
    schema = api.get_openapi_schema(path_prefix="")
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/small"]["get"]["parameters"]}

    assert parameters["limit"]["minimum"] == 1 and parameters["limit"]["maximum"] == 5
    assert parameters["offset"]["minimum"] == 0 and parameters["offset"]["maximum"] == MAX_OFFSET
    page_schema = schema["paths"]["/default"]["get"]["responses"][200]["content"]["application/json"][
        "schema"
    ]
    name = page_schema["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][name]["properties"]) == {"items", "count"}
