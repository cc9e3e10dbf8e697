"""The demo's partners as data: who they are, their figures and their onboarding history.

Everything is drawn from DEMO_SEED, so every machine builds the same companies; `scenario.py`
writes them. Only the two representative partners named in the reference plan are real names
(이루온 for 기술 technology, 하이테크 for 인프라구축 infrastructure construction); their figures are
invented like everyone else's.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sangsaeng.accounts.models import Role
from sangsaeng.demo import synthetic
from sangsaeng.partners.models import PartnerStatus

DEMO_SEED = 20181120  # Partners Day of the reference plan
GENERATED_APPROVED_PARTNERS = 167  # plus 3 named approved partners = 170 approved
SEOUL = ZoneInfo("Asia/Seoul")


@dataclass(frozen=True)
class PersonSpec:
    email: str
    name: str
    role: str
    title: str = ""
    printed: bool = False  # printed in the credentials table (and its password kept current)


@dataclass(frozen=True)
class StepSpec:
    """One entry of a partner's status history (onboarding timeline)."""

    from_status: str
    to_status: str
    reason: str
    at: dt.datetime
    by_host: bool


@dataclass(frozen=True)
class PartnerSpec:
    values: dict[str, Any]
    field_codes: tuple[str, ...]
    representative_code: str
    contacts: tuple[dict[str, Any], ...]
    people: tuple[PersonSpec, ...]
    history: tuple[StepSpec, ...]


# Named partners: (name_ko, name_en, status, representative field code, KSIC, size, tier, people).
# 이루온 and 하이테크 are the plan's representative partners; the others are fictional.
NAMED_PARTNERS: tuple[tuple[str, str, str, str, str, str, int, tuple[PersonSpec, ...]], ...] = (
    ("이루온", "Iruon", PartnerStatus.APPROVED, "area-technology", "58222", "medium", 1, ()),
    ("하이테크", "Hitech", PartnerStatus.APPROVED, "area-infrastructure", "42204", "medium", 1, ()),
    (
        "다올정보통신",
        "Daol ICT",
        PartnerStatus.APPROVED,
        "",
        "26410",
        "small",
        1,
        (
            PersonSpec("owner@daol-ict.example.com", "한지우", Role.OWNER, "대표이사", printed=True),
            PersonSpec("member@daol-ict.example.com", "오세린", Role.MEMBER, "사업개발팀", printed=True),
        ),
    ),
    (
        "새싹모바일",
        "Saessak Mobile",
        PartnerStatus.PENDING,
        "",
        "58222",
        "small",
        2,
        (PersonSpec("owner@saessak-mobile.example.com", "윤다인", Role.OWNER, "대표", printed=True),),
    ),
    ("초록데이터", "Chorok Data", PartnerStatus.PENDING, "", "63112", "small", 2, ()),
    ("한마음이엔씨", "Hanmaeum E&C", PartnerStatus.PENDING, "", "42201", "medium", 3, ()),
    ("바름시스템", "Bareum Systems", PartnerStatus.CHANGES_REQUESTED, "", "62021", "small", 2, ()),
    ("마중물전자", "Majungmul Electronics", PartnerStatus.SUSPENDED, "", "26299", "medium", 1, ()),
)

REASONS: dict[str, str] = {
    PartnerStatus.APPROVED: "사업자등록증과 중소기업확인서를 확인했습니다.",
    PartnerStatus.CHANGES_REQUESTED: "중소기업확인서의 유효기간이 지났습니다. 최신 확인서를 올려 주세요.",
    PartnerStatus.SUSPENDED: "공정거래협약 갱신 전까지 신규 거래를 중지합니다.",
}


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SEOUL)


def _history(rng: random.Random, status: str, now: dt.datetime) -> tuple[StepSpec, ...]:
    """A plausible onboarding timeline ending in `status` (approved ones signed up 2014–2025)."""
    if status in (PartnerStatus.PENDING, PartnerStatus.CHANGES_REQUESTED):
        signed_up = now - dt.timedelta(days=rng.randint(3, 20), hours=rng.randint(0, 8))
        steps = [StepSpec("", PartnerStatus.PENDING, "", signed_up, by_host=False)]
        if status == PartnerStatus.CHANGES_REQUESTED:
            steps.append(
                StepSpec(
                    PartnerStatus.PENDING,
                    status,
                    REASONS[status],
                    signed_up + dt.timedelta(days=2),
                    by_host=True,
                )
            )
        return tuple(steps)
    day = dt.date(2014, 1, 6) + dt.timedelta(days=rng.randint(0, 4_200))
    signed_up = _moment(day, 9 + rng.randint(0, 8))
    approved = signed_up + dt.timedelta(days=rng.randint(3, 30))
    steps = [
        StepSpec("", PartnerStatus.PENDING, "", signed_up, by_host=False),
        StepSpec(
            PartnerStatus.PENDING, PartnerStatus.APPROVED, REASONS[PartnerStatus.APPROVED], approved, True
        ),
    ]
    if status == PartnerStatus.SUSPENDED:
        steps.append(
            StepSpec(
                PartnerStatus.APPROVED,
                status,
                REASONS[status],
                approved + dt.timedelta(days=rng.randint(200, 900)),
                True,
            )
        )
    return tuple(steps)


def _pick_fields(rng: random.Random, areas: list[str], legacy: list[str], extra: str = "") -> tuple[str, ...]:
    chosen = rng.sample(areas, k=min(len(areas), rng.randint(1, 2))) if areas else []
    if legacy and rng.random() < 0.4:
        chosen.append(rng.choice(legacy))
    if extra and extra not in chosen:
        chosen.insert(0, extra)
    return tuple(chosen)


def build_partner_specs(field_codes: dict[str, list[str]], now: dt.datetime) -> list[PartnerSpec]:
    """Every demo partner, deterministic from DEMO_SEED (the order of draws is part of the data)."""
    named = {row[0] for row in NAMED_PARTNERS}
    names = synthetic.company_names(DEMO_SEED, exclude=frozenset(named))
    generated = [next(names) for _ in range(GENERATED_APPROVED_PARTNERS)]
    brns = synthetic.unique_brns(random.Random(DEMO_SEED), len(NAMED_PARTNERS) + len(generated))
    areas, legacy = field_codes.get("business_area", []), field_codes.get("legacy", [])
    rows: list[tuple[str, str, str, str, tuple[str, ...], str, int, tuple[PersonSpec, ...]]] = [
        (ko, en, status, rep, (ksic,), size, tier, people)
        for ko, en, status, rep, ksic, size, tier, people in NAMED_PARTNERS
    ]
    size_rng = random.Random(DEMO_SEED + 1)
    for company in generated:
        size = size_rng.choices(synthetic.SIZE_TARGETS, weights=synthetic.SIZE_WEIGHTS)[0]
        tier = size_rng.choices((1, 2, 3, 4), weights=synthetic.TIER_WEIGHTS)[0]
        rows.append(
            (company.name_ko, company.name_en, PartnerStatus.APPROVED, "", company.ksic_codes, size, tier, ())
        )
    specs = []
    for brn, (name_ko, name_en, status, representative, ksic_codes, size, tier, people) in zip(
        brns, rows, strict=True
    ):
        # One generator per company keyed on its BRN: editing one company's draws leaves the rest.
        rng = random.Random(f"{DEMO_SEED}:{brn}")
        domain = f"{synthetic.slug(name_en)}.example.com"
        figures = synthetic.size_profile(rng, size)
        history = _history(rng, status, now)
        text, tags = synthetic.capabilities(rng)
        fair_trade = rng.random() < 0.7 and status != PartnerStatus.PENDING
        approved_at = next((s.at for s in history if s.to_status == PartnerStatus.APPROVED), None)
        values = {
            "brn": brn,
            "name_ko": name_ko,
            "name_en": name_en,
            "status": status,
            "status_reason": REASONS.get(status, "") if status != PartnerStatus.APPROVED else "",
            "corporate_number": synthetic.corporate_number(rng) if rng.random() < 0.6 else "",
            "ceo_name": synthetic.person_name(rng),
            "address": synthetic.address(rng),
            "founded_on": dt.date(1985, 1, 1) + dt.timedelta(days=rng.randint(0, 12_500)),
            "employees": figures.employees,
            "ksic_code": rng.choice(ksic_codes),
            "average_revenue_krw": figures.average_revenue_krw,
            "total_assets_krw": figures.total_assets_krw,
            "in_disclosed_group": size == "large",
            "owned_by_large_firm": False,
            "tier": tier,
            "fair_trade_agreement": fair_trade,
            "fair_trade_agreement_on": (
                dt.date(2018, 11, 20) + dt.timedelta(days=rng.randint(0, 2_000)) if fair_trade else None
            ),
            "capabilities": text,
            "capability_tags": tags,
            "is_representative": bool(representative),
            "approved_at": approved_at,
        }
        contacts = tuple(
            {
                "name": synthetic.person_name(rng),
                "department": department,
                "email": f"{local}@{domain}",
                "phone": synthetic.phone_number(rng),
                "is_primary": index == 0,
            }
            for index, (local, department) in enumerate(
                (("sales", "영업팀 팀장"), ("support", "기술지원팀"))[: rng.randint(1, 2)]
            )
        )
        owner = PersonSpec(f"owner@{domain}", synthetic.person_name(rng), Role.OWNER, "대표")
        specs.append(
            PartnerSpec(
                values=values,
                field_codes=_pick_fields(rng, areas, legacy, representative),
                representative_code=representative,
                contacts=contacts,
                people=people or (owner,),
                history=history,
            )
        )
    return specs
