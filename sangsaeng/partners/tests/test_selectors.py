"""Selectors: who sees which partners, the directory query, the review queue and the dashboards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from sangsaeng.accounts.tests.factories import UserFactory
from sangsaeng.partners import selectors, services
from sangsaeng.partners.models import CollaborationField, DocumentKind, PartnerField, PartnerStatus
from sangsaeng.partners.selectors import DirectoryFilters
from sangsaeng.partners.tests.conftest import pdf_upload
from sangsaeng.partners.tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(cast):
    """The cast's two approved partners plus one pending and one suspended partner."""
    pending = PartnerFactory(status=PartnerStatus.PENDING, name_ko="대기중회사")
    suspended = PartnerFactory(status=PartnerStatus.SUSPENDED, name_ko="정지회사")
    return cast, pending, suspended


@pytest.mark.parametrize(
    "who", ["host_admin", "program_manager", "reviewer", "lab_operator", "auditor", "observer"]
)
def test_host_people_and_the_agency_see_every_partner(registry, who):
    cast, pending, suspended = registry

    visible = set(selectors.partners_for_user(getattr(cast, who)))

    assert visible == {cast.partner, cast.other_partner, pending, suspended}


def test_banks_see_approved_partners_only(registry):
    cast, pending, _suspended = registry

    assert set(selectors.partners_for_user(cast.loan_officer)) == {cast.partner, cast.other_partner}
    with pytest.raises(Http404):
        selectors.get_partner_for_user(cast.loan_officer, pending.pk)


@pytest.mark.parametrize("who", ["partner_owner", "partner_member"])
def test_partner_people_see_their_own_company_only(registry, who):
    cast, _pending, _suspended = registry

    assert list(selectors.partners_for_user(getattr(cast, who))) == [cast.partner]
    with pytest.raises(Http404):
        selectors.get_partner_for_user(getattr(cast, who), cast.other_partner.pk)


def test_a_person_without_organisation_sees_no_partner(registry):
    assert not selectors.partners_for_user(UserFactory()).exists()


def _names(user, **filters):
    return [p.name_ko for p in selectors.directory_for_user(user, DirectoryFilters(**filters))]


def test_directory_filters_by_status_size_tier_and_flags(cast):
    PartnerFactory(name_ko="일차소기업", size_class="small", tier=1, fair_trade_agreement=True)
    PartnerFactory(name_ko="이차중기업", size_class="medium", tier=2, is_representative=True)
    PartnerFactory(name_ko="대기사", status=PartnerStatus.PENDING, size_class="", tier=3)
    admin = cast.host_admin

    assert _names(admin, status="pending") == ["대기사"]
    assert _names(admin, size_class="small") == ["일차소기업"]
    assert "대기사" in _names(admin, size_class="none")
    assert _names(admin, tier=2) == ["이차중기업"]
    assert _names(admin, representative=True) == ["이차중기업"]
    assert _names(admin, fair_trade_agreement=True) == ["일차소기업"]


def test_directory_filters_by_collaboration_field(cast):
    field = CollaborationField.objects.get(code="area-global")
    PartnerField.objects.create(partner=cast.other_partner, field=field)

    assert _names(cast.host_admin, field="area-global") == [cast.other_partner.name_ko]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("한빛", ["한빛정밀"]),
        ("hanbit", ["한빛정밀"]),
        ("계측기", ["한빛정밀"]),
        ("mec", ["두리소프트"]),
        ("한빛 계측", ["한빛정밀"]),
        ("한빛 mec", []),
    ],
)
def test_directory_searches_names_capabilities_and_tags(cast, query, expected):
    PartnerFactory(name_ko="한빛정밀", name_en="Hanbit Precision", capabilities="RF 계측기 제조")
    PartnerFactory(name_ko="두리소프트", name_en="Duri Soft", capability_tags="5G, MEC")

    assert _names(cast.host_admin, q=query) == expected


def test_directory_searches_the_brn_with_or_without_hyphens(cast):
    partner = PartnerFactory(brn="1168200276")

    assert _names(cast.host_admin, q="116-82-00276") == [partner.name_ko]
    assert _names(cast.host_admin, q="8200276") == [partner.name_ko]


def test_directory_sorts(cast):
    PartnerFactory(name_ko="나중", tier=3, average_revenue_krw=5)
    PartnerFactory(name_ko="가장", tier=2, average_revenue_krw=50)
    host = cast.host_admin

    assert _names(host, sort="name")[0] == "가나다테크"
    assert _names(host, sort="-name")[0] == "라마바솔루션"
    assert _names(host, sort="-tier")[0] == "나중"
    assert _names(host, sort="-revenue")[:2] == ["가장", "나중"]
    assert _names(host, sort="revenue")[:2] == ["나중", "가장"]  # unknown revenue last either way
    assert _names(host, sort="-created")[0] == "가장"


def test_directory_list_runs_a_fixed_number_of_queries(cast, django_assert_num_queries):
    field = CollaborationField.objects.get(code="area-network")
    for _ in range(5):
        PartnerField.objects.create(partner=PartnerFactory(), field=field)
    host = cast.host_admin
    selectors.partners_for_user(host)  # membership cached on the user, as in a request

    with django_assert_num_queries(2):  # rows + fields
        rows = list(selectors.directory_for_user(host, DirectoryFilters()))
        [link.field.code for partner in rows for link in partner.field_links.all()]
    for _ in range(45):
        PartnerField.objects.create(partner=PartnerFactory(), field=field)
    with django_assert_num_queries(2):
        rows = list(selectors.directory_for_user(host, DirectoryFilters()))
        [link.field.code for partner in rows for link in partner.field_links.all()]
    assert len(rows) == 52


def test_review_queue_lists_waiting_partners_oldest_first(cast):
    old = PartnerFactory(status=PartnerStatus.PENDING, name_ko="오래된")
    new = PartnerFactory(status=PartnerStatus.CHANGES_REQUESTED, name_ko="새로운")
    old.status_changes.create(to_status="pending", created_at=timezone.now())
    old.status_changes.update(created_at=timezone.now() - dt.timedelta(days=10))
    PartnerFactory(status=PartnerStatus.REJECTED)

    assert list(selectors.review_queue_for_user(cast.reviewer)) == [old, new]
    with pytest.raises(PermissionDenied):
        selectors.review_queue_for_user(cast.partner_owner)


def test_dashboard_statistics_count_by_status_size_tier_and_field(cast):
    PartnerFactory(status=PartnerStatus.PENDING)
    PartnerFactory(size_class="small", tier=2)
    field = CollaborationField.objects.get(code="area-device")
    PartnerField.objects.create(partner=cast.partner, field=field)

    stats = selectors.dashboard_statistics(cast.auditor)

    by_status = {b.key: b.count for b in stats["by_status"]}
    assert (stats["total"], by_status["approved"], by_status["pending"]) == (4, 3, 1)
    assert {b.key: b.count for b in stats["by_tier"]}["2"] == 1
    assert {b.key: b.count for b in stats["by_size"]}["small"] == 1
    assert {b.key: b.count for b in stats["by_field"]}["area-device"] == 1
    assert max(b.percent for b in stats["by_status"]) == 100
    with pytest.raises(PermissionDenied):
        selectors.dashboard_statistics(cast.loan_officer)


def test_contacts_are_for_own_people_and_the_host_only(cast):
    ContactFactory(partner=cast.partner)

    assert selectors.contacts_for_user(cast.partner_member, cast.partner).count() == 1
    assert selectors.contacts_for_user(cast.host_admin, cast.partner).count() == 1
    # Host roles whose work does not need partner people (accounts/access.py) are refused too.
    for outsider in (cast.loan_officer, cast.observer, cast.reviewer, cast.auditor):
        with pytest.raises(PermissionDenied):
            selectors.contacts_for_user(outsider, cast.partner)


@pytest.mark.parametrize(
    ("who", "template"),
    [
        ("host_admin", "partners/home_host.html"),
        ("auditor", "partners/home_host.html"),
        ("partner_member", "partners/home_partner.html"),
        ("loan_officer", "partners/home_basic.html"),
        ("observer", "partners/home_basic.html"),
    ],
)
def test_home_context_picks_the_page_for_the_role(cast, who, template):
    assert selectors.home_context_for_user(getattr(cast, who))["template"] == template


def test_home_for_a_person_without_organisation_offers_sign_up(db):
    context = selectors.home_context_for_user(UserFactory())

    assert context == {"template": "partners/home_basic.html", "can_sign_up": True}


def test_next_steps_follow_the_partner_state(cast, pending):
    services.decide_partner(actor=cast.host_admin, partner=pending, decision="request_changes", reason="주소")
    pending.refresh_from_db()

    steps = selectors.next_steps_for_partner(pending.owner, pending)

    assert steps[0].urgent and "/edit/" in steps[0].url
    texts = " ".join(step.text for step in steps)
    assert "사업자등록증" in texts and "중소기업확인서" in texts

    services.upload_document(
        actor=pending.owner,
        partner=pending,
        kind=DocumentKind.BUSINESS_REGISTRATION,
        upload=pdf_upload(),
    )
    assert "사업자등록증" not in " ".join(
        step.text for step in selectors.next_steps_for_partner(pending.owner, pending)
    )


def test_directory_rows_carry_their_field_badges_in_two_queries(cast, django_assert_num_queries):
    technology = CollaborationField.objects.get(code="area-technology")
    network = CollaborationField.objects.get(code="area-network")
    PartnerField.objects.create(partner=cast.partner, field=technology, is_representative=True)
    PartnerField.objects.create(partner=cast.partner, field=network)
    host = cast.host_admin
    selectors.partners_for_user(host)

    taxonomy = list(CollaborationField.objects.all())
    with django_assert_num_queries(2):  # rows + badges, whatever the page size
        rows = selectors.with_field_badges(
            selectors.directory_rows_for_user(host, DirectoryFilters())[:50], taxonomy
        )
    with django_assert_num_queries(3):  # and the taxonomy when the caller has not loaded it
        selectors.with_field_badges(selectors.directory_rows_for_user(host, DirectoryFilters())[:50])

    badges = {row.pk: row.field_badges for row in rows}
    assert [(b.code, b.is_representative) for b in badges[cast.partner.pk]] == sorted(
        [("area-technology", True), ("area-network", False)],
        key=lambda item: (CollaborationField.objects.get(code=item[0]).sort_order, item[0]),
    )
    assert badges[cast.other_partner.pk] == []
