"""50 concurrent approvals against one exhibition budget (threads acting as app servers): when k fit,
exactly k succeed and the budget is never exceeded. Runs on SQLite and, with DATABASE_URL, PostgreSQL."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.tests.factories import OrganizationFactory, make_member
from sangsaeng.core.testing import race
from sangsaeng.overseas import services
from sangsaeng.overseas.models import ApplicationItem, Exhibition, ExhibitionApplication, ExpenseClaim
from sangsaeng.overseas.tests.factories import make_application, make_exhibition
from sangsaeng.partners.tests.factories import make_partner_owner

THREADS = 50


def _manager():
    host = OrganizationFactory(kind=OrganizationKind.HOST)
    return make_member(OrganizationKind.HOST, Role.PROGRAM_MANAGER, host)


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_approvals_never_exceed_the_budget():
    manager = _manager()
    exhibition = make_exhibition(manager, budget_krw=7 * 8_000_000 + 5_000_000, booths=THREADS)
    applications = []
    for _ in range(THREADS):
        partner, owner = make_partner_owner()
        applications.append(make_application(exhibition, partner, owner, amounts={"booth_rental": 8_000_000}))

    succeeded, errors = race(
        *[
            (lambda app=app: services.approve_application(actor=manager, application=app))
            for app in applications
        ]
    )

    assert succeeded == 7
    assert len(errors) == THREADS - 7 and all(isinstance(e, ValidationError) for e in errors), errors[:3]
    exhibition.refresh_from_db()
    assert (exhibition.committed_krw, exhibition.booths_taken) == (56_000_000, 7)
    assert ExhibitionApplication.objects.filter(status="approved").count() == 7


@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_of_one_item_never_exceed_its_approved_amount():
    manager = _manager()
    exhibition = make_exhibition(manager)
    partner, owner = make_partner_owner()
    application = make_application(
        exhibition, partner, owner, amounts={"booth_rental": 8_000_000}, status="agreed"
    )
    item = ApplicationItem.objects.get(application=application)
    claims = [
        ExpenseClaim.objects.create(
            item=item, amount_krw=1_000_000, claimed_by=owner, receipt="r.pdf", receipt_name="r"
        )
        for _ in range(20)
    ]

    succeeded, errors = race(*[(lambda c=c: services.pay_claim(actor=manager, claim=c)) for c in claims])

    item.refresh_from_db()
    assert item.paid_krw == 8_000_000
    assert succeeded == 8 and all(isinstance(e, ValidationError) for e in errors), errors[:3]
    assert Exhibition.objects.get(pk=exhibition.pk).committed_krw == 0
