"""Reads: who sees which use cases, the showcase, the board with overdue flags, the funnel."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from sangsaeng.partners.models import PartnerStatus
from sangsaeng.partners.tests.factories import make_partner_owner
from sangsaeng.usecases import selectors, services
from sangsaeng.usecases.models import GateDecision, Industry, Stage
from sangsaeng.usecases.selectors import UseCaseFilters
from sangsaeng.usecases.tests.conftest import SCORES
from sangsaeng.usecases.tests.factories import make_use_case

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def test_partner_people_see_their_own_use_cases_the_host_sees_all_others_none(cast):
    own = make_use_case(cast.partner, cast.partner_owner)
    theirs = make_use_case(cast.other_partner, cast.other_partner_owner)

    assert list(selectors.use_case_rows_for_user(cast.partner_member)) == [own]
    assert list(selectors.use_case_rows_for_user(cast.other_partner_owner)) == [theirs]
    assert set(selectors.use_case_rows_for_user(cast.auditor)) == {own, theirs}
    assert not selectors.use_case_rows_for_user(cast.loan_officer).exists()
    assert not selectors.use_case_rows_for_user(cast.observer).exists()
    with pytest.raises(Http404):
        selectors.get_use_case_for_user(cast.partner_owner, theirs.pk)
    assert selectors.get_use_case_for_user(cast.program_manager, theirs.pk) == theirs


def test_the_showcase_shows_use_cases_past_screening_and_not_stopped_or_shelved(cast):
    shown = {
        stage: make_use_case(cast.other_partner, cast.other_partner_owner, stage=stage, title=f"uc-{stage}")
        for stage in Stage.values
    }
    visible = {use_case.stage for use_case in selectors.showcase_for_user(cast.partner_owner)}
    assert visible == {
        Stage.POC,
        Stage.VALIDATION,
        Stage.COMMERCIALISATION,
        Stage.OUTCOME_SHARING,
        Stage.MONITORING,
    }
    assert len(shown) == len(Stage.values)
    # Limited fields: the description (under the NDA) is not even loaded.
    item = selectors.showcase_for_user(cast.partner_owner).first()
    assert "description" in item.get_deferred_fields()


@pytest.mark.parametrize("who", ["loan_officer", "observer"])
def test_the_showcase_is_closed_to_banks_and_the_agency(cast, who):
    with pytest.raises(PermissionDenied):
        selectors.showcase_for_user(getattr(cast, who))


def test_the_showcase_is_closed_to_a_partner_under_review(cast):
    _partner, owner = make_partner_owner(status=PartnerStatus.PENDING)
    with pytest.raises(PermissionDenied):
        selectors.showcase_for_user(owner)


def test_overdue_means_screening_undecided_after_its_due_date(cast):
    late = make_use_case(cast.partner, cast.partner_owner, due=TODAY - datetime.timedelta(days=1))
    late_screening = make_use_case(
        cast.partner, cast.partner_owner, stage=Stage.SCREENING, due=TODAY - datetime.timedelta(days=10)
    )
    make_use_case(cast.partner, cast.partner_owner, due=TODAY)  # due today: not yet late
    make_use_case(cast.partner, cast.partner_owner, stage=Stage.POC, due=TODAY - datetime.timedelta(days=30))

    assert list(selectors.overdue_use_cases(TODAY)) == [late_screening, late]
    assert late.is_overdue(TODAY) and not late.is_overdue(TODAY - datetime.timedelta(days=2))
    flags = {uc.pk: uc.overdue for uc in selectors.use_case_rows_for_user(cast.host_admin, today=TODAY)}
    assert flags[late.pk] and flags[late_screening.pk]
    assert sum(flags.values()) == 2


def test_passing_screening_clears_the_overdue_flag(cast):
    use_case = make_use_case(
        cast.partner,
        cast.partner_owner,
        stage=Stage.SCREENING,
        sponsor=cast.reviewer,
        due=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert list(selectors.overdue_use_cases()) == [use_case]
    services.decide_gate(
        actor=cast.reviewer, use_case=use_case, to_stage=Stage.POC, scores=SCORES, reason="ok"
    )
    assert not selectors.overdue_use_cases().exists()


def test_the_board_counts_by_stage_and_flags_overdue(cast):
    for _ in range(3):
        make_use_case(cast.partner, cast.partner_owner, due=TODAY - datetime.timedelta(days=1))
    make_use_case(cast.other_partner, cast.other_partner_owner, stage=Stage.POC, sponsor=cast.reviewer)
    make_use_case(cast.other_partner, cast.other_partner_owner, stage=Stage.STOPPED)

    board = selectors.board_for_user(cast.program_manager, today=TODAY)
    counts = {column.stage: (column.count, column.overdue) for column in board.columns}
    assert counts[Stage.SUBMITTED] == (3, 3)
    assert counts[Stage.POC] == (1, 0)
    assert counts[Stage.STOPPED] == (1, 0)
    assert (board.total, board.overdue) == (5, 3)
    assert [column.stage for column in board.columns][-2:] == [Stage.ON_HOLD, Stage.STOPPED]
    assert all(card.overdue for card in board.columns[0].cards)


def test_the_board_filters(cast):
    make_use_case(cast.partner, cast.partner_owner, industry=Industry.ENERGY, features=["mmtc"])
    mine = make_use_case(cast.partner, cast.partner_owner, sponsor=cast.reviewer, features=["embb", "mec"])
    late = make_use_case(cast.partner, cast.partner_owner, due=TODAY - datetime.timedelta(days=3))

    def total(user, **filters):
        return selectors.board_for_user(user, UseCaseFilters(**filters), today=TODAY).total

    assert total(cast.program_manager, industry=Industry.ENERGY) == 1
    assert total(cast.program_manager, feature="mec") == 2  # the factory's default features include MEC
    assert total(cast.program_manager, feature="mmtc") == 1
    assert total(cast.program_manager, feature="slicing") == 0
    assert total(cast.reviewer, sponsor="me") == 1
    assert total(cast.program_manager, sponsor="none") == 2
    assert total(cast.program_manager, overdue=True) == 1
    assert total(cast.program_manager, q=mine.partner.name_ko) == 3
    assert late.pk != mine.pk


@pytest.mark.parametrize("who", ["partner_owner", "loan_officer", "observer"])
def test_the_board_and_the_report_are_for_the_host(cast, who):
    with pytest.raises(PermissionDenied):
        selectors.board_for_user(getattr(cast, who))
    with pytest.raises(PermissionDenied):
        selectors.funnel_for_user(getattr(cast, who))


def test_the_funnel_counts_who_reached_each_stage_and_the_days_spent(cast):
    start = timezone.now() - datetime.timedelta(days=30)
    a = make_use_case(cast.partner, cast.partner_owner, stage=Stage.POC)
    b = make_use_case(cast.partner, cast.partner_owner, stage=Stage.SCREENING)
    GateDecision.objects.filter(use_case__in=[a, b]).update(decided_at=start)
    for use_case, moves in ((a, [(Stage.SCREENING, 10), (Stage.POC, 20)]), (b, [(Stage.SCREENING, 4)])):
        previous = Stage.SUBMITTED
        for stage, day in moves:
            GateDecision.objects.create(
                use_case=use_case,
                from_stage=previous,
                to_stage=stage,
                reason="r",
                decided_by=cast.reviewer,
                decided_at=start + datetime.timedelta(days=day),
            )
            previous = stage

    rows = {
        row.stage: row
        for row in selectors.funnel_for_user(cast.auditor, now=start + datetime.timedelta(days=30))
    }
    assert (rows[Stage.SUBMITTED].reached, rows[Stage.SCREENING].reached, rows[Stage.POC].reached) == (
        2,
        2,
        1,
    )
    assert (rows[Stage.SCREENING].current, rows[Stage.POC].current) == (1, 1)
    assert rows[Stage.SUBMITTED].average_days == 7.0  # 10 and 4 days
    assert rows[Stage.SCREENING].median_days == 18.0  # a: 10 days, b: 26 days and counting
    assert rows[Stage.POC].average_days == 10.0
    assert rows[Stage.VALIDATION].reached == 0 and rows[Stage.VALIDATION].average_days is None


def test_stopped_is_an_end_not_a_stay_in_the_time_report(cast):
    use_case = make_use_case(cast.partner, cast.partner_owner, stage=Stage.STOPPED)
    start = timezone.now() - datetime.timedelta(days=10)
    GateDecision.objects.filter(use_case=use_case).update(decided_at=start)
    GateDecision.objects.create(
        use_case=use_case,
        from_stage=Stage.SUBMITTED,
        to_stage=Stage.STOPPED,
        reason="r",
        decided_by=cast.reviewer,
        decided_at=start + datetime.timedelta(days=2),
    )
    rows = {row.stage: row for row in selectors.funnel_for_user(cast.auditor)}
    assert rows[Stage.SUBMITTED].average_days == 2.0
    assert (rows[Stage.STOPPED].reached, rows[Stage.STOPPED].average_days) == (1, None)


def test_only_own_use_cases_in_poc_or_validation_can_be_linked_to_a_lab_booking(cast):
    poc = make_use_case(cast.partner, cast.partner_owner, stage=Stage.POC)
    validation = make_use_case(cast.partner, cast.partner_owner, stage=Stage.VALIDATION)
    make_use_case(cast.partner, cast.partner_owner, stage=Stage.SCREENING)
    theirs = make_use_case(cast.other_partner, cast.other_partner_owner, stage=Stage.POC)

    assert set(selectors.bookable_use_cases_for_user(cast.partner_member)) == {poc, validation}
    assert set(selectors.bookable_use_cases_for_user(cast.lab_operator)) == {poc, validation, theirs}
    assert not selectors.bookable_use_cases_for_user(cast.loan_officer).exists()


def test_the_shelf_is_searchable_by_description_but_the_showcase_search_is_not(cast):
    shelved = make_use_case(
        cast.other_partner, cast.other_partner_owner, stage=Stage.ON_HOLD, resume_stage=Stage.POC
    )
    shown = make_use_case(cast.other_partner, cast.other_partner_owner, stage=Stage.POC, title="공개 PoC")
    word = "URLLC로"  # in the factory's description

    found = selectors.use_case_rows_for_user(
        cast.program_manager, UseCaseFilters(q=word, stage=Stage.ON_HOLD)
    )
    assert list(found) == [shelved]
    assert not selectors.showcase_for_user(cast.partner_owner, UseCaseFilters(q=word)).exists()
    assert list(selectors.showcase_for_user(cast.partner_owner, UseCaseFilters(q="공개"))) == [shown]


def test_the_board_page_shows_the_same_cards_in_the_same_order_as_the_board(cast):
    for i in range(selectors.BOARD_COLUMN_LIMIT + 3):
        make_use_case(
            cast.partner,
            cast.partner_owner,
            due=TODAY + datetime.timedelta(days=(i % 5) - 2),  # some overdue, some not, ties on due
            sponsor=cast.reviewer if i % 2 else None,
        )
    make_use_case(cast.other_partner, cast.other_partner_owner, stage=Stage.POC)

    board = selectors.board_for_user(cast.program_manager, today=TODAY)
    page = selectors.board_page_for_user(cast.program_manager, today=TODAY)
    assert (page.total, page.overdue) == (board.total, board.overdue)
    for column, page_column in zip(board.columns, page.columns, strict=True):
        assert (page_column.stage, page_column.count, page_column.overdue, page_column.more) == (
            column.stage,
            column.count,
            column.overdue,
            column.more,
        )
        shown = [int(pk) for pk in re.findall(r'href="/usecases/(\d+)/"', page_column.cards_html)]
        assert shown == [card.pk for card in column.cards]
        assert page_column.cards_html.count("border-danger") == sum(card.overdue for card in column.cards)
    assert page.columns[0].more == 3
