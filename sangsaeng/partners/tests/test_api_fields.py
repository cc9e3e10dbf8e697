"""PUT /api/v1/partners/{id}/fields: the partner page's collaboration-fields form through the API —
the same service (one representative partner per field), audited, host deciders only."""

from __future__ import annotations

import json

import pytest

from sangsaeng.core.models import AuditEvent
from sangsaeng.partners.models import CollaborationField, PartnerField

pytestmark = pytest.mark.django_db


def _put(client, partner_id, body):
    return client.put(
        f"/api/v1/partners/{partner_id}/fields", data=json.dumps(body), content_type="application/json"
    )


def _state():
    return list(PartnerField.objects.order_by("pk").values()), AuditEvent.objects.count()


def test_host_sets_fields_and_representation_like_the_page(login, cast):
    technology = CollaborationField.objects.get(code="area-technology")
    content = CollaborationField.objects.get(code="area-content")

    response = _put(
        login(cast.host_admin),
        cast.partner.pk,
        {"field_ids": [technology.pk, content.pk], "representative_field_ids": [technology.pk]},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["is_representative"] is True
    assert {item["code"] for item in body["fields"]} >= {"area-technology", "area-content"}
    links = {(link.field.code, link.is_representative) for link in cast.partner.field_links.all()}
    assert links == {("area-technology", True), ("area-content", False)}
    event = AuditEvent.objects.get(action="partners.set_partner_fields", object_id=str(cast.partner.pk))
    assert event.changes["representative_of"] == [[], ["area-technology"]]

    cleared = _put(login(cast.host_admin), cast.partner.pk, {"field_ids": []})
    assert cleared.status_code == 200 and cleared.json()["fields"] == []
    assert not cast.partner.field_links.exists()


def test_a_field_with_another_representative_is_refused_in_korean_and_nothing_changes(login, cast):
    technology = CollaborationField.objects.get(code="area-technology")
    PartnerField.objects.create(partner=cast.other_partner, field=technology, is_representative=True)
    before = _state()

    response = _put(
        login(cast.host_admin),
        cast.partner.pk,
        {"field_ids": [technology.pk], "representative_field_ids": [technology.pk]},
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert "라마바솔루션" in error["fields"]["representative_fields"][0]
    assert "대표" in error["fields"]["representative_fields"][0]
    assert _state() == before


@pytest.mark.parametrize(
    "body, field",
    [
        ({"field_ids": [999999]}, "fields"),
        ({"field_ids": [], "representative_field_ids": "x"}, "representative_field_ids"),
        ({"field_ids": list(range(101))}, "field_ids"),
        ({}, "field_ids"),
    ],
)
def test_bad_input_is_a_422_with_the_field_named(login, cast, body, field):
    before = _state()

    response = _put(login(cast.host_admin), cast.partner.pk, body)

    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    assert _state() == before


def test_a_representative_field_must_be_one_of_the_fields(login, cast):
    technology = CollaborationField.objects.get(code="area-technology")

    response = _put(
        login(cast.host_admin),
        cast.partner.pk,
        {"field_ids": [], "representative_field_ids": [technology.pk]},
    )

    assert response.status_code == 422
    assert "representative_fields" in response.json()["error"]["fields"]


@pytest.mark.parametrize("who", ["partner_owner", "partner_member", "loan_officer", "observer"])
def test_others_are_refused_and_nothing_changes(login, cast, who):
    technology = CollaborationField.objects.get(code="area-technology")
    before = _state()

    response = _put(login(getattr(cast, who)), cast.partner.pk, {"field_ids": [technology.pk]})

    # Their own company: 403; a company they may list but not change: 403 (or 404 if unseen).
    assert response.status_code in (403, 404)
    if who.startswith("partner"):
        assert response.status_code == 403
    assert _state() == before


@pytest.mark.parametrize("bad", [[True], [0], [2**64]])
def test_field_ids_must_be_ids(login, cast, bad):
    before = _state()

    response = _put(login(cast.host_admin), cast.partner.pk, {"field_ids": bad})

    assert response.status_code == 422
    assert _state() == before
