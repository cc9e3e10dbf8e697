"""The one NinjaAPI at /api/v1: session auth for the browser, bearer tokens for machines.

Errors: one body for every failure and safety nets for the unexpected (sangsaeng.core.api_errors);
the OpenAPI schema documents every error status of each operation and lists every error code.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from sangsaeng.accounts.api_auth import BearerTokenAuth, SessionAuth
from sangsaeng.core.api_docs import LocalizedSwagger
from sangsaeng.core.api_errors import api_description, document_error_responses, install_error_handlers
from sangsaeng.core.schemas import tighten_numeric_bounds

INTRO = "상생 동반성장 플랫폼 API. Session cookie (browser) or `Authorization: Bearer <token>` (machines)."


class SangsaengAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        # Generated per request: the codes' descriptions follow the reader's language.
        schema["info"]["description"] = api_description(INTRO)
        document_error_responses(schema)
        tighten_numeric_bounds(schema.get("components", {}).get("schemas", {}))
        tighten_numeric_bounds(schema.get("paths", {}))
        return schema


api = SangsaengAPI(
    title="Sangsaeng API",
    version="1",
    description=INTRO,
    auth=[BearerTokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs=LocalizedSwagger(),
)
install_error_handlers(api)


def _mount_routers() -> None:
    from sangsaeng.accounts.api import router as accounts_router
    from sangsaeng.core.api import router as core_router
    from sangsaeng.councils.api import router as councils_router
    from sangsaeng.finance.api import router as finance_router
    from sangsaeng.openlab.api import router as openlab_router
    from sangsaeng.partners.api import router as partners_router
    from sangsaeng.rnd.api import router as rnd_router
    from sangsaeng.usecases.api import router as usecases_router

    api.add_router("/", accounts_router)
    api.add_router("/partners", partners_router)
    api.add_router("/", core_router)
    api.add_router("/rnd", rnd_router)
    api.add_router("/finance", finance_router)
    api.add_router("/usecases", usecases_router)
    api.add_router("/openlab", openlab_router)
    api.add_router("/councils", councils_router)


_mount_routers()
