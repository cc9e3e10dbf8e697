"""The councils' bench data at a tiny size: consistent rows, and every bench endpoint answers."""

from __future__ import annotations

import pytest

from bench.generate import generate
from bench.generators import councils as benchmark
from sangsaeng.accounts.models import User
from sangsaeng.councils.models import ActionItem, Council, CouncilMember, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def info():
    generate(partners=30, users=60, audit_events=0)
    return benchmark.generate_bench_data(
        seed=7, log=lambda message: None, councils=4, seats=40, meetings=40, action_items=300
    )


def test_bench_rows_belong_together(info):
    assert Council.objects.count() == 4 and Meeting.objects.count() == 40
    assert ActionItem.objects.count() == info["action_items"] == 300
    for item in ActionItem.objects.select_related("meeting")[:100]:
        assert item.council_id == item.meeting.council_id
        seated = CouncilMember.objects.filter(council_id=item.council_id)
        assert (
            seated.filter(user_id=item.owner_user_id).exists()
            or seated.filter(organization_id=item.owner_organization_id).exists()
        )


def test_every_bench_endpoint_answers_200(client, info):
    for endpoint in benchmark.bench_endpoints(info):
        client.logout()
        client.force_login(
            User.objects.get(email=endpoint["login"]), backend="django.contrib.auth.backends.ModelBackend"
        )
        response = client.get(endpoint["path"])
        assert response.status_code == 200, (endpoint["name"], response.content[:300])
