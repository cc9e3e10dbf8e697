from __future__ import annotations

from dataclasses import dataclass

import pytest

from sangsaeng.openlab.models import Resource, ResourceKind, Site
from sangsaeng.openlab.tests.factories import make_resource, make_site


@dataclass
class Lab:
    site: Site
    room: Resource  # RF-shielded room, needs approval
    station: Resource  # 5G base station, auto-approved
    device: Resource  # loan device, auto-approved


@pytest.fixture
def lab(db) -> Lab:
    site = make_site("우면 R&D센터")
    return Lab(
        site=site,
        room=make_resource(site, ResourceKind.SHIELDED_ROOM),
        station=make_resource(site, ResourceKind.TESTBED, needs_approval=False),
        device=make_resource(site, ResourceKind.LOAN_DEVICE, needs_approval=False),
    )
