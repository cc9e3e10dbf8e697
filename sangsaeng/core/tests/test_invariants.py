"""check_invariants: every counter agrees with its rows after real service calls, and a counter moved
behind the services' back (or a row gone) is reported by name, with a non-zero exit."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

from sangsaeng.core.invariants import check_all, discover
from sangsaeng.core.tests.operations_data import make_operations_data
from sangsaeng.finance.models import CompanyExposure, FundBank, Loan, LoanApplication, LoanFund
from sangsaeng.openlab.models import BookingItem
from sangsaeng.rnd.models import Agreement, FundYear

pytestmark = pytest.mark.django_db


def failing(only: str = "") -> dict[str, list[str]]:
    return {
        r.name: [str(d) for d in r.differences] for r in check_all([only] if only else []) if r.differences
    }


def test_every_app_contributes_checks():
    names = {check.name for check in discover()}
    assert {
        "core.audit_chain",
        "rnd.fund_year_committed",
        "finance.pool_counters",
        "openlab.no_double_booking",
    } <= names
    assert all(check.description for check in discover())


def test_service_made_data_holds_every_invariant(cast, capsys):
    data = make_operations_data(cast)
    assert data.loan.balance_krw < data.loan.principal_krw and data.held.reserved_krw > 0
    assert failing() == {}
    call_command("check_invariants")
    assert "OK: " in capsys.readouterr().out


@pytest.mark.parametrize(
    ("corrupt", "check"),
    [
        (lambda d: FundYear.objects.update(committed_krw=F("committed_krw") - 1), "rnd.fund_year_committed"),
        (lambda d: FundYear.objects.update(paid_krw=F("paid_krw") + 1), "rnd.fund_year_paid"),
        (lambda d: Agreement.objects.update(paid_krw=F("paid_krw") - 1), "rnd.agreement_paid"),
        (lambda d: FundYear.objects.update(budget_krw=F("budget_krw") + 5), "rnd.ledger"),
        (lambda d: LoanFund.objects.update(reserved_krw=F("reserved_krw") + 1), "finance.fund_counters"),
        (
            lambda d: FundBank.objects.update(outstanding_krw=F("outstanding_krw") - 7),
            "finance.pool_counters",
        ),
        (
            lambda d: CompanyExposure.objects.filter(partner=d.held.partner).delete(),
            "finance.exposure_counters",
        ),
        (lambda d: Loan.objects.update(balance_krw=F("balance_krw") + 1), "finance.loan_balances"),
        (
            lambda d: LoanApplication.objects.filter(pk=d.held.pk).update(status="rejected"),
            "finance.application_reservations",
        ),
        (lambda d: BookingItem.objects.update(active=False), "openlab.items_follow_booking"),
    ],
)
def test_a_counter_that_disagrees_with_its_rows_is_reported(cast, corrupt, check):
    data = make_operations_data(cast)
    corrupt(data)
    assert check in failing(check.split(".")[0])
    with pytest.raises(CommandError, match="difference"):
        call_command("check_invariants", "--only", check)


def test_a_double_booked_resource_is_reported(cast):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's exclusion constraint refuses the overlapping item itself")
    data = make_operations_data(cast)
    item = data.booking.items.get()
    from sangsaeng.openlab.models import Booking

    other = Booking.objects.create(
        partner=data.booking.partner,
        requested_by=data.booking.requested_by,
        site=data.booking.site,
        start=item.start,
        end=item.end,
        purpose="겹침",
        state="approved",
    )
    BookingItem.objects.create(booking=other, resource=item.resource, start=item.start, end=item.end)
    problems = failing("openlab")
    assert list(problems) == ["openlab.no_double_booking"]
    assert f"booking #{other.pk}" in problems["openlab.no_double_booking"][0]
