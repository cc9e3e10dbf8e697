"""The API documentation page (/api/v1/docs): Ninja's bundled Swagger UI (no CDN) inside the site's
layout, in the reader's language with a correct `lang`, and an introduction to sign-in and errors."""

from __future__ import annotations

from ninja.openapi.docs import Swagger


class LocalizedSwagger(Swagger):
    template = "core/api_docs.html"
