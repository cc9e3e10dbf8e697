"""Open Lab (오픈랩) of the demo: bookings of the seeded 우면 and 판교 resources in every state — a
request waiting for the lab, approved ones (one the demo partner's PoC of its use case), one
checked in and completed ones in the past — written with the booking rules of the day they were made."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sangsaeng.demo.programmes.context import DemoContext
from sangsaeng.openlab import rules, services
from sangsaeng.openlab.models import Booking, BookingState, OpeningHours, Resource, Site
from sangsaeng.partners.models import Partner
from sangsaeng.usecases.models import UseCase


@dataclass(frozen=True)
class BookingStory:
    purpose: str
    site: str
    kinds: tuple[str, ...]
    day: str  # "past", "today" or "future": which open day (see _day)
    offset: int  # open days away from today in that direction
    hours: tuple[int, int]
    state: str
    poc: bool = False


STORIES = (
    BookingStory(
        "PoC: 5G 특화망 AI 비전 품질검사 (기지국·MEC 연동 시험)",
        "umyeon",
        ("testbed", "mec_server"),
        "future",
        5,
        (10, 16),
        BookingState.APPROVED,
        poc=True,
    ),
    BookingStory(
        "5G 산업용 라우터 시제품 회의",
        "umyeon",
        ("project_room",),
        "future",
        2,
        (14, 16),
        BookingState.APPROVED,
    ),
    BookingStory(
        "5G 단말 전자파 차폐 시험",
        "pangyo",
        ("shielded_room", "instrument"),
        "future",
        3,
        (9, 13),
        BookingState.REQUESTED,
    ),
    BookingStory(
        "스마트팩토리 로봇 제어 지연 측정",
        "pangyo",
        ("test_room", "loan_device"),
        "today",
        0,
        (9, 17),
        BookingState.CHECKED_IN,
    ),
    BookingStory(
        "MEC 영상분석 서버 부하 시험", "umyeon", ("mec_server",), "past", 6, (10, 15), BookingState.COMPLETED
    ),
    BookingStory(
        "AR 원격 정비 시연 준비", "pangyo", ("project_room",), "past", 12, (13, 17), BookingState.COMPLETED
    ),
    BookingStory(
        "기지국 연동 규격 시험", "umyeon", ("testbed",), "future", 8, (9, 12), BookingState.REQUESTED
    ),
)


def _open_days(site: Site) -> set[int]:
    return set(OpeningHours.objects.filter(site=site).values_list("weekday", flat=True))


def _is_open(day: dt.date, weekdays: set[int]) -> bool:
    return day.weekday() in weekdays and not rules.is_public_holiday(day)


def _day(ctx: DemoContext, story: BookingStory, weekdays: set[int]) -> dt.date:
    """The `offset`-th open day after (future) or before (past) today; "today" is the latest open day
    on which the lab has already been open for a while (today once it opened, else an earlier day)."""
    if story.day == "today":
        day = ctx.today
        while not (_is_open(day, weekdays) and ctx.at(day, story.hours[0], 10) <= ctx.now):
            day -= dt.timedelta(days=1)
        return day
    step = dt.timedelta(days=1 if story.day == "future" else -1)
    day, left = ctx.today, story.offset
    while left:
        day += step
        if _is_open(day, weekdays):
            left -= 1
    return day


def _resources(site: Site, kinds: tuple[str, ...]) -> list[Resource]:
    return [
        Resource.objects.select_related("zone")
        .filter(zone__site=site, kind=kind, is_active=True)
        .order_by("pk")[0]
        for kind in kinds
    ]


def _book(ctx: DemoContext, partner: Partner, story: BookingStory, use_case: UseCase | None) -> None:
    if Booking.objects.filter(purpose=story.purpose).exists():
        return
    site = Site.objects.get(code=story.site)
    day = _day(ctx, story, _open_days(site))
    start, end = ctx.at(day, story.hours[0]), ctx.at(day, story.hours[1])
    resources = _resources(site, story.kinds)
    # A booking in the past was made before it, under the rules of that day (notice, horizon).
    booked_at = min(ctx.now, start - dt.timedelta(days=3))
    booking = services.book(
        actor=ctx.fresh(ctx.owner(partner)),
        resources=resources,
        start=start,
        end=end,
        purpose=story.purpose,
        use_case=use_case if story.poc else None,
        now=booked_at,
    )
    ctx.created["openlab_bookings"] += 1
    lab = ctx.fresh(ctx.lab)
    if story.state == BookingState.REQUESTED:
        return
    if booking.state == BookingState.REQUESTED:
        booking = services.approve_booking(actor=lab, booking=booking)
    if story.state in (BookingState.CHECKED_IN, BookingState.COMPLETED):
        booking = services.check_in(
            actor=lab,
            booking=booking,
            notes="출입 등록, 장비 상태 양호",
            now=start + dt.timedelta(minutes=10),
        )
    if story.state == BookingState.COMPLETED:
        services.complete_booking(
            actor=lab, booking=booking, notes="장비 반납 확인", now=end - dt.timedelta(minutes=5)
        )


def load(ctx: DemoContext, demo_use_case: UseCase) -> None:
    others = ctx.pick(120, 4)
    partners = [
        ctx.demo_partner,
        ctx.demo_partner,
        others[0],
        others[1],
        others[2],
        ctx.demo_partner,
        others[3],
    ]
    for partner, story in zip(partners, STORIES, strict=True):
        _book(ctx, partner, story, demo_use_case)
