"""Seed for the topology test (bin/topology --seed tests.topology_seed): a host with a lab operator, an
approved partner with two people and their API tokens, and an Open Lab site with resources that need
approval (so every booking notifies the operator by e-mail through a task). Prints one JSON line."""

from __future__ import annotations

import json

from sangsaeng.accounts import services as account_services
from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.tests.factories import OrganizationFactory, make_member
from sangsaeng.openlab.tests.factories import make_resource, make_site, next_weekday
from sangsaeng.partners.tests.factories import make_partner_owner


def main() -> None:
    host = OrganizationFactory(kind=OrganizationKind.HOST, name="토폴로지텔레콤")
    make_member(OrganizationKind.HOST, Role.LAB_OPERATOR, host, email="lab@topology.example")
    partner, owner = make_partner_owner(name_ko="토폴로지파트너")
    member = make_member(
        OrganizationKind.PARTNER, Role.MEMBER, partner.organization, email="member@topology.example"
    )
    site = make_site()
    resources = [make_resource(site, needs_approval=True).pk for _ in range(3)]
    tokens = [
        account_services.create_api_token(actor=person, name="topology").raw_token
        for person in (owner, member)
    ]
    print(
        json.dumps({"tokens": tokens, "resources": resources, "day": next_weekday(weeks_ahead=2).isoformat()})
    )
