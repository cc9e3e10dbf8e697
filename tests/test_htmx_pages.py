"""Pages served both whole and as an htmx fragment go through core.http.render_page: the same URL
answers the fragment to htmx, the page otherwise, and always says `Vary: HX-Request` (so a browser or
proxy cache never shows the bare fragment as the page after back/forward)."""

from __future__ import annotations

import pytest
from django.urls import reverse

# (who looks, URL name)
PAGES = [
    ("host_admin", "partners:directory"),
    ("partner_owner", "finance:simulate"),
    ("partner_owner", "openlab:resources"),
    ("partner_owner", "openlab:booking_list"),
    ("partner_owner", "rnd:my_proposals"),
    ("partner_owner", "usecases:list"),
    ("host_admin", "usecases:board"),
    ("partner_owner", "usecases:showcase"),
    ("partner_owner", "accounts:members"),
    ("partner_owner", "accounts:tokens"),
    ("partner_owner", "core:notifications"),
    ("auditor", "core:audit_events"),
    ("host_admin", "core:personal_data_log"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "name"), PAGES)
def test_a_page_and_its_fragment_vary_on_hx_request(cast, login, who, name):
    client = login(getattr(cast, who))
    url = reverse(name)

    full = client.get(url)
    fragment = client.get(url, headers={"HX-Request": "true"})
    restored = client.get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})

    assert full.status_code == fragment.status_code == restored.status_code == 200
    for response in (full, fragment, restored):
        assert "HX-Request" in response["Vary"]
    assert b"<html" in full.content and b"<html" in restored.content
    assert b"<html" not in fragment.content
