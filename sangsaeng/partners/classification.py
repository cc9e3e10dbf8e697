"""Company size class under the Framework Act on SMEs (중소기업기본법).

A company is a 중소기업 (SME: 소기업 small or 중기업 medium) when, on the date of classification,
  1. its 3-year average revenue (3년 평균매출액) in its main industry (KSIC division, the first two
     digits of the KSIC code) is at or below that industry's limit in the standard in force;
  2. its total assets (자산총액) are below the standard's SME assets limit (default 5,000억); and
  3. it is independent (독립성): not in a disclosed business group (공시대상기업집단) and not ≥30 %
     owned as largest shareholder by a firm with total assets ≥ 5,000억.
An SME is a 소기업 when its revenue is at or below the industry's small-enterprise limit, else a 중기업.
A company that is not an SME is a 대기업 (large enterprise) when it belongs to a disclosed business
group or its total assets reach the middle-market limit (default 10조); otherwise it is a 중견기업.

The thresholds are data (SizeStandard / SizeStandardBand, versioned by valid_from/valid_to), never
constants here: the table in force on the date decides, so the same company can be a 중기업 on
2025-12-31 and a 소기업 on 2026-01-01 when the 2026 revision raises the limits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from sangsaeng.core.dates import today
from sangsaeng.core.money import format_eok
from sangsaeng.partners.models import Partner, SizeClass, SizeStandard, SizeStandardBand

# Codes of the rule that decided, stored in the basis so that a page can explain it in any language.
RULE_SMALL = "small"
RULE_MEDIUM = "medium"
RULE_DISCLOSED_GROUP = "disclosed_group"
RULE_ASSETS_OVER_MIDDLE_MARKET_LIMIT = "assets_over_middle_market_limit"
RULE_MIDDLE_MARKET = "middle_market"
RULE_MISSING_DATA = "missing_data"
RULE_NO_STANDARD = "no_standard"

# Why a company is not an SME (more than one may hold).
NOT_SME_REVENUE = "revenue_over_limit"
NOT_SME_ASSETS = "assets_at_or_over_limit"
NOT_SME_DISCLOSED_GROUP = "in_disclosed_group"
NOT_SME_OWNED = "owned_by_large_firm"


@dataclass(frozen=True)
class StandardTable:
    """A size standard with its bands indexed by KSIC division, loaded once (imports reuse it)."""

    standard: SizeStandard
    bands: dict[str, SizeStandardBand]

    def band_for(self, ksic_code: str) -> SizeStandardBand | None:
        return self.bands.get((ksic_code or "")[:2])


@dataclass(frozen=True)
class Classification:
    """The outcome: the size class ("" when it cannot be decided), its basis and the standard used."""

    size_class: str  # a SizeClass value, or "" when data or a standard is missing
    basis: dict[str, Any] = field(default_factory=dict)
    standard: SizeStandard | None = None

    @property
    def is_sme(self) -> bool:
        return self.size_class in (SizeClass.SMALL, SizeClass.MEDIUM)


def standard_in_force(on: dt.date) -> SizeStandard | None:
    """The size standard valid on `on` (the newest one if valid periods overlap)."""
    return (
        SizeStandard.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from", "-pk")
        .first()
    )


def load_table(on: dt.date) -> StandardTable | None:
    """The standard in force on `on` with its bands (two queries), or None if none is in force."""
    standard = standard_in_force(on)
    if standard is None:
        return None
    bands = {band.ksic_division: band for band in SizeStandardBand.objects.filter(standard=standard)}
    return StandardTable(standard=standard, bands=bands)


def classify(
    *,
    ksic_code: str,
    average_revenue_krw: int | None,
    total_assets_krw: int | None,
    in_disclosed_group: bool,
    owned_by_large_firm: bool,
    on: dt.date,
) -> Classification:
    """Classify a company by the standard in force on `on` (rules in the module docstring).

    Returns size class "" (with the basis naming what is missing) when no standard is in force or
    when revenue or total assets are missing and the group membership does not already decide it.
    """
    return classify_with_table(
        load_table(on),
        ksic_code=ksic_code,
        average_revenue_krw=average_revenue_krw,
        total_assets_krw=total_assets_krw,
        in_disclosed_group=in_disclosed_group,
        owned_by_large_firm=owned_by_large_firm,
        on=on,
    )


def classify_with_table(
    table: StandardTable | None,
    *,
    ksic_code: str,
    average_revenue_krw: int | None,
    total_assets_krw: int | None,
    in_disclosed_group: bool,
    owned_by_large_firm: bool,
    on: dt.date,
) -> Classification:
    """`classify` with a table loaded beforehand (the import classifies thousands of rows with one)."""
    facts: dict[str, Any] = {
        "computed_on": on.isoformat(),
        "ksic_code": ksic_code or "",
        "ksic_division": (ksic_code or "")[:2],
        "average_revenue_krw": average_revenue_krw,
        "total_assets_krw": total_assets_krw,
        "in_disclosed_group": bool(in_disclosed_group),
        "owned_by_large_firm": bool(owned_by_large_firm),
    }
    if table is None:
        return Classification("", {**facts, "rule": RULE_NO_STANDARD, "missing": ["size_standard"]}, None)

    standard = table.standard
    band = table.band_for(ksic_code)
    medium_limit = band.medium_limit_krw if band else standard.default_medium_limit_krw
    small_limit = band.small_limit_krw if band else standard.default_small_limit_krw
    facts.update(
        {
            "standard": standard.name,
            "standard_id": standard.pk,
            "band": band.ksic_division if band else "default",
            "industry": band.industry_label if band else "",
            "medium_limit_krw": medium_limit,
            "small_limit_krw": small_limit,
            "total_assets_limit_krw": standard.total_assets_limit_krw,
            "middle_market_assets_limit_krw": standard.middle_market_assets_limit_krw,
        }
    )

    # Membership of a disclosed business group decides by itself: never an SME, always 대기업.
    if in_disclosed_group:
        not_sme = [NOT_SME_DISCLOSED_GROUP]
        if owned_by_large_firm:
            not_sme.append(NOT_SME_OWNED)
        return Classification(
            SizeClass.LARGE, {**facts, "rule": RULE_DISCLOSED_GROUP, "not_sme": not_sme}, standard
        )

    missing = [
        name
        for name, value in (
            ("average_revenue_krw", average_revenue_krw),
            ("total_assets_krw", total_assets_krw),
        )
        if value is None
    ]
    if average_revenue_krw is None or total_assets_krw is None:
        return Classification("", {**facts, "rule": RULE_MISSING_DATA, "missing": missing}, standard)

    not_sme = []
    if average_revenue_krw > medium_limit:  # exactly at the limit is still within it ("이하")
        not_sme.append(NOT_SME_REVENUE)
    if total_assets_krw >= standard.total_assets_limit_krw:  # the assets limit is strict ("미만")
        not_sme.append(NOT_SME_ASSETS)
    if owned_by_large_firm:
        not_sme.append(NOT_SME_OWNED)

    if not not_sme:
        if average_revenue_krw <= small_limit:
            return Classification(SizeClass.SMALL, {**facts, "rule": RULE_SMALL}, standard)
        return Classification(SizeClass.MEDIUM, {**facts, "rule": RULE_MEDIUM}, standard)
    if total_assets_krw >= standard.middle_market_assets_limit_krw:
        return Classification(
            SizeClass.LARGE,
            {**facts, "rule": RULE_ASSETS_OVER_MIDDLE_MARKET_LIMIT, "not_sme": not_sme},
            standard,
        )
    return Classification(
        SizeClass.MIDDLE_MARKET, {**facts, "rule": RULE_MIDDLE_MARKET, "not_sme": not_sme}, standard
    )


def apply_classification(
    partner: Partner, on: dt.date | None = None, *, table: StandardTable | None = None
) -> Classification:
    """Set the partner's size class, basis, date and standard from its own facts (not saved).

    `table` lets a caller that classifies many partners on one date load the standard once.
    """
    on = on or today()
    if table is None or not _table_in_force(table, on):
        table = load_table(on)
    result = classify_with_table(
        table,
        ksic_code=partner.ksic_code,
        average_revenue_krw=partner.average_revenue_krw,
        total_assets_krw=partner.total_assets_krw,
        in_disclosed_group=partner.in_disclosed_group,
        owned_by_large_firm=partner.owned_by_large_firm,
        on=on,
    )
    partner.size_class = result.size_class
    partner.size_basis = result.basis
    partner.size_computed_on = on
    partner.size_standard = result.standard
    return result


def _table_in_force(table: StandardTable, on: dt.date) -> bool:
    standard = table.standard
    return standard.valid_from <= on and (standard.valid_to is None or on <= standard.valid_to)


def explain_basis(basis: dict[str, Any]) -> list[str]:
    """The basis as sentences in the active language, for the partner page ("why this class")."""
    if not basis:
        return []
    lines: list[str] = []
    rule = basis.get("rule")
    if rule == RULE_NO_STANDARD:
        return [_("No size standard is in force on %(date)s.") % {"date": basis.get("computed_on", "")}]
    lines.append(
        _("Standard: %(standard)s (applied on %(date)s).")
        % {"standard": basis.get("standard", ""), "date": basis.get("computed_on", "")}
    )
    if basis.get("band") == "default":
        lines.append(
            _("KSIC %(code)s has no industry band; the default limits apply.")
            % {"code": basis.get("ksic_code", "")}
        )
    else:
        lines.append(
            _("Industry band: KSIC division %(division)s %(industry)s.")
            % {"division": basis.get("band", ""), "industry": basis.get("industry", "")}
        )
    lines.append(
        _(
            "Limits: SME revenue up to %(medium)s, small enterprise up to %(small)s, "
            "SME total assets below %(assets)s, middle-market total assets below %(middle)s."
        )
        % {
            "medium": format_eok(basis.get("medium_limit_krw")),
            "small": format_eok(basis.get("small_limit_krw")),
            "assets": format_eok(basis.get("total_assets_limit_krw")),
            "middle": format_eok(basis.get("middle_market_assets_limit_krw")),
        }
    )
    if rule == RULE_MISSING_DATA:
        labels = {
            "average_revenue_krw": _("3-year average revenue"),
            "total_assets_krw": _("total assets"),
        }
        missing = ", ".join(labels.get(name, name) for name in basis.get("missing", []))
        lines.append(_("Not classified: missing %(missing)s.") % {"missing": missing})
        return lines
    lines.append(
        _("Company: 3-year average revenue %(revenue)s, total assets %(assets)s.")
        % {
            "revenue": format_eok(basis.get("average_revenue_krw")),
            "assets": format_eok(basis.get("total_assets_krw")),
        }
    )
    reasons = {
        NOT_SME_REVENUE: _("revenue above the industry limit"),
        NOT_SME_ASSETS: _("total assets at or above the SME limit"),
        NOT_SME_DISCLOSED_GROUP: _("belongs to a disclosed business group"),
        # xgettext:no-python-format
        NOT_SME_OWNED: _("≥30 % owned by a large firm (not independent)"),
    }
    decisions = {
        RULE_SMALL: _("Small enterprise: within every SME condition and revenue within the small limit."),
        RULE_MEDIUM: _("Medium enterprise: within every SME condition, revenue above the small limit."),
        RULE_DISCLOSED_GROUP: _("Large enterprise: member of a disclosed business group."),
        RULE_ASSETS_OVER_MIDDLE_MARKET_LIMIT: _(
            "Large enterprise: total assets at or above the middle-market limit."
        ),
        RULE_MIDDLE_MARKET: _(
            "Middle-market enterprise: not an SME and below the large-enterprise criteria."
        ),
    }
    if basis.get("not_sme"):
        lines.append(
            _("Not an SME: %(reasons)s.")
            % {"reasons": ", ".join(reasons.get(code, code) for code in basis["not_sme"])}
        )
    if rule in decisions:
        lines.append(decisions[rule])
    return lines
