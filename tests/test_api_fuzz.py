"""Property-based run of the whole OpenAPI with schemathesis (issue 12 §1), on the database the suite
runs on (SQLite, then PostgreSQL by DATABASE_URL).

Every operation, with a partner's and a host administrator's API token: no 5xx, every status is one
the operation documents, and every answer matches its documented schema and content type. Bounded to
a few examples per operation and derandomized, so it stays a short, repeatable part of `make test`.
"""

from __future__ import annotations

import itertools
import json
import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.api import api
from sangsaeng.accounts import services as account_services

# FUZZ_EXAMPLES / FUZZ_COVERAGE=0 tune a longer or shorter run (e.g. FUZZ_EXAMPLES=200 by hand).
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "3"))
# Every COVERAGE_SHARE-th boundary case of the coverage phase is sent (FUZZ_COVERAGE_SHARE=1: all).
COVERAGE_SHARE = int(os.environ.get("FUZZ_COVERAGE_SHARE", "3"))
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 12,
        "generation": {"max-examples": EXAMPLES_PER_OPERATION, "no-shrink": True, "database": "none"},
        "phases": {
            # Boundaries (2^63, -1, null, wrong types, a multipart body without boundary…) per operation.
            "coverage": {
                "enabled": os.environ.get("FUZZ_COVERAGE", "1") == "1",
                "unexpected-methods": [],
                "generation": {"mode": os.environ.get("FUZZ_COVERAGE_MODE", "all")},
            },
            "stateful": {"enabled": False},
        },
    }
)
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(), default=str)), config=CONFIG
)
schema.app = WSGIHandler()

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _keep_the_test_transaction_open():
    """The WSGI handler closes the database connection after each request (as a server does), which
    would end the test's transaction: Django's own test client disconnects the same signal."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(cast) -> None:
    """A few objects of each programme (ids from 1 on a fresh SQLite sequence), so generated ids
    and the boundary id 1 reach real objects, not only 404s."""
    from sangsaeng.finance.tests.factories import make_application, make_fund, make_pool
    from sangsaeng.openlab.tests.factories import make_resource
    from sangsaeng.rnd.tests.factories import make_call, make_fund_year, make_proposal
    from sangsaeng.usecases.tests.factories import make_use_case

    pool = make_pool(make_fund(), cast.bank)
    make_application(cast.partner, pool, cast.partner_owner)
    make_proposal(make_call(make_fund_year(10**9)), cast.partner)
    make_resource()
    make_use_case(cast.partner, cast.partner_owner)


@pytest.fixture
def tokens(cast, world) -> dict[str, str]:
    def token(user) -> str:
        return account_services.create_api_token(actor=user, name="fuzz").raw_token

    return {"partner": token(cast.partner_owner), "host_admin": token(cast.host_admin)}


@schema.parametrize()
@settings(deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented_for_a_partner_and_a_host_admin(case, tokens):
    # Generated cases go out with both tokens; the many boundary cases of the coverage phase with one
    # token each, in turn, to keep the run short.
    meta = case.meta
    if meta is not None and meta.phase.name.value == "coverage":
        turn = next(_turns)
        if turn % COVERAGE_SHARE:
            return  # a deterministic share of the boundary cases keeps the run short
        chosen = [list(tokens.values())[(turn // COVERAGE_SHARE) % len(tokens)]]
    else:
        chosen = list(tokens.values())
    for token in chosen:
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
            checks=CHECKS,
        )


_turns = itertools.count()
