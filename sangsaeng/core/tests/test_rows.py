"""Rows rendered in Python: every value escaped (text and quoted attributes), safe values kept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import engines
from django.test import override_settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from sangsaeng.core.rows import IdUrl, RowTemplate, choice_labels, esc, html, join
from sangsaeng.partners.models import PartnerStatus


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('say "hi"', "say &quot;hi&quot;"),
        ("it's", "it&#x27;s"),
        ("R&D 기금", "R&amp;D 기금"),
        (None, ""),
        (0, "0"),
        (1234567, "1234567"),
        (Decimal("3.50"), "3.50"),
        (2.5, "2.5"),
        (True, "True"),
        (mark_safe("<b>kept</b>"), "<b>kept</b>"),
        (format_html("<i>{}</i>", "<x>"), "<i>&lt;x&gt;</i>"),
    ],
)
def test_esc_escapes_everything_that_is_not_already_safe(value, expected):
    assert esc(value) == expected


def test_html_escapes_each_argument_in_text_and_in_attributes():
    purpose = '"><script>alert("x")</script>'
    row = html('<tr><td title="{}">{}</td><td>{name}</td></tr>', purpose, purpose, name="A & B")

    assert isinstance(row, SafeString)
    assert row == (
        '<tr><td title="&quot;&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;">'
        "&quot;&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</td><td>A &amp; B</td></tr>"
    )
    assert "<script>" not in row


def test_single_quoted_attributes_are_safe_too():
    assert html("<a title='{}'>x</a>", "' onmouseover='alert(1)") == (
        "<a title='&#x27; onmouseover=&#x27;alert(1)'>x</a>"
    )


def test_numbers_keep_their_format_specs_and_none_is_empty():
    assert html("<td>{:,}</td><td>{:.1f}</td><td>{}</td>", 1234567, 2.25, None) == (
        "<td>1,234,567</td><td>2.2</td><td></td>"
    )


def test_safe_arguments_pass_through_unescaped():
    badge = html('<span class="badge">{}</span>', "<승인>")

    assert html("<td>{}</td>", badge) == '<td><span class="badge">&lt;승인&gt;</span></td>'


def test_a_format_field_cannot_reach_an_unescaped_attribute():
    class Booking:
        purpose = "<script>"

    with pytest.raises(AttributeError):
        html("{0.purpose}", Booking())


def test_join_escapes_parts_and_separator_unless_safe():
    assert join(["<a>", mark_safe("<b>"), None, 3], ", ") == "&lt;a&gt;, <b>, , 3"
    assert join(["x", "y"], mark_safe("<br>")) == "x<br>y"
    assert join(["x", "y"], "<br>") == "x&lt;br&gt;y"
    assert isinstance(join([]), SafeString) and join([]) == ""


@pytest.mark.django_db
def test_id_url_builds_the_url_of_any_id_from_one_reverse():
    detail = IdUrl("partners:detail")
    by_name = IdUrl("partners:detail", kwarg="partner_id")

    assert detail(42) == by_name(42) == "/partners/42/"
    with pytest.raises(ValueError):
        detail("1/../../admin")


def test_choice_labels_resolves_each_label_once_in_the_active_language():
    assert choice_labels(PartnerStatus)["changes_requested"] == "Changes requested"
    assert choice_labels([("a", "Ay")]) == {"a": "Ay"}


ROW_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {
                        "row.html": '<tr><td title="{{ b.purpose }}">{{ b.purpose }}</td>'
                        "<td>{{ label }}</td><td>{{ b.amount }}</td></tr>"
                    },
                )
            ]
        },
    }
]


def test_a_row_template_renders_each_row_autoescaped_with_shared_values():
    with override_settings(TEMPLATES=ROW_TEMPLATES):
        engines._engines = {}  # the engines are cached: take the test's templates
        try:
            rows = RowTemplate("row.html").render(
                [{"b": {"purpose": "<script>", "amount": 1}}, {"b": {"purpose": 'a "b" & c', "amount": 2}}],
                label="승인",
            )
        finally:
            engines._engines = {}

    assert isinstance(rows, SafeString)
    assert rows == (
        '<tr><td title="&lt;script&gt;">&lt;script&gt;</td><td>승인</td><td>1</td></tr>'
        '<tr><td title="a &quot;b&quot; &amp; c">a &quot;b&quot; &amp; c</td><td>승인</td><td>2</td></tr>'
    )


def test_a_row_does_not_leak_into_the_next():
    with override_settings(TEMPLATES=ROW_TEMPLATES):
        engines._engines = {}
        try:
            rows = RowTemplate("row.html").render([{"b": {"purpose": "first"}, "label": "only here"}, {}])
        finally:
            engines._engines = {}

    assert rows.count("only here") == 1 and rows.count("first") == 2
