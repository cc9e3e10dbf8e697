"""Size class (중소기업기본법) from the versioned threshold tables seeded by migration 0002."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from sangsaeng.partners.classification import (
    NOT_SME_ASSETS,
    NOT_SME_OWNED,
    NOT_SME_REVENUE,
    RULE_MISSING_DATA,
    RULE_NO_STANDARD,
    apply_classification,
    classify,
    explain_basis,
    load_table,
)
from sangsaeng.partners.models import CollaborationField, Partner, SizeClass, SizeStandard, SizeStandardBand
from sangsaeng.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

EOK = 100_000_000
DAY_2025 = dt.date(2025, 12, 31)
DAY_2026 = dt.date(2026, 1, 1)


def _classify(
    *,
    ksic="26110",
    revenue=50 * EOK,
    assets=100 * EOK,
    group=False,
    owned=False,
    on=DAY_2025,
):
    return classify(
        ksic_code=ksic,
        average_revenue_krw=revenue,
        total_assets_krw=assets,
        in_disclosed_group=group,
        owned_by_large_firm=owned,
        on=on,
    )


# --- seeded reference data ----------------------------------------------------------------------------
def test_two_size_standards_are_seeded_with_adjacent_validity():
    old = SizeStandard.objects.get(name="2015–2025 중소기업 규모기준")
    new = SizeStandard.objects.get(name="2026 개정 중소기업 규모기준")
    assert (old.valid_from, old.valid_to) == (dt.date(2015, 1, 1), DAY_2025)
    assert (new.valid_from, new.valid_to) == (DAY_2026, None)
    assert old.total_assets_limit_krw == new.total_assets_limit_krw == 5_000 * EOK
    assert old.middle_market_assets_limit_krw == 100_000 * EOK


def test_2015_table_has_five_sme_bands_and_five_small_bands():
    bands = SizeStandardBand.objects.filter(standard__name="2015–2025 중소기업 규모기준")
    assert {b.medium_limit_krw // EOK for b in bands} == {1500, 1000, 800, 600, 400}
    assert {b.small_limit_krw // EOK for b in bands} == {120, 80, 50, 30, 10}
    by_division = {b.ksic_division: b.medium_limit_krw // EOK for b in bands}
    assert [by_division[d] for d in ("14", "15", "17", "24", "28", "32")] == [1500] * 6
    assert [by_division[d] for d in ("26", "41", "47", "35")] == [1000] * 4
    assert [by_division[d] for d in ("11", "58", "63", "49")] == [800] * 4
    assert [by_division[d] for d in ("70", "86", "96")] == [600] * 3
    assert [by_division[d] for d in ("55", "64", "68", "85")] == [400] * 4


def test_2026_table_has_seven_bands_and_never_lowers_a_limit():
    old = {
        b.ksic_division: b
        for b in SizeStandardBand.objects.filter(standard__name="2015–2025 중소기업 규모기준")
    }
    new = {
        b.ksic_division: b
        for b in SizeStandardBand.objects.filter(standard__name="2026 개정 중소기업 규모기준")
    }
    assert set(old) == set(new)
    assert {b.medium_limit_krw // EOK for b in new.values()} == {1800, 1500, 1200, 1000, 800, 600, 400}
    for division, band in new.items():
        assert band.medium_limit_krw >= old[division].medium_limit_krw
        assert band.small_limit_krw >= old[division].small_limit_krw
        assert band.small_limit_krw <= band.medium_limit_krw


def test_collaboration_fields_are_seeded_as_a_dated_taxonomy():
    legacy = CollaborationField.objects.filter(kind=CollaborationField.Kind.LEGACY)
    areas = CollaborationField.objects.filter(kind=CollaborationField.Kind.BUSINESS_AREA)
    assert legacy.count() == 5
    assert areas.count() == 10
    assert {f.valid_to for f in legacy} == {dt.date(2018, 11, 19)}
    assert {f.valid_from for f in areas} == {dt.date(2018, 11, 20)}
    assert {f.name_ko for f in legacy} >= {"물자", "공사", "소프트웨어 개발", "용역"}
    assert {f.name_ko for f in areas} >= {"스타트업", "신사업", "Biz사업", "글로벌", "기술", "인프라구축"}
    assert CollaborationField.objects.get(code="area-technology").name_ko == "기술"
    assert CollaborationField.objects.get(code="area-infrastructure").name_ko == "인프라구축"
    assert CollaborationField.objects.get(code="legacy-materials").name_ko == "물자"


# --- boundaries ----------------------------------------------------------------------------------------
def test_revenue_exactly_at_the_industry_limit_is_still_an_sme():
    result = _classify(revenue=1_000 * EOK)
    assert result.size_class == SizeClass.MEDIUM
    assert result.basis["medium_limit_krw"] == 1_000 * EOK


def test_one_won_above_the_industry_limit_is_not_an_sme():
    result = _classify(revenue=1_000 * EOK + 1)
    assert result.size_class == SizeClass.MIDDLE_MARKET
    assert result.basis["not_sme"] == [NOT_SME_REVENUE]


def test_revenue_exactly_at_the_small_limit_is_a_small_enterprise_and_one_won_above_is_medium():
    assert _classify(revenue=120 * EOK).size_class == SizeClass.SMALL
    assert _classify(revenue=120 * EOK + 1).size_class == SizeClass.MEDIUM


def test_total_assets_of_5000_eok_make_a_company_not_an_sme_but_one_won_less_does_not():
    assert _classify(assets=5_000 * EOK - 1).size_class == SizeClass.SMALL
    at_limit = _classify(assets=5_000 * EOK)
    assert at_limit.size_class == SizeClass.MIDDLE_MARKET
    assert at_limit.basis["not_sme"] == [NOT_SME_ASSETS]


def test_a_company_of_a_disclosed_business_group_is_a_large_enterprise_whatever_its_size():
    result = _classify(revenue=10 * EOK, assets=10 * EOK, group=True)
    assert result.size_class == SizeClass.LARGE
    assert result.basis["rule"] == "disclosed_group"


def test_a_company_owned_30_percent_by_a_large_firm_is_not_independent_hence_middle_market():
    result = _classify(revenue=10 * EOK, assets=10 * EOK, owned=True)
    assert result.size_class == SizeClass.MIDDLE_MARKET
    assert result.basis["not_sme"] == [NOT_SME_OWNED]


def test_middle_market_versus_large_by_the_10_jo_assets_limit():
    assert _classify(revenue=5_000 * EOK, assets=100_000 * EOK - 1).size_class == SizeClass.MIDDLE_MARKET
    large = _classify(revenue=5_000 * EOK, assets=100_000 * EOK)
    assert large.size_class == SizeClass.LARGE
    assert large.basis["rule"] == "assets_over_middle_market_limit"


def test_the_industry_band_decides_the_limit():
    # 1,200억 of revenue: above the 1,000억 of electronics (26), within the 1,500억 of clothing (14).
    assert _classify(ksic="26110", revenue=1_200 * EOK).size_class == SizeClass.MIDDLE_MARKET
    assert _classify(ksic="14111", revenue=1_200 * EOK).size_class == SizeClass.MEDIUM


def test_an_industry_without_a_band_uses_the_standards_defaults():
    result = _classify(ksic="99000", revenue=400 * EOK)
    assert result.size_class == SizeClass.MEDIUM
    assert result.basis["band"] == "default"
    assert _classify(ksic="99000", revenue=400 * EOK + 1).size_class == SizeClass.MIDDLE_MARKET


# --- versions of the table ------------------------------------------------------------------------------
def test_same_company_is_middle_market_under_2015_table_and_medium_under_2026_table():
    old = _classify(revenue=1_200 * EOK, on=DAY_2025)
    new = _classify(revenue=1_200 * EOK, on=DAY_2026)
    assert old.size_class == SizeClass.MIDDLE_MARKET
    assert new.size_class == SizeClass.MEDIUM
    assert old.standard.name == old.basis["standard"] == "2015–2025 중소기업 규모기준"
    assert new.standard.name == new.basis["standard"] == "2026 개정 중소기업 규모기준"
    assert new.basis["medium_limit_krw"] == 1_500 * EOK


def test_small_enterprise_limit_rises_with_the_2026_table():
    assert _classify(revenue=150 * EOK, on=DAY_2025).size_class == SizeClass.MEDIUM
    assert _classify(revenue=150 * EOK, on=DAY_2026).size_class == SizeClass.SMALL


def test_before_any_standard_the_class_is_left_empty_with_the_reason():
    result = _classify(on=dt.date(2014, 6, 1))
    assert result.size_class == ""
    assert result.standard is None
    assert result.basis["rule"] == RULE_NO_STANDARD


def test_an_edited_table_changes_the_outcome_without_code_changes():
    band = SizeStandardBand.objects.get(standard__name="2015–2025 중소기업 규모기준", ksic_division="26")
    band.medium_limit_krw = 1_300 * EOK
    band.save()
    assert _classify(revenue=1_200 * EOK).size_class == SizeClass.MEDIUM


# --- missing data -------------------------------------------------------------------------------------
def test_missing_revenue_leaves_the_class_empty_and_says_what_is_missing():
    result = _classify(revenue=None)
    assert result.size_class == ""
    assert result.basis["rule"] == RULE_MISSING_DATA
    assert result.basis["missing"] == ["average_revenue_krw"]


def test_missing_assets_leaves_the_class_empty_too():
    result = _classify(assets=None)
    assert result.size_class == ""
    assert result.basis["missing"] == ["total_assets_krw"]


# --- applying to a partner -----------------------------------------------------------------------------
def test_apply_classification_sets_class_basis_date_and_standard_without_saving():
    partner = PartnerFactory(ksic_code="26110", average_revenue_krw=170 * EOK, total_assets_krw=300 * EOK)
    result = apply_classification(partner, on=DAY_2026)
    assert partner.size_class == SizeClass.SMALL == result.size_class
    assert partner.size_computed_on == DAY_2026
    assert partner.size_standard.name == "2026 개정 중소기업 규모기준"
    assert partner.size_basis["rule"] == "small"
    assert partner.size_basis["computed_on"] == "2026-01-01"
    stored = Partner.objects.get(pk=partner.pk)
    assert stored.size_class == ""
    assert stored.size_computed_on is None


def test_apply_classification_reloads_a_table_that_is_not_in_force_on_the_date():
    partner = PartnerFactory(ksic_code="26110", average_revenue_krw=150 * EOK, total_assets_krw=10 * EOK)
    stale = load_table(DAY_2025)
    apply_classification(partner, DAY_2026, table=stale)
    assert partner.size_standard.name == "2026 개정 중소기업 규모기준"
    assert partner.size_class == SizeClass.SMALL


def test_explain_basis_tells_the_standard_band_and_deciding_rule():
    result = _classify(revenue=1_000 * EOK + 1)
    with translation.override("en"):
        lines = explain_basis(result.basis)
    text = "\n".join(lines)
    assert "2015–2025 중소기업 규모기준" in text
    assert "KSIC division 26" in text
    assert "1,000억" in text
    assert "revenue above the industry limit" in text
    assert "Middle-market" in text
