"""Bench data and endpoints of overseas expansion (글로벌), for `make bench`.

`generate_bench_data` writes, into the "scale" dataset: one-to-one proposals (some answered, some
overdue), global opportunities with partners' interests, exhibitions over five years with support
items, applications (selected ones within each exhibition's budget and booths, their items approved at
the requested amounts), outcomes, exchange rates and export records. Rows go in with bulk_create, each
one the services could have written (committed budget = the sum of the selected applications' approved
amounts; paid ≤ approved). Not written: the audit events and claims' receipt files (the pages measured
here read neither).

`bench_endpoints` lists the pages and API calls the runner times (lists and reports ≤ 150 ms).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from sangsaeng.accounts.models import Membership, OrganizationKind, Role, User
from sangsaeng.overseas.models import (
    ApplicationItem,
    ExchangeRate,
    Exhibition,
    ExhibitionApplication,
    ExhibitionOutcome,
    ExportRecord,
    GlobalOpportunity,
    OpportunityInterest,
    OverseasProposal,
    SupportItem,
)
from sangsaeng.partners.models import Partner, PartnerStatus

BENCH_DATA_VERSION = 1
BENCH_PROPOSALS = 3_000
BENCH_OPPORTUNITIES = 300
BENCH_EXHIBITIONS = 60
BENCH_APPLICATIONS_PER_EXHIBITION = 40
BENCH_PARTNERS = 800
BATCH = 2_000
PM_EMAIL = "pm@bench.example.com"
COUNTRIES = ("Vietnam", "Indonesia", "USA", "Spain", "Germany", "Japan", "UAE", "India", "Mexico", "Poland")
CURRENCIES = {"USD": Decimal("1320.5"), "EUR": Decimal("1450.2"), "JPY": Decimal("9.1")}
CAPS = {
    "booth_rental": 10_000_000,
    "exhibit_production": 5_000_000,
    "lodging": 3_000_000,
    "interpreter": 1_500_000,
}


def generate_bench_data(
    *,
    seed: int,
    log: Callable[[str], None],
    proposals: int = BENCH_PROPOSALS,
    opportunities: int = BENCH_OPPORTUNITIES,
    exhibitions: int = BENCH_EXHIBITIONS,
    per_exhibition: int = BENCH_APPLICATIONS_PER_EXHIBITION,
    partners: int = BENCH_PARTNERS,
) -> dict[str, Any]:
    """Write the overseas bench data; return what bench_endpoints needs (deterministic from `seed`)."""
    rng = random.Random(seed)
    today = timezone.localdate()
    pm = User.objects.get(email=PM_EMAIL)
    approved = list(
        Partner.objects.filter(status=PartnerStatus.APPROVED)
        .order_by("pk")
        .values_list("pk", "organization_id")
    )
    chosen = rng.sample(approved, k=min(partners, len(approved)))
    owner_of = dict(
        Membership.objects.filter(
            role=Role.OWNER,
            is_active=True,
            organization_id__in=[org for _pk, org in chosen],
            organization__kind=OrganizationKind.PARTNER,
        ).values_list("organization_id", "user_id")
    )
    chosen = [(pk, org) for pk, org in chosen if org in owner_of]
    with transaction.atomic():
        _proposals(rng, chosen, owner_of, pm, today, proposals)
        log(f"overseas: {proposals} proposals written")
        _opportunities(rng, chosen, owner_of, pm, today, opportunities)
        log(f"overseas: {opportunities} opportunities written")
        rates = [
            ExchangeRate(currency=code, rate_date=dt.date(year, 1, 2), krw_per_unit=rate, recorded_by=pm)
            for code, rate in CURRENCIES.items()
            for year in range(today.year - 5, today.year + 1)
        ]
        rates = ExchangeRate.objects.bulk_create(rates)
        applications = _exhibitions(rng, chosen, owner_of, pm, today, exhibitions, per_exhibition, rates)
        log(f"overseas: {exhibitions} exhibitions with {applications} applications written")
    partner_pk, partner_org = chosen[0]
    return {
        "version": BENCH_DATA_VERSION,
        "proposals": proposals,
        "exhibitions": exhibitions,
        "applications": applications,
        "owner_email": User.objects.get(pk=owner_of[partner_org]).email,
        "partner_id": partner_pk,
        "exhibition_id": Exhibition.objects.order_by("-starts_on", "-pk")
        .values_list("pk", flat=True)
        .first(),
        "year": today.year - 1,
    }


def _proposals(rng, chosen, owner_of, pm, today, count) -> None:  # type: ignore[no-untyped-def]
    rows = []
    for index in range(count):
        pk, org = rng.choice(chosen)
        answered = rng.random() < 0.7
        rows.append(
            OverseasProposal(
                partner_id=pk,
                submitted_by_id=owner_of[org],
                country=rng.choice(COUNTRIES),
                market=f"시장 {index % 40}",
                product=f"벤치 제품 {index}",
                ask="현지 고객 소개 요청",
                status="answered" if answered else "submitted",
                answer_due_on=today + dt.timedelta(days=rng.randint(-60, 14)),
                answer="검토 후 연락드리겠습니다." if answered else "",
                answered_by=pm if answered else None,
                answered_at=timezone.now() if answered else None,
            )
        )
    OverseasProposal.objects.bulk_create(rows, batch_size=BATCH)


def _opportunities(rng, chosen, owner_of, pm, today, count) -> None:  # type: ignore[no-untyped-def]
    created = GlobalOpportunity.objects.bulk_create(
        [
            GlobalOpportunity(
                title=f"벤치 사업 기회 {index}",
                country=rng.choice(COUNTRIES),
                sector=rng.choice(("Ports", "Smart factory", "Telecom", "Energy")),
                customer=f"Customer {index}",
                needs="Private 5G, routers, CCTV analytics",
                deadline=today + dt.timedelta(days=rng.randint(-200, 60)),
                language="en",
                status="open" if index % 3 else "closed",
                posted_by=pm,
            )
            for index in range(count)
        ],
        batch_size=BATCH,
    )
    interests = []
    for opportunity in created:
        for pk, org in rng.sample(chosen, k=min(10, len(chosen))):
            interests.append(
                OpportunityInterest(
                    opportunity=opportunity,
                    partner_id=pk,
                    submitted_by_id=owner_of[org],
                    capability_statement="5G 장비와 현지 레퍼런스 보유",
                    match_score=rng.randint(0, 12),
                    status=rng.choice(("expressed", "expressed", "shortlisted", "declined")),
                    decision_note="",
                )
            )
    OpportunityInterest.objects.bulk_create(interests, batch_size=BATCH)


def _exhibitions(rng, chosen, owner_of, pm, today, count, per_exhibition, rates) -> int:  # type: ignore[no-untyped-def]
    rate_of = {(rate.currency, rate.rate_date.year): rate for rate in rates}
    written = 0
    for index in range(count):
        starts = today - dt.timedelta(days=rng.randint(-60, 5 * 365))
        selected_count = min(per_exhibition // 2, 20)
        exhibition = Exhibition.objects.create(
            name=f"벤치 전시회 {index}",
            city=rng.choice(("Barcelona", "Las Vegas", "Berlin", "Hanoi", "Dubai")),
            country=rng.choice(COUNTRIES),
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=3),
            booths=selected_count + 5,
            budget_krw=400_000_000,
            application_deadline=starts - dt.timedelta(days=30),
            status="completed" if starts < today else "open",
            created_by=pm,
        )
        SupportItem.objects.bulk_create(
            SupportItem(exhibition=exhibition, kind=kind, cap_krw=cap) for kind, cap in CAPS.items()
        )
        applications, items, committed = [], [], 0
        for rank, (pk, org) in enumerate(rng.sample(chosen, k=min(per_exhibition, len(chosen)))):
            selected = rank < selected_count
            amounts = {kind: rng.randint(cap // 4, cap) for kind, cap in CAPS.items() if rng.random() < 0.7}
            amounts = amounts or {"booth_rental": 5_000_000}
            approved = sum(amounts.values()) if selected else 0
            committed += approved
            applications.append(
                ExhibitionApplication(
                    exhibition=exhibition,
                    partner_id=pk,
                    submitted_by_id=owner_of[org],
                    exhibits="5G 소형 기지국",
                    status="agreed" if selected else rng.choice(("submitted", "rejected")),
                    score=rng.randint(40, 100),
                    requested_krw=sum(amounts.values()),
                    approved_krw=approved,
                    paid_krw=approved // 2,
                )
            )
            items.append(amounts)
        created = ExhibitionApplication.objects.bulk_create(applications)
        ApplicationItem.objects.bulk_create(
            ApplicationItem(
                application=application,
                kind=kind,
                requested_krw=amount,
                approved_krw=amount if application.approved_krw else 0,
                paid_krw=amount // 2 if application.approved_krw else 0,
            )
            for application, amounts in zip(created, items, strict=True)
            for kind, amount in amounts.items()
        )
        # paid_krw of the application is the sum of its items' halves (integer halves may differ by 1)
        for application, amounts in zip(created, items, strict=True):
            if application.approved_krw:
                application.paid_krw = sum(amount // 2 for amount in amounts.values())
        ExhibitionApplication.objects.bulk_update(created, ["paid_krw"])
        Exhibition.objects.filter(pk=exhibition.pk).update(
            committed_krw=committed, booths_taken=selected_count
        )
        # Outcomes and exports only after the exhibition (an open one starts within the next 60 days).
        supported = [a for a in created if a.approved_krw] if starts < today else []
        ExhibitionOutcome.objects.bulk_create(
            ExhibitionOutcome(
                application=a,
                meetings_held=rng.randint(0, 30),
                mous=rng.randint(0, 3),
                contracts=rng.randint(0, 2),
                reported_by_id=a.submitted_by_id,
            )
            for a in supported
        )
        exports = []
        for application in supported:
            currency = rng.choice(tuple(CURRENCIES))
            rate = rate_of[(currency, starts.year)]
            amount = Decimal(rng.randint(1_000, 500_000))
            exports.append(
                ExportRecord(
                    partner_id=application.partner_id,
                    application=application,
                    year=starts.year,
                    country=exhibition.country,
                    currency=currency,
                    amount=amount,
                    rate=rate,
                    amount_krw=int(amount * rate.krw_per_unit),
                    reported_by_id=application.submitted_by_id,
                )
            )
        ExportRecord.objects.bulk_create(exports)
        written += len(created)
    return written


def bench_endpoints(info: dict[str, Any]) -> list[dict[str, Any]]:
    """The pages and API calls the bench times (GET, answering 200), with their p95 targets."""
    owner = info["owner_email"]
    endpoints = [
        ("overseas proposals (global unit)", "/overseas/proposals/", PM_EMAIL, False, 150),
        ("overseas overdue proposals (global unit)", "/overseas/proposals/?overdue=on", PM_EMAIL, False, 150),
        ("overseas my proposals (partner)", "/overseas/proposals/", owner, False, 150),
        ("overseas opportunities (global unit)", "/overseas/opportunities/", PM_EMAIL, False, 150),
        ("overseas exhibitions (global unit)", "/overseas/exhibitions/", PM_EMAIL, False, 150),
        (
            "overseas exhibition report",
            f"/overseas/exhibitions/{info['exhibition_id']}/report/",
            PM_EMAIL,
            False,
            150,
        ),
        ("overseas year report", f"/overseas/reports/year/?year={info['year']}", PM_EMAIL, False, 150),
        ("overseas partner record", f"/overseas/partners/{info['partner_id']}/record/", owner, False, 150),
        ("overseas API proposals (bearer)", "/api/v1/overseas/proposals", None, True, 150),
        ("overseas API exhibitions (bearer)", "/api/v1/overseas/exhibitions", None, True, 150),
    ]
    return [
        {"name": name, "path": path, "login": login, "bearer": bearer, "target_p95_ms": float(target)}
        for name, path, login, bearer, target in endpoints
    ]
