"""Bench data and endpoints of the Open Lab (오픈랩) and the use-case pipeline, for `make bench`.

`generate_bench_data` writes, into the already-built "scale" dataset, 100 resources over the seeded
sites and zones (a mix of kinds and rules) and 100,000 bookings of bundles of 1–3 resources over
about two years (21 months back, 3 months ahead), plus a few thousand use cases for the managers'
board. Rows go in with bulk_create, but each is one the services could have written: bundles at one
site, within opening hours, off Korean public holidays and maintenance closures, on each resource's
granularity and duration rules, within its horizon, within the partners' monthly quotas, and active
items of a resource never overlap (non-holding bookings — cancelled, rejected, no-show — hold no
time). Not written: the audit events the services would have recorded for each booking (the pages
measured here do not read them; booking timelines of bench bookings are therefore empty).

`bench_endpoints` lists the pages and API calls the runner times, with their p95 targets (issue 5):
availability search for a 3-resource bundle over 90 days ≤ 200 ms, calendar week views ≤ 150 ms,
lists ≤ 150 ms.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.utils import timezone

from sangsaeng.accounts.models import Membership, OrganizationKind, Role, User
from sangsaeng.openlab import rules
from sangsaeng.openlab.models import (
    HOLDING_STATES,
    Booking,
    BookingItem,
    BookingState,
    Closure,
    OpeningHours,
    QuotaLedger,
    Resource,
    ResourceKind,
    Site,
    Zone,
)
from sangsaeng.partners.models import Partner, PartnerStatus

BENCH_DATA_VERSION = 1
BENCH_RESOURCES = 100
BENCH_BOOKINGS = 100_000
BENCH_USE_CASES = 3_000
BENCH_PARTNERS = 1_000  # approved partners that book the lab
DAYS_BACK = 640
DAYS_AHEAD = 89
BATCH = 2_000
RESOURCE_PREFIX = "벤치 "
LAB_EMAIL = "lab@bench.example.com"
PM_EMAIL = "pm@bench.example.com"
# The bundle the availability search asks for (issue 5: "a shielded room and a base station …").
SEARCH_KINDS = (ResourceKind.SHIELDED_ROOM, ResourceKind.TESTBED, ResourceKind.LOAN_DEVICE)
SEARCH_MINUTES = 240
SEARCH_DAYS = 90

# Kinds in the mix, with weights: rooms and devices are the most numerous.
KIND_WEIGHTS = {
    ResourceKind.PROJECT_ROOM: 14,
    ResourceKind.TEST_ROOM: 14,
    ResourceKind.SHIELDED_ROOM: 14,
    ResourceKind.TESTBED: 12,
    ResourceKind.MEC_SERVER: 12,
    ResourceKind.LOAN_DEVICE: 20,
    ResourceKind.INSTRUMENT: 14,
}
ZONE_FOR_KIND = {
    ResourceKind.PROJECT_ROOM: "media",
    ResourceKind.TEST_ROOM: "smart_x",
    ResourceKind.SHIELDED_ROOM: "infra",
    ResourceKind.TESTBED: "infra",
    ResourceKind.MEC_SERVER: "infra",
    ResourceKind.LOAN_DEVICE: "smart_x",
    ResourceKind.INSTRUMENT: "infra",
}
FEATURES = {
    ResourceKind.PROJECT_ROOM: "Display, video conference",
    ResourceKind.TEST_ROOM: "Private 5G, robot arm",
    ResourceKind.SHIELDED_ROOM: "RF shielding, 3.5GHz, 28GHz",
    ResourceKind.TESTBED: "SA, NSA, 3.5GHz",
    ResourceKind.MEC_SERVER: "GPU, Kubernetes",
    ResourceKind.LOAN_DEVICE: "5G SA handset",
    ResourceKind.INSTRUMENT: "Up to 44GHz",
}
PURPOSES = ("PoC 시험", "RF 측정", "단말 연동 시험", "MEC 지연 측정", "고객 시연", "AR/VR 스트리밍 시험")


def _batches(rows: list[Any], size: int = BATCH) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _bulk(model: Any, rows: list[Any]) -> list[Any]:
    created: list[Any] = []
    for chunk in _batches(rows):
        created.extend(model.objects.bulk_create(chunk))
    return created


def _resources(rng: random.Random, count: int, zones: dict[tuple[int, str], Zone]) -> list[Resource]:
    site_ids = sorted({site_id for site_id, _kind in zones})
    kinds = list(KIND_WEIGHTS)
    weights = list(KIND_WEIGHTS.values())
    rows: list[Resource] = []
    for number in range(count):
        # Each search kind gets at least one resource per site, then the weighted mix.
        kind = SEARCH_KINDS[number % 3] if number < 3 * len(site_ids) else rng.choices(kinds, weights)[0]
        site_id = site_ids[number % len(site_ids)]
        room = kind in (ResourceKind.PROJECT_ROOM, ResourceKind.TEST_ROOM, ResourceKind.SHIELDED_ROOM)
        rows.append(
            Resource(
                zone=zones[(site_id, ZONE_FOR_KIND[kind])],
                kind=kind,
                name=f"{RESOURCE_PREFIX}{ResourceKind(kind).label} {number + 1:03d}",
                capacity=rng.choice((4, 6, 8, 12)) if room else 1,
                features=FEATURES[kind],
                min_duration_minutes=rng.choice((60, 60, 120)),
                max_duration_minutes=rng.choice((240, 480, 480)),
                slot_minutes=rng.choice((30, 60)),
                advance_notice_hours=rng.choice((0, 24, 48)),
                horizon_days=rng.choice((90, 120, 180)),
                needs_approval=kind in (ResourceKind.SHIELDED_ROOM, ResourceKind.TESTBED)
                or rng.random() < 0.3,
                monthly_quota_hours=rng.choice((40, 60, 80)) if rng.random() < 0.4 else None,
            )
        )
    return _bulk(Resource, rows)


def _closures(
    rng: random.Random, resources: list[Resource], days: list[dt.date], site_ids: list[int]
) -> list[Closure]:
    """A maintenance day per site every ~two months, and a few half-day windows of single resources."""
    rows: list[Closure] = []
    for site_id in site_ids:
        for day in days[rng.randrange(20) :: 42]:
            rows.append(
                Closure(
                    site_id=site_id,
                    start=rules.at(day, dt.time(0)),
                    end=rules.at(day + dt.timedelta(days=1), dt.time(0)),
                    reason="정기 점검",
                )
            )
    for resource in rng.sample(resources, k=min(20, len(resources))):
        day = rng.choice(days)
        rows.append(
            Closure(
                site_id=resource.zone.site_id,
                resource=resource,
                start=rules.at(day, dt.time(9)),
                end=rules.at(day, dt.time(13)),
                reason="장비 교정",
            )
        )
    return _bulk(Closure, rows)


class _Floor:
    """Taken half-hours per (resource, day): the in-memory overlap guard of the generator."""

    def __init__(self) -> None:
        self.taken: dict[tuple[int, dt.date], set[int]] = defaultdict(set)

    def free(self, resource_ids: list[int], day: dt.date, first: int, count: int) -> bool:
        wanted = range(first, first + count)
        return all(self.taken[(pk, day)].isdisjoint(wanted) for pk in resource_ids)

    def take(self, resource_ids: list[int], day: dt.date, first: int, count: int) -> None:
        for pk in resource_ids:
            self.taken[(pk, day)].update(range(first, first + count))


def _state(rng: random.Random, start: dt.datetime, end: dt.datetime, now: dt.datetime) -> str:
    if end <= now:
        return rng.choices(
            (BookingState.COMPLETED, BookingState.NO_SHOW, BookingState.CANCELLED, BookingState.REJECTED),
            (78, 6, 11, 5),
        )[0]
    if start <= now:
        return BookingState.CHECKED_IN
    return rng.choices(
        (BookingState.APPROVED, BookingState.REQUESTED, BookingState.CANCELLED, BookingState.REJECTED),
        (60, 25, 11, 4),
    )[0]


def generate_bench_data(
    *,
    seed: int,
    log: Callable[[str], None],
    resources: int = BENCH_RESOURCES,
    bookings: int = BENCH_BOOKINGS,
    use_cases: int = BENCH_USE_CASES,
    partners: int = BENCH_PARTNERS,
) -> dict[str, Any]:
    """Write the Open Lab's and the use-case pipeline's bench data; return what bench_endpoints needs.

    Needs the scale dataset (host staff lab@/pm@ and approved partners with owners) and the seeded
    sites. Deterministic from `seed` (up to the current date: bookings are placed around today).
    """
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    lab = User.objects.get(email=LAB_EMAIL)
    sites = list(Site.objects.filter(is_active=True).order_by("pk"))
    site_ids = [site.pk for site in sites]
    zones = {(zone.site_id, zone.kind): zone for zone in Zone.objects.filter(site_id__in=site_ids)}
    hours = {
        site_id: rules.hours_by_weekday(OpeningHours.objects.filter(site_id=site_id)) for site_id in site_ids
    }
    approved = list(
        Partner.objects.filter(status=PartnerStatus.APPROVED)
        .order_by("pk")
        .values_list("pk", "organization_id")
    )
    booking_partners = rng.sample(approved, k=min(partners, len(approved)))
    owner_of = dict(
        Membership.objects.filter(
            role=Role.OWNER,
            is_active=True,
            organization_id__in=[org for _pk, org in booking_partners],
            organization__kind=OrganizationKind.PARTNER,
        ).values_list("organization_id", "user_id")
    )
    booking_partners = [(pk, org) for pk, org in booking_partners if org in owner_of]
    days = [
        day
        for offset in range(-DAYS_BACK, DAYS_AHEAD + 1)
        if not rules.is_public_holiday(day := today + dt.timedelta(days=offset))
    ]
    with transaction.atomic():
        created = _resources(rng, resources, zones)
        log(f"openlab: {len(created)} resources written")
        closures = _closures(rng, created, days, site_ids)
        log(f"openlab: {len(closures)} closures written")
        written, items = _bookings(
            rng, created, closures, days, hours, booking_partners, owner_of, lab, now, bookings
        )
        log(f"openlab: {written} bookings with {items} items written")
        cases = _use_cases(rng, booking_partners, owner_of, use_cases, now) if use_cases else 0
        log(f"usecases: {cases} use cases written")
    by_site: dict[int, list[Resource]] = defaultdict(list)
    for resource in created:
        by_site[resource.zone.site_id].append(resource)
    busiest_site = max(site_ids, key=lambda pk: len(by_site[pk]))
    partner_pk, partner_org = booking_partners[0]
    owner = User.objects.get(pk=owner_of[partner_org])
    return {
        "version": BENCH_DATA_VERSION,
        "resources": len(created),
        "bookings": written,
        "booking_items": items,
        "use_cases": cases,
        "owner_email": owner.email,
        "partner_id": partner_pk,
        "resource_id": by_site[busiest_site][0].pk,
        "site_id": busiest_site,
        "search_from": (today + dt.timedelta(days=1)).isoformat(),
        "search_to": (today + dt.timedelta(days=SEARCH_DAYS)).isoformat(),
        "week": rules.local(now).date().isoformat(),
    }


def _bookings(
    rng: random.Random,
    resources: list[Resource],
    closures: list[Closure],
    days: list[dt.date],
    hours: dict[int, dict[int, rules.Hours]],
    partners: list[tuple[int, int]],
    owner_of: dict[int, int],
    lab: User,
    now: dt.datetime,
    count: int,
) -> tuple[int, int]:
    floor = _Floor()
    by_site: dict[int, list[Resource]] = defaultdict(list)
    for resource in resources:
        by_site[resource.zone.site_id].append(resource)
    site_ids = [pk for pk in by_site if by_site[pk]]
    closed_days: set[tuple[int, dt.date]] = set()
    for closure in closures:
        day = rules.local(closure.start).date()
        if closure.resource_id is None:
            closed_days.add((closure.site_id, day))
        else:
            floor.take([closure.resource_id], day, 0, 48)  # the resource's whole day, to keep it simple
    quota_used: dict[tuple[int, int, dt.date], int] = defaultdict(int)
    ledger: set[tuple[int, dt.date]] = set()
    rows: list[tuple[Booking, list[int]]] = []
    attempts = 0
    while len(rows) < count and attempts < count * 20:
        attempts += 1
        site_id = rng.choice(site_ids)
        day = rng.choice(days)
        opening = hours[site_id].get(day.weekday())
        if opening is None or (site_id, day) in closed_days:
            continue
        bundle = rng.sample(
            by_site[site_id], k=min(rng.choices((1, 2, 3), (45, 35, 20))[0], len(by_site[site_id]))
        )
        shortest = max(r.min_duration_minutes for r in bundle) // 60
        longest = min(r.max_duration_minutes for r in bundle) // 60
        if shortest > longest:
            continue
        duration_hours = rng.randint(shortest, min(longest, 4))
        open_half = opening.opens.hour * 2 + opening.opens.minute // 30
        close_half = opening.closes.hour * 2 + opening.closes.minute // 30
        first = open_half + 2 * rng.randrange(max((close_half - open_half) // 2 - duration_hours + 1, 1))
        halves = duration_hours * 2
        if first + halves > close_half:
            continue
        ids = [r.pk for r in bundle]
        start = rules.at(day, dt.time(first // 2, 30 * (first % 2)))
        end = start + dt.timedelta(hours=duration_hours)
        if start > now and any(start > now + dt.timedelta(days=r.horizon_days) for r in bundle):
            continue
        state = _state(rng, start, end, now)
        holding = state in HOLDING_STATES
        if holding and not floor.free(ids, day, first, halves):
            continue
        partner_pk, partner_org = rng.choice(partners)
        month = day.replace(day=1)
        if holding:
            over = any(
                r.monthly_quota_hours is not None
                and quota_used[(partner_pk, r.pk, month)] + duration_hours * 60 > r.monthly_quota_hours * 60
                for r in bundle
            )
            if over:
                continue
            floor.take(ids, day, first, halves)
            for r in bundle:
                quota_used[(partner_pk, r.pk, month)] += duration_hours * 60
        ledger.add((partner_pk, month))
        auto = not any(r.needs_approval for r in bundle)
        if state == BookingState.REQUESTED and auto:
            state = BookingState.APPROVED  # an auto-approved bundle is never waiting for a decision
        decided = state not in (BookingState.REQUESTED, BookingState.CANCELLED)
        decided_at = min(start - dt.timedelta(days=rng.randint(2, 10)), now) if decided else None
        booking = Booking(
            partner_id=partner_pk,
            requested_by_id=owner_of[partner_org],
            site_id=site_id,
            start=start,
            end=end,
            state=state,
            purpose=rng.choice(PURPOSES),
            decided_by=lab if decided and not auto else None,
            decided_at=decided_at,
            decision_reason="일정이 겹치는 점검이 있습니다." if state == BookingState.REJECTED else "",
            checked_in_at=start if state in (BookingState.CHECKED_IN, BookingState.COMPLETED) else None,
            completed_at=end if state == BookingState.COMPLETED else None,
            cancelled_at=min(start - dt.timedelta(days=1), now) if state == BookingState.CANCELLED else None,
        )
        rows.append((booking, ids))
    created = _bulk(Booking, [booking for booking, _ids in rows])
    items = [
        BookingItem(
            booking=booking, resource_id=pk, start=booking.start, end=booking.end, active=booking.is_holding
        )
        for booking, (_same, ids) in zip(created, rows, strict=True)
        for pk in ids
    ]
    _bulk(BookingItem, items)
    _bulk(QuotaLedger, [QuotaLedger(partner_id=pk, month=month) for pk, month in sorted(ledger)])
    return len(created), len(items)


def _use_cases(
    rng: random.Random,
    partners: list[tuple[int, int]],
    owner_of: dict[int, int],
    count: int,
    now: dt.datetime,
) -> int:
    """Use cases over every stage, sponsored by the programme manager, each with its gate history."""
    from sangsaeng.usecases import services as usecase_services
    from sangsaeng.usecases.models import PIPELINE, Feature, GateDecision, Industry, Stage, UseCase

    pm = User.objects.get(email=PM_EMAIL)
    stages = [*PIPELINE, Stage.ON_HOLD, Stage.STOPPED]
    weights = [30, 15, 12, 8, 6, 5, 8, 10, 6]
    industries = list(Industry.values)
    features = list(Feature.values)
    rows: list[UseCase] = []
    histories: list[list[str]] = []
    for number in range(count):
        partner_pk, partner_org = rng.choice(partners)
        stage = rng.choices(stages, weights)[0]
        submitted = now - dt.timedelta(days=rng.randint(1, 700))
        reached = stage if stage in PIPELINE else rng.choice(PIPELINE[:4])
        path = list(PIPELINE[: PIPELINE.index(reached) + 1])
        if stage in (Stage.ON_HOLD, Stage.STOPPED):
            path.append(stage)
        rows.append(
            UseCase(
                partner_id=partner_pk,
                proposed_by_id=owner_of[partner_org],
                title=f"5G {rng.choice(('스마트팩토리', '원격 관제', 'AR 정비', '자율주행 로봇', '실감 미디어'))} 과제 {number + 1}",
                industry=rng.choice(industries),
                features=sorted(rng.sample(features, k=rng.randint(1, 3))),
                description="벤치 데이터: 5G 기반 서비스 제안",
                expected_customers="제조 중소기업",
                nda_accepted_at=submitted,
                nda_version=usecase_services.nda_version(),
                nda_text=usecase_services.nda_text(),
                sponsor=pm if stage != Stage.SUBMITTED or rng.random() < 0.5 else None,
                stage=stage,
                stage_entered_at=min(submitted + dt.timedelta(days=len(path) * 10), now),
                resume_stage=reached if stage == Stage.ON_HOLD else "",
                screening_due_on=usecase_services.add_months(timezone.localtime(submitted).date(), 2),
            )
        )
        histories.append(path)
    created = _bulk(UseCase, rows)
    decisions = [
        GateDecision(
            use_case=use_case,
            from_stage=path[index - 1],
            to_stage=path[index],
            scores={},
            reason="벤치: 기준 충족",
            decided_by=pm,
            decided_at=min(use_case.nda_accepted_at + dt.timedelta(days=index * 10), now),
        )
        for use_case, path in zip(created, histories, strict=True)
        for index in range(1, len(path))
    ]
    _bulk(GateDecision, decisions)
    return len(created)


def bench_endpoints(info: dict[str, Any]) -> list[dict[str, Any]]:
    """The pages and API calls the bench times (GET, answering 200), with their p95 targets."""
    owner = info["owner_email"]
    search = urlencode(
        [
            *[("kinds", str(kind)) for kind in SEARCH_KINDS],
            ("minutes", str(SEARCH_MINUTES)),
            ("date_from", info["search_from"]),
            ("date_to", info["search_to"]),
        ]
    )
    week = f"week={info['week']}"
    endpoints = [
        (
            "openlab availability 3-resource bundle, 4 h, 90 days",
            f"/openlab/availability/?{search}",
            owner,
            False,
            200,
        ),
        (
            "openlab API availability 3-resource bundle (bearer)",
            f"/api/v1/openlab/availability?{search}",
            None,
            True,
            200,
        ),
        (
            "openlab resource week",
            f"/openlab/resources/{info['resource_id']}/calendar/?{week}",
            owner,
            False,
            150,
        ),
        (
            "openlab site week (partner)",
            f"/openlab/sites/{info['site_id']}/calendar/?{week}",
            owner,
            False,
            150,
        ),
        (
            "openlab site week (lab operator)",
            f"/openlab/sites/{info['site_id']}/calendar/?{week}",
            LAB_EMAIL,
            False,
            150,
        ),
        (
            "openlab API site week (bearer)",
            f"/api/v1/openlab/sites/{info['site_id']}/calendar?{week}",
            None,
            True,
            150,
        ),
        ("openlab approvals queue", "/openlab/approvals/", LAB_EMAIL, False, 150),
        ("openlab today's check-ins", "/openlab/check-ins/", LAB_EMAIL, False, 150),
        ("openlab my bookings", "/openlab/bookings/", owner, False, 150),
        ("openlab API bookings (bearer)", "/api/v1/openlab/bookings", None, True, 150),
        ("openlab resources", "/openlab/", owner, False, 150),
    ]
    if info.get("use_cases"):
        endpoints += [
            ("usecases board", "/usecases/board/", PM_EMAIL, False, 150),
            ("usecases list (manager)", "/usecases/", PM_EMAIL, False, 150),
        ]
    return [
        {"name": name, "path": path, "login": login, "bearer": bearer, "target_p95_ms": float(target)}
        for name, path, login, bearer, target in endpoints
    ]
