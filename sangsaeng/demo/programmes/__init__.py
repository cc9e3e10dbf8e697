"""The programme part of the demo scenario: R&D fund, loan fund and benefit sharing, use cases, the
Open Lab and the councils, written through each app's services (see context.py for the rules every
step follows)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from sangsaeng.accounts.models import User
from sangsaeng.demo.programmes import councils, finance, openlab, rnd, usecases
from sangsaeng.demo.programmes.context import build_context
from sangsaeng.partners.models import Partner

# The programmes notify people as they go (in-app, and an e-mail copy after commit). The demo's people
# all have example.com addresses, so the copies are not sent: during the load the mail backend drops
# them, and the in-app notifications stay for the demo logins to read.
QUIET_MAIL = "django.core.mail.backends.dummy.EmailBackend"


def load_programmes(
    *, host: Mapping[Any, User], reviewers: Iterable[User], partners: Iterable[Partner]
) -> Counter[str]:
    """Write (or complete) every programme's demo data; return what was created, by kind."""
    ctx = build_context(host=host, reviewers=reviewers, partners=partners)
    rnd.load(ctx)
    finance.load(ctx)
    openlab.load(ctx, usecases.load(ctx))
    councils.load(ctx)
    return ctx.created


__all__ = ["QUIET_MAIL", "load_programmes"]
