"""The start page at "/": the landing page for visitors, the home page of the person's role once signed in."""

from __future__ import annotations

import pytest
from django.urls import reverse

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_start_page_keeps_its_address():
    assert reverse("home:home") == "/"


@pytest.mark.django_db
def test_a_visitor_sees_the_landing_page_with_log_in_and_sign_up(client):
    response = client.get("/", **EN)

    assert response.status_code == 200
    assert response.templates[0].name == "home/landing.html"
    body = response.content.decode()
    assert reverse("accounts:login") in body and reverse("partners:signup") in body


@pytest.mark.parametrize(
    ("who", "template"),
    [
        ("host_admin", "partners/home_host.html"),
        ("partner_owner", "partners/home_partner.html"),
        ("loan_officer", "partners/home_basic.html"),
    ],
)
def test_a_signed_in_person_sees_the_home_of_their_role(login, cast, who, template):
    response = login(getattr(cast, who)).get("/", **EN)

    assert response.status_code == 200
    assert response.templates[0].name == template
