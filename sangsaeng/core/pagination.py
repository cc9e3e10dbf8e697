"""Pagination: one helper for pages, one Ninja pagination class for the API (HackSoft `api/pagination.py`).

Pages — any `?page=` value (missing, "abc", "-1", "99999999999999999999", "last") gives a page, never
an error; past the end gives the last page:

    from sangsaeng.core.pagination import page_of

    page = page_of(request, selectors.partners_for_user(request.user))           # settings.PAGE_SIZE
    page = page_of(request, rows, per_page=25)
    # template: {% include "core/partials/pagination.html" %} with `page`

API — `limit` is bounded 1..max_limit and `offset` 0..MAX_OFFSET, so a huge value is a 422 with the
error body (not a 500 from the database); the answer is `{"items": [...], "count": n}` as with
Ninja's LimitOffsetPagination:

    from ninja.pagination import paginate
    from sangsaeng.core.pagination import LimitOffset

    @router.get("/things", response=list[ThingOut])
    @paginate(LimitOffset, max_limit=200)
    def list_things(request, filters: Query[ThingFilterIn]):
        return selectors.things_for_user(request.user, filters)

An endpoint that answers its own page shape (`count`, `limit`, `offset`, `items`) takes the bounded
`PageIn` (subclass it to add filters) and slices with `page_slice`:

    class ApplicationPageIn(PageIn):
        status: str = ""

    def list_applications(request, page: Query[ApplicationPageIn]):
        queryset = selectors.applications_for_user(request.user)
        return {"count": queryset.count(), "limit": page.limit, "offset": page.offset,
                "items": page_slice(queryset, page)}
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination
from pydantic import create_model

# Far beyond any list this platform holds, and far below what a database integer can take.
MAX_OFFSET = 1_000_000_000
DEFAULT_MAX_LIMIT = 200


def page_of(
    request: HttpRequest, object_list: Any, per_page: int | None = None, *, param: str = "page"
) -> Page[Any]:
    """The page of `object_list` that `?page=` asks for; whatever the value, a valid page."""
    paginator = Paginator(object_list, per_page or settings.PAGE_SIZE)
    try:
        number = int(request.GET.get(param, "1")[:20])  # 20 digits: past any page, short to parse
    except ValueError:
        number = 1
    # Below 1 is the first page, past the end the last (Paginator.get_page).
    return paginator.get_page(max(number, 1))


class PageIn(Schema):
    """Bounded limit/offset query parameters, for endpoints that build their own page answer."""

    limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=DEFAULT_MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def page_slice(queryset: Any, page: PageIn) -> list[Any]:
    return list(queryset[page.offset : page.offset + page.limit])


class LimitOffset(LimitOffsetPagination):
    """Ninja's LimitOffsetPagination with `limit` in 1..max_limit and `offset` in 0..MAX_OFFSET
    (documented in the OpenAPI as maximum), so no input reaches the database as an unbounded integer."""

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=DEFAULT_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, max_limit: int = DEFAULT_MAX_LIMIT, **kwargs: Any) -> None:
        super().__init__(max_limit=max_limit, **kwargs)
        if max_limit != DEFAULT_MAX_LIMIT:
            # The bound is per endpoint (paginate(..., max_limit=…)): one input schema per bound.
            self.Input = create_model(  # type: ignore[misc]
                f"LimitOffsetInput{max_limit}",
                __base__=LimitOffset.Input,
                limit=(int, Field(min(ninja_settings.PAGINATION_PER_PAGE, max_limit), ge=1, le=max_limit)),
            )
