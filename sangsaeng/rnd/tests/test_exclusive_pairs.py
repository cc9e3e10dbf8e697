"""Mutually exclusive proposal pairs stored on a call: added and removed by the manager (page and
API), audited, and honoured by every optimiser run besides the pairs given per run."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sangsaeng.core.models import AuditEvent
from sangsaeng.rnd import services
from sangsaeng.rnd.models import ExclusivePair, ProposalStatus
from sangsaeng.rnd.tests.factories import make_call, make_fund_year, make_proposal, make_review

pytestmark = pytest.mark.django_db
BASE = "/api/v1/rnd"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _setup(cast, reviewers):
    """Budget 300: 'big' (300, score 9) or 'left'+'right' (150 each, score 8): optimal takes the two."""
    call = make_call(make_fund_year(300), max_per_partner_krw=10**9, max_request_krw=10**9)
    proposals = {}
    for title, cost, score in [("big", 300, 9), ("left", 150, 8), ("right", 150, 8)]:
        proposal = make_proposal(
            call, cast.partner, status=ProposalStatus.UNDER_REVIEW, requested_krw=cost, title=title
        )
        make_review(proposal, reviewers[0], (score,) * 3)
        proposals[title] = proposal
    return call, proposals


def _state():
    return list(ExclusivePair.objects.values_list("first_id", "second_id")), AuditEvent.objects.count()


def test_a_stored_pair_is_honoured_by_every_run_and_audited(cast, reviewers):
    call, p = _setup(cast, reviewers)
    free = services.run_selection(actor=cast.program_manager, call=call)
    assert free.result["optimal"]["ids"] == sorted([p["left"].pk, p["right"].pk])

    pair = services.add_exclusive_pair(
        actor=cast.program_manager, call=call, first_id=p["right"].pk, second_id=p["left"].pk
    )
    run = services.run_selection(actor=cast.program_manager, call=call)

    assert (pair.first_id, pair.second_id) == tuple(sorted([p["left"].pk, p["right"].pk]))
    assert run.result["optimal"]["ids"] == [p["big"].pk]
    assert run.parameters["stored_exclusive"] == [[pair.first_id, pair.second_id]]
    assert AuditEvent.objects.filter(action="rnd.add_exclusive_pair", object_id=str(call.pk)).count() == 1

    services.remove_exclusive_pair(actor=cast.program_manager, pair=pair)

    again = services.run_selection(actor=cast.program_manager, call=call)
    assert again.result["optimal"]["ids"] == sorted([p["left"].pk, p["right"].pk])
    assert AuditEvent.objects.filter(action="rnd.remove_exclusive_pair").count() == 1


def test_stored_and_per_run_pairs_count_together(cast, reviewers):
    call, p = _setup(cast, reviewers)
    services.add_exclusive_pair(
        actor=cast.program_manager, call=call, first_id=p["left"].pk, second_id=p["big"].pk
    )

    run = services.run_selection(
        actor=cast.program_manager, call=call, exclusive=[(p["right"].pk, p["big"].pk)]
    )

    # big excludes both others; left+right (16) beats big (9)
    assert run.result["optimal"]["ids"] == sorted([p["left"].pk, p["right"].pk])
    assert run.parameters["exclusive"] == [[p["right"].pk, p["big"].pk]]


@pytest.mark.parametrize(
    "pick",
    [
        lambda p, other: (p["left"].pk, p["left"].pk),  # the same proposal twice
        lambda p, other: (p["left"].pk, other.pk),  # a proposal of another call
        lambda p, other: (p["left"].pk, 999_999),  # no such proposal
    ],
)
def test_bad_pairs_are_refused_and_nothing_changes(cast, reviewers, pick):
    call, p = _setup(cast, reviewers)
    other = make_proposal(make_call(), cast.partner, status=ProposalStatus.UNDER_REVIEW)
    before = _state()

    first, second = pick(p, other)
    with pytest.raises(ValidationError):
        services.add_exclusive_pair(actor=cast.program_manager, call=call, first_id=first, second_id=second)
    assert _state() == before


def test_a_draft_cannot_be_paired_and_a_pair_is_stored_once(cast, reviewers):
    call, p = _setup(cast, reviewers)
    draft = make_proposal(call, cast.partner)
    with pytest.raises(ValidationError):
        services.add_exclusive_pair(
            actor=cast.program_manager, call=call, first_id=p["big"].pk, second_id=draft.pk
        )
    services.add_exclusive_pair(
        actor=cast.program_manager, call=call, first_id=p["big"].pk, second_id=p["left"].pk
    )
    before = _state()

    with pytest.raises(ValidationError):
        services.add_exclusive_pair(
            actor=cast.program_manager, call=call, first_id=p["left"].pk, second_id=p["big"].pk
        )
    assert _state() == before


def test_pairs_are_frozen_once_decisions_are_published(cast, reviewers):
    call, p = _setup(cast, reviewers)
    pair = services.add_exclusive_pair(
        actor=cast.program_manager, call=call, first_id=p["big"].pk, second_id=p["left"].pk
    )
    type(call).objects.filter(pk=call.pk).update(decisions_published_at=timezone.now())
    before = _state()

    with pytest.raises(ValidationError):
        services.add_exclusive_pair(
            actor=cast.program_manager, call=call, first_id=p["right"].pk, second_id=p["left"].pk
        )
    with pytest.raises(ValidationError):
        services.remove_exclusive_pair(actor=cast.program_manager, pair=pair)
    assert _state() == before


@pytest.mark.parametrize("who", ["auditor", "reviewer", "partner_owner"])
def test_only_managers_store_pairs(cast, reviewers, who):
    call, p = _setup(cast, reviewers)
    before = _state()

    with pytest.raises(PermissionDenied):
        services.add_exclusive_pair(
            actor=getattr(cast, who), call=call, first_id=p["big"].pk, second_id=p["left"].pk
        )
    assert _state() == before


def test_the_api_lists_adds_and_removes_pairs(login, cast, reviewers):
    call, p = _setup(cast, reviewers)
    client = login(cast.program_manager)
    url = f"{BASE}/calls/{call.pk}/exclusive-pairs"

    created = client.post(
        url, json.dumps({"first_id": p["big"].pk, "second_id": p["left"].pk}), content_type="application/json"
    )
    listed = client.get(url).json()
    refused = client.post(
        url,
        json.dumps({"first_id": p["big"].pk, "second_id": p["big"].pk}),
        content_type="application/json",
        **EN,
    )

    assert created.status_code == 201 and created.json()["first_title"] == "big"
    assert [(row["first_id"], row["second_id"]) for row in listed] == [(p["big"].pk, p["left"].pk)]
    assert refused.status_code == 422 and "second_id" in refused.json()["error"]["fields"]
    assert client.delete(f"{url}/{created.json()['id']}").status_code == 204
    assert not ExclusivePair.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("auditor", 403), ("reviewer", 404), ("other_partner_owner", 404)]
)
def test_the_pair_api_refuses_others_and_changes_nothing(login, cast, reviewers, who, status):
    call, p = _setup(cast, reviewers)
    pair = services.add_exclusive_pair(
        actor=cast.program_manager, call=call, first_id=p["big"].pk, second_id=p["left"].pk
    )
    before = _state()
    client = login(getattr(cast, who))
    url = f"{BASE}/calls/{call.pk}/exclusive-pairs"

    added = client.post(
        url,
        json.dumps({"first_id": p["right"].pk, "second_id": p["left"].pk}),
        content_type="application/json",
    )
    removed = client.delete(f"{url}/{pair.pk}")

    assert (added.status_code, removed.status_code) == (status, status)
    assert _state() == before


def test_a_manager_adds_and_removes_a_pair_on_the_selection_page(login, cast, reviewers):
    call, p = _setup(cast, reviewers)
    client = login(cast.program_manager)

    response = client.post(
        reverse("rnd:pair_add", args=[call.pk]), {"first_id": p["big"].pk, "second_id": p["right"].pk}
    )
    page = client.get(reverse("rnd:call_selection", args=[call.pk])).content.decode()
    pair = ExclusivePair.objects.get()

    assert response.status_code == 302 and "big" in page and "right" in page
    assert client.post(reverse("rnd:pair_remove", args=[call.pk, pair.pk])).status_code == 302
    assert not ExclusivePair.objects.exists()


def test_the_selection_page_run_uses_the_stored_pair(login, cast, reviewers):
    call, p = _setup(cast, reviewers)
    services.add_exclusive_pair(
        actor=cast.program_manager, call=call, first_id=p["left"].pk, second_id=p["right"].pk
    )
    client = login(cast.program_manager)

    response = client.post(
        reverse("rnd:call_selection", args=[call.pk]), {"theme_min": "", "theme_max": "", "exclusive": ""}
    )

    assert response.status_code == 302
    run = call.selection_runs.first()
    assert run.result["optimal"]["ids"] == [p["big"].pk]
