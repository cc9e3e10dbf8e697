"""Korean text normalisation and masking, KRW display, Korean business days."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django import forms
from django.core.exceptions import ValidationError

from sangsaeng.core import dates, money, text
from sangsaeng.core.forms import MoneyField


# --- core.text --------------------------------------------------------------------------------------
def test_decomposed_hangul_from_macos_or_excel_becomes_composed():
    decomposed = unicodedata.normalize("NFD", "가나다테크")
    assert decomposed != "가나다테크"

    assert text.normalize_text(decomposed) == "가나다테크"


def test_normalize_text_trims_and_collapses_spaces():
    assert text.normalize_text("  상생 \t 협력\n사  ") == "상생 협력 사"
    assert text.normalize_text(None) == ""  # type: ignore[arg-type]


def test_full_width_digits_and_hyphen_become_ascii():
    assert text.halfwidth_digits("１１６－８２－００２７６") == "116-82-00276"
    assert text.digits_only("１１６－８２－００２７６") == "1168200276"
    assert text.digits_only(" 116 82 00276 ") == "1168200276"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("hong.gildong@example.com", "ho**********@example.com"),
        ("ab@example.com", "a*@example.com"),
        ("a@example.com", "a*@example.com"),
        ("not-an-address", "not-an-address"),
        ("", ""),
    ],
)
def test_mask_email_keeps_the_domain_and_hides_most_of_the_name(value, masked):
    assert text.mask_email(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("010-1234-5678", "010-****-5678"),
        ("01012345678", "010-****-5678"),
        ("０１０－１２３４－５６７８", "010-****-5678"),
        ("123", "***"),
    ],
)
def test_mask_phone_hides_the_middle_block(value, masked):
    assert text.mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [("홍길동", "홍*동"), ("남궁민수", "남**수"), ("김철", "김*"), ("이", "이"), ("", "")],
)
def test_mask_name(value, masked):
    assert text.mask_name(value) == masked


# --- core.money -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (None, "–"),
        (0, "0원"),
        (9_999, "9,999원"),
        (50_000_000, "5,000만"),
        (100_000_000, "1억"),
        (150_000_000, "1억 5,000만"),
        (2_000_000_000, "20억"),
        (1_234_500_000_000, "12,345억"),
        (-150_000_000, "-1억 5,000만"),
        (-50_000, "-5만"),
    ],
)
def test_format_eok_shows_eok_and_man(amount, shown):
    assert money.format_eok(amount) == shown


def test_format_krw_groups_digits():
    assert money.format_krw(1_234_567) == "1,234,567원"
    assert money.format_krw(None) == "–"
    assert money.EOK == 100_000_000 and money.MAN == 10_000


# --- core.dates -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "day",
    [
        dt.date(2026, 2, 16),  # the day before Seollal (lunar new year)
        dt.date(2026, 2, 17),  # Seollal
        dt.date(2026, 2, 18),  # the day after
        dt.date(2024, 2, 12),  # substitute holiday: Seollal 2024 fell on a weekend
        dt.date(2026, 3, 2),  # substitute for Independence Movement Day on a Sunday
        dt.date(2025, 5, 6),  # substitute: Children's Day and Buddha's Birthday on the same day
        dt.date(2025, 10, 6),  # Chuseok
        dt.date(2025, 10, 8),  # substitute for Chuseok
        dt.date(2026, 12, 25),
    ],
)
def test_korean_public_holidays_are_not_business_days(day):
    assert day.weekday() < 5
    assert dates.is_business_day(day) is False


def test_weekdays_without_a_holiday_are_business_days_and_weekends_are_not():
    assert dates.is_business_day(dt.date(2026, 2, 19)) is True
    assert dates.is_business_day(dt.date(2026, 2, 21)) is False  # Saturday


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 2, 19), dt.date(2026, 2, 19)),  # already a business day
        (dt.date(2026, 2, 14), dt.date(2026, 2, 19)),  # Saturday before Seollal → Thursday after it
        (dt.date(2026, 2, 28), dt.date(2026, 3, 3)),  # weekend, 3·1절 on Sunday, substitute Monday
        (dt.date(2025, 10, 3), dt.date(2025, 10, 10)),  # 개천절, weekend, Chuseok, substitute, 한글날
        (dt.date(2022, 12, 31), dt.date(2023, 1, 2)),  # across the year end: Saturday, 1 Jan on Sunday
        (dt.date(2027, 1, 1), dt.date(2027, 1, 4)),  # New Year's Day on a Friday, then a weekend
    ],
)
def test_next_business_day_skips_weekends_and_holidays(day, expected):
    assert dates.next_business_day(day) == expected


def test_today_is_the_date_in_seoul(settings):
    from unittest import mock

    from django.utils import timezone

    # 16:00 UTC on 31 December is already 1 January in Seoul.
    with mock.patch.object(timezone, "now", return_value=dt.datetime(2026, 12, 31, 16, 0, tzinfo=dt.UTC)):
        assert dates.today() == dt.date(2027, 1, 1)


@pytest.mark.django_db
def test_rows_with_datetimes_gives_the_stored_instants_aware_and_nulls_as_none(django_user_model):
    """The raw read used by the Open Lab's week and search: same instants as the ORM, in UTC, on
    SQLite (naive text from the driver) and PostgreSQL (aware values) alike."""
    from django.utils import timezone

    from sangsaeng.core.models import Notification

    user = django_user_model.objects.create_user(email="dates@example.com", password="x-Long-enough-1")
    read = timezone.make_aware(dt.datetime(2026, 12, 1, 9, 30, 15, 123456))
    note = Notification.objects.create(recipient=user, title="t", read_at=read)
    Notification.objects.create(recipient=user, title="u")
    queryset = (
        Notification.objects.filter(recipient=user).order_by("id").values_list("id", "read_at", "created_at")
    )

    rows = list(dates.rows_with_datetimes(queryset, (1, 2)))

    assert rows == list(queryset)  # the ORM's own conversion
    assert rows[0][0] == note.pk and rows[0][1] == read and rows[1][1] is None
    assert all(row[2].utcoffset() == dt.timedelta(0) for row in rows)
    assert list(dates.rows_with_datetimes(Notification.objects.filter(id__in=[]).values_list("id"), ())) == []


# --- core.money.parse_krw and core.forms.MoneyField ---------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "won"),
    [
        ("1234567", 1_234_567),
        ("1,234,567", 1_234_567),
        (" 1,234,567 원 ", 1_234_567),
        ("1,000원", 1_000),
        ("₩1,000", 1_000),
        ("１，０００원", 1_000),  # full-width, as some Korean IMEs type
        ("150억", 15_000_000_000),
        ("1억 2천만", 120_000_000),
        ("2억5,000만원", 250_000_000),
        ("3천5백만", 35_000_000),
        ("1.5억", 150_000_000),
        ("1억 5000", 100_005_000),
        ("1조 2,345억", 1_234_500_000_000),
        (1_000, 1_000),
        (1_000.0, 1_000),
    ],
)
def test_money_typed_the_korean_way_is_read_as_whole_won(typed, won):
    assert money.parse_krw(typed) == won


@pytest.mark.parametrize(
    "typed",
    [
        True,
        False,
        None,
        1.5,
        "",
        "원",
        "abc",
        "1,23",
        "1,0000",
        "1.234.567",
        "1.5원",
        "1만 2억",
        "2천3천",
        "1억억",
    ],
)
def test_anything_else_is_refused_with_one_message(typed):
    with pytest.raises(ValidationError) as error:
        money.parse_krw(typed)

    assert error.value.code == "invalid_money"


def test_the_money_form_field_reads_korean_amounts_and_keeps_its_bounds():
    class AmountForm(forms.Form):
        amount_krw = MoneyField(min_value=1, max_value=10**12, required=False)

    assert AmountForm({"amount_krw": "1,234,567"}).is_valid()
    form = AmountForm({"amount_krw": "1억 2천만원"})
    assert form.is_valid() and form.cleaned_data["amount_krw"] == 120_000_000
    assert AmountForm({"amount_krw": ""}).is_valid()
    assert not AmountForm({"amount_krw": "0"}).is_valid()
    assert not AmountForm({"amount_krw": "2조"}).is_valid()
    refused = AmountForm({"amount_krw": "lots"})
    assert not refused.is_valid() and "1,234,567" in refused.errors["amount_krw"][0]
    assert 'inputmode="numeric"' in str(AmountForm()["amount_krw"]) and 'type="text"' in str(
        AmountForm()["amount_krw"]
    )
