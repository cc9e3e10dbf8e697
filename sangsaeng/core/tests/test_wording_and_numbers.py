"""Wording a Korean user expects, one money format, and small page furniture (issue 11 §4)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

KO_PO = Path(settings.BASE_DIR) / "sangsaeng" / "locale" / "ko" / "LC_MESSAGES" / "django.po"


def test_no_korean_message_says_host_company_in_transliteration():
    """ "호스트 기업" is not Korean usage: the host's own name, or 위탁기업 as the generic word."""
    translated = [
        line for line in KO_PO.read_text(encoding="utf-8").splitlines() if not line.startswith("msgid")
    ]
    assert not [line for line in translated if "호스트" in line]


def test_partner_facing_messages_name_the_host(cast, login):
    from sangsaeng.accounts.selectors import host_name
    from sangsaeng.partners.models import PartnerStatus

    assert host_name() == cast.host.name
    cast.partner.status = PartnerStatus.PENDING
    cast.partner.save(update_fields=["status"])
    html = login(cast.partner_owner).get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert f"{cast.host.name}에서 귀사를 심사하고 있습니다" in html


def test_a_partner_without_an_employee_count_shows_a_dash_not_none(cast, login):
    cast.partner.employees = None
    cast.partner.save(update_fields=["employees"])
    html = login(cast.partner_owner).get(reverse("partners:detail", args=[cast.partner.pk])).content.decode()
    assert "None" not in re.sub(r"<script.*?</script>", "", html, flags=re.S)


def test_the_home_page_shows_partners_by_status_as_a_small_table(cast, login):
    html = login(cast.host_admin).get(reverse("core:home")).content.decode()
    assert 'id="table-status"' in html
    assert 'data-partner-chart="status"' not in html
    assert 'data-partner-chart="size"' in html  # the other dimensions keep their charts


def test_the_favicon_and_the_money_input_script_are_static_files_linked_from_the_layout(cast, login):
    html = login(cast.partner_owner).get(reverse("core:home")).content.decode()
    assert re.search(r'<link rel="icon" href="[^"]*sangsaeng/favicon\.[0-9a-f.]*svg"', html)
    assert re.search(r'<script src="[^"]*sangsaeng/money-input\.[0-9a-f.]*js"></script>', html)
    assert finders.find("sangsaeng/favicon.svg") and finders.find("sangsaeng/money-input.js")
    # No inline script anywhere in the layout (CSP): every <script> has a src or is JSON data.
    assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\")\b)[^>]*>", html)


def test_the_money_script_formats_what_it_should_and_strips_before_sending():
    script = Path(finders.find("sangsaeng/money-input.js")).read_text(encoding="utf-8")
    assert "input[name$='_krw']" in script and "data-money" in script
    assert '"submit"' in script and "true);" in script  # capture phase, before htmx reads the form


def test_the_use_case_board_says_it_scrolls(cast, login):
    html = (
        login(cast.program_manager).get(reverse("usecases:board"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    )
    assert "옆으로 스크롤하면 모든 열을 볼 수 있습니다" in html
    assert 'class="d-flex gap-3 pb-2 board-scroll" tabindex="0"' in html
    css = Path(finders.find("sangsaeng/app.css")).read_text(encoding="utf-8")
    assert re.search(r"\.board-scroll \{[^}]*overflow-x: scroll", css)
