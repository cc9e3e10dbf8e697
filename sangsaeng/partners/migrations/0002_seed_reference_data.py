"""Seed the reference data of the partner registry (DOMAIN.md §0).

1. Size standards (중소기업 규모기준) as EDITABLE DATA, not law encoded in code: the host's admins
   correct or extend the tables in the admin, and a new revision is a new SizeStandard with its own
   valid_from. What is loaded here:
   - "2015–2025 중소기업 규모기준", valid 2015-01-01..2025-12-31: the SME revenue bands of
     중소기업기본법 시행령 별표1 as revised in 2015 (1,500 / 1,000 / 800 / 600 / 400억 by KSIC
     division) and the small-enterprise (소기업) bands of 별표3 (120 / 80 / 50 / 30 / 10억).
   - "2026 개정 중소기업 규모기준", valid from 2026-01-01: the configurable default for the 2026
     revision's seven bands (1,800 / 1,500 / 1,200 / 1,000 / 800 / 600 / 400억). The assignment of
     divisions is our reading of the revision: the former 1,500억 group → 1,800억; the core
     manufacturing of the former 1,000억 group (chemicals, metal products, electronics, machinery,
     motor vehicles, other transport equipment) → 1,500억; the rest of the 1,000억 group → 1,200억;
     the manufacturing divisions of the former 800억 group → 1,000억; the services of the 800억
     group stay at 800억; the 600억 and 400억 groups are unchanged. Small-enterprise limits scale with
     the SME limit (old small limit × new SME limit / old SME limit, rounded to 10억). Check the
     official table before relying on it and edit the rows if they differ.
   Divisions not listed fall back to the standard's defaults (400억 SME / 10억 small).
2. Collaboration fields (협력 분야): the five fields used from the start of the programme (2014)
   until the 2018-11-20 plan, and the ten business areas the plan introduced.

Forward is idempotent (update_or_create by name / code), so a partially seeded database is repaired.
Reverse removes exactly these rows; it fails (PROTECT) if partners already reference them, which is
the intended guard against losing classification bases.
"""

import datetime as dt

from django.db import migrations

EOK = 100_000_000

# (KSIC divisions, industry label, SME limit 2015 in 억, small limit 2015 in 억, SME limit 2026 in 억)
BANDS = [
    (("01", "02", "03"), "농업, 임업 및 어업", 1000, 80, 1200),
    (("05", "06", "07", "08"), "광업", 1000, 80, 1200),
    (("10",), "식료품 제조업", 1000, 120, 1200),
    (("11",), "음료 제조업", 800, 120, 1000),
    (("12",), "담배 제조업", 1000, 80, 1200),
    (("13",), "섬유제품 제조업(의복 제외)", 1000, 80, 1200),
    (("14",), "의복, 의복액세서리 및 모피제품 제조업", 1500, 120, 1800),
    (("15",), "가죽, 가방 및 신발 제조업", 1500, 120, 1800),
    (("16",), "목재 및 나무제품 제조업(가구 제외)", 1000, 80, 1200),
    (("17",), "펄프, 종이 및 종이제품 제조업", 1500, 80, 1800),
    (("18",), "인쇄 및 기록매체 복제업", 800, 80, 1000),
    (("19",), "코크스, 연탄 및 석유정제품 제조업", 1000, 120, 1200),
    (("20",), "화학물질 및 화학제품 제조업(의약품 제외)", 1000, 120, 1500),
    (("21",), "의료용 물질 및 의약품 제조업", 800, 120, 1000),
    (("22",), "고무제품 및 플라스틱제품 제조업", 1000, 80, 1200),
    (("23",), "비금속 광물제품 제조업", 800, 120, 1000),
    (("24",), "1차 금속 제조업", 1500, 120, 1800),
    (("25",), "금속가공제품 제조업(기계 및 가구 제외)", 1000, 120, 1500),
    (("26",), "전자부품, 컴퓨터, 영상, 음향 및 통신장비 제조업", 1000, 120, 1500),
    (("27",), "의료, 정밀, 광학기기 및 시계 제조업", 800, 80, 1000),
    (("28",), "전기장비 제조업", 1500, 120, 1800),
    (("29",), "그 밖의 기계 및 장비 제조업", 1000, 120, 1500),
    (("30",), "자동차 및 트레일러 제조업", 1000, 120, 1500),
    (("31",), "그 밖의 운송장비 제조업", 1000, 80, 1500),
    (("32",), "가구 제조업", 1500, 120, 1800),
    (("33",), "그 밖의 제품 제조업", 800, 80, 1000),
    # KSIC 10th revision split repair of machinery into division 34; treated like division 33.
    (("34",), "산업용 기계 및 장비 수리업", 800, 80, 1000),
    (("35",), "전기, 가스, 증기 및 공기조절 공급업", 1000, 120, 1200),
    (("36",), "수도업", 1000, 120, 1200),
    (("37", "38", "39"), "하수·폐기물 처리, 원료 재생 및 환경 복원업", 800, 30, 800),
    (("41", "42"), "건설업", 1000, 80, 1200),
    (("45", "46", "47"), "도매 및 소매업", 1000, 50, 1200),
    (("49", "50", "51", "52"), "운수 및 창고업", 800, 80, 800),
    (("55", "56"), "숙박 및 음식점업", 400, 10, 400),
    (("58", "59", "60", "61", "62", "63"), "출판, 영상, 방송통신 및 정보서비스업", 800, 50, 800),
    (("64", "65", "66"), "금융 및 보험업", 400, 80, 400),
    (("68",), "부동산업", 400, 30, 400),
    (("70", "71", "72", "73"), "전문, 과학 및 기술 서비스업", 600, 30, 600),
    (("74", "75", "76"), "사업시설관리, 사업지원 및 임대 서비스업", 600, 30, 600),
    (("85",), "교육 서비스업", 400, 10, 400),
    (("86", "87"), "보건업 및 사회복지 서비스업", 600, 10, 600),
    (("90", "91"), "예술, 스포츠 및 여가관련 서비스업", 600, 30, 600),
    (("94", "95", "96"), "협회 및 단체, 수리 및 기타 개인 서비스업", 600, 10, 600),
]

STANDARD_2015 = "2015–2025 중소기업 규모기준"
STANDARD_2026 = "2026 개정 중소기업 규모기준"

LEGACY_FROM, LEGACY_TO = dt.date(2014, 1, 1), dt.date(2018, 11, 19)
AREAS_FROM = dt.date(2018, 11, 20)  # Partners Day 2018: the 5G shared-growth plan

# (code, Korean name, English name)
LEGACY_FIELDS = [
    ("legacy-materials", "물자", "Materials"),
    ("legacy-construction", "공사", "Construction"),
    ("legacy-software", "소프트웨어 개발", "Software development"),
    ("legacy-services", "용역", "Services"),
    ("legacy-network-equipment", "네트워크 장비", "Network equipment"),
]
BUSINESS_AREAS = [
    ("area-technology", "기술", "Technology"),
    ("area-infrastructure", "인프라구축", "Infrastructure construction"),
    ("area-startup", "스타트업", "Start-ups"),
    ("area-new-business", "신사업", "New business"),
    ("area-biz", "Biz사업", "Biz business"),
    ("area-global", "글로벌", "Global"),
    ("area-network", "네트워크", "Network"),
    ("area-solution", "솔루션", "Solutions"),
    ("area-device", "단말", "Devices"),
    ("area-content", "콘텐츠", "Content"),
]


def _round_eok(amount_eok: float) -> int:
    """Round to 10억, never below 10억."""
    return max(10, int(round(amount_eok / 10.0)) * 10)


def seed(apps, schema_editor):
    SizeStandard = apps.get_model("partners", "SizeStandard")
    SizeStandardBand = apps.get_model("partners", "SizeStandardBand")
    CollaborationField = apps.get_model("partners", "CollaborationField")

    defaults = {
        "total_assets_limit_krw": 5_000 * EOK,
        "middle_market_assets_limit_krw": 100_000 * EOK,  # 10조
        "default_medium_limit_krw": 400 * EOK,
        "default_small_limit_krw": 10 * EOK,
    }
    old, _ = SizeStandard.objects.update_or_create(
        name=STANDARD_2015,
        defaults={"valid_from": dt.date(2015, 1, 1), "valid_to": dt.date(2025, 12, 31), **defaults},
    )
    new, _ = SizeStandard.objects.update_or_create(
        name=STANDARD_2026, defaults={"valid_from": dt.date(2026, 1, 1), "valid_to": None, **defaults}
    )
    for divisions, label, medium_old, small_old, medium_new in BANDS:
        small_new = min(medium_new, _round_eok(small_old * medium_new / medium_old))
        for division in divisions:
            SizeStandardBand.objects.update_or_create(
                standard=old,
                ksic_division=division,
                defaults={
                    "industry_label": label,
                    "medium_limit_krw": medium_old * EOK,
                    "small_limit_krw": small_old * EOK,
                },
            )
            SizeStandardBand.objects.update_or_create(
                standard=new,
                ksic_division=division,
                defaults={
                    "industry_label": label,
                    "medium_limit_krw": medium_new * EOK,
                    "small_limit_krw": small_new * EOK,
                },
            )

    for order, (code, name_ko, name_en) in enumerate(LEGACY_FIELDS, start=1):
        CollaborationField.objects.update_or_create(
            code=code,
            defaults={
                "name_ko": name_ko,
                "name_en": name_en,
                "kind": "legacy",
                "valid_from": LEGACY_FROM,
                "valid_to": LEGACY_TO,
                "sort_order": order,
            },
        )
    for order, (code, name_ko, name_en) in enumerate(BUSINESS_AREAS, start=1):
        CollaborationField.objects.update_or_create(
            code=code,
            defaults={
                "name_ko": name_ko,
                "name_en": name_en,
                "kind": "business_area",
                "valid_from": AREAS_FROM,
                "valid_to": None,
                "sort_order": order,
            },
        )


def unseed(apps, schema_editor):
    SizeStandard = apps.get_model("partners", "SizeStandard")
    CollaborationField = apps.get_model("partners", "CollaborationField")
    codes = [code for code, _ko, _en in LEGACY_FIELDS + BUSINESS_AREAS]
    CollaborationField.objects.filter(code__in=codes).delete()
    SizeStandard.objects.filter(name__in=[STANDARD_2015, STANDARD_2026]).delete()  # bands cascade


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
