"""Deterministic fictional data for the demo scenario and the bench: companies, people, BRNs.

Everything is derived from a `random.Random(seed)`, so the same seed gives the same companies on
every machine; that is what makes `load_demo` idempotent (rows are keyed on the BRN and e-mail
address it produces) and the bench datasets reusable. Names are assembled from syllable stems, so
they are fictional; phone numbers use the unallocated 010-0xxx block and e-mail addresses the
reserved example.com domain (RFC 2606), so no real person or company is contacted by a demo.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

# 사업자등록번호 (business registration number, BRN) check digit weights (DOMAIN.md §0).
BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)

# (Korean stem, romanised) pairs; combined with a suffix they make a company name.
STEMS: tuple[tuple[str, str], ...] = (
    ("가온", "Gaon"),
    ("한빛", "Hanbit"),
    ("누리", "Nuri"),
    ("세움", "Seum"),
    ("다온", "Daon"),
    ("가람", "Garam"),
    ("미르", "Mir"),
    ("솔빛", "Solbit"),
    ("온새", "Onsae"),
    ("나래", "Narae"),
    ("별빛", "Byeolbit"),
    ("도담", "Dodam"),
    ("아라", "Ara"),
    ("해솔", "Haesol"),
    ("라온", "Raon"),
    ("새솔", "Saesol"),
    ("마루", "Maru"),
    ("여울", "Yeoul"),
    ("바로", "Baro"),
    ("이음", "Ieum"),
    ("은하", "Eunha"),
    ("청솔", "Cheongsol"),
    ("푸른", "Pureun"),
    ("한결", "Hangyeol"),
    ("늘봄", "Neulbom"),
    ("단비", "Danbi"),
    ("보람", "Boram"),
    ("든솔", "Deunsol"),
    ("새벽", "Saebyeok"),
    ("지음", "Jieum"),
    ("큰별", "Keunbyeol"),
    ("동녘", "Dongnyeok"),
    ("너울", "Neoul"),
    ("모아", "Moa"),
    ("씨앗", "Ssiat"),
    ("하람", "Haram"),
    ("참빛", "Chambit"),
    ("윤슬", "Yunseul"),
    ("빛누리", "Bitnuri"),
    ("오름", "Oreum"),
    ("시냇", "Sinaet"),
    ("그루", "Geuru"),
    ("나루", "Naru"),
    ("다솜", "Dasom"),
    ("한울", "Hanul"),
    ("새길", "Saegil"),
    ("물결", "Mulgyeol"),
    ("터울", "Teoul"),
)

# (Korean suffix, English suffix, typical KSIC codes) — the suffix hints at the line of business.
SUFFIXES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("네트웍스", "Networks", ("26410", "61220")),
    ("정보통신", "Information & Communication", ("26410", "42204", "61220")),
    ("시스템", "Systems", ("26299", "62021")),
    ("솔루션", "Solutions", ("58222", "62010")),
    ("테크놀로지", "Technology", ("26410", "26429")),
    ("전자", "Electronics", ("26299", "26421")),
    ("이엔씨", "E&C", ("42201", "42204")),
    ("엔지니어링", "Engineering", ("71531", "42204")),
    ("소프트", "Soft", ("58222", "62010")),
    ("랩스", "Labs", ("62010", "70113")),
    ("통신기술", "Telecom Engineering", ("42204", "26410")),
    ("데이터", "Data", ("63112", "62090")),
    ("인프라", "Infra", ("42201", "42204")),
    ("모바일", "Mobile", ("26421", "58222")),
    ("미디어", "Media", ("59114", "58222")),
    ("에너지", "Energy", ("28111", "35113")),
    ("디바이스", "Devices", ("26421", "26299")),
    ("광통신", "Photonics", ("26410", "28423")),
    ("보안", "Security", ("62021", "58222")),
    ("물산", "Trading", ("46512", "46510")),
)

SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍전고문양손배백허남심노하곽성차주우구민유나진지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감음빈동온호범좌팽승간상갈"
GIVEN_SYLLABLES = "민서준현우지윤도하은수영진호성연예주원재경태희승혜정유나상동석명철환기"

STREETS = (
    "서울특별시 강남구 테헤란로",
    "서울특별시 서초구 강남대로",
    "서울특별시 금천구 가산디지털1로",
    "서울특별시 구로구 디지털로",
    "서울특별시 영등포구 여의대로",
    "경기도 성남시 분당구 판교역로",
    "경기도 안양시 동안구 시민대로",
    "경기도 수원시 영통구 광교로",
    "인천광역시 연수구 송도과학로",
    "대전광역시 유성구 대덕대로",
    "대구광역시 북구 호암로",
    "광주광역시 북구 첨단과기로",
    "부산광역시 해운대구 센텀중앙로",
    "경상북도 구미시 산호대로",
)

CAPABILITY_TAGS = (
    "5G",
    "LTE",
    "RAN",
    "광전송",
    "중계기",
    "안테나",
    "MEC",
    "NFV",
    "SDN",
    "IoT",
    "AI",
    "빅데이터",
    "클라우드",
    "보안",
    "AR/VR",
    "스마트팩토리",
    "통신공사",
    "전송망",
    "기지국",
    "단말",
    "계측기",
    "블록체인",
    "스마트에너지",
    "네트워크관리",
)

CAPABILITY_SENTENCES = (
    "5G 기지국 및 중계기 설계·설치",
    "광전송 장비 개발과 유지보수",
    "네트워크 관리 시스템(NMS) 개발",
    "IoT 단말과 플랫폼 연동",
    "AI 기반 음성 인식 서비스 개발",
    "MEC 서버 구축과 운영",
    "통신 인프라 공사와 감리",
    "AR/VR 콘텐츠 제작",
    "보안 관제와 인증 솔루션",
    "스마트 에너지 관리 솔루션",
    "RF 계측과 시험 서비스",
    "빅데이터 분석 플랫폼 구축",
)


def brn_check_digit(body: str) -> int:
    """The 10th digit of a BRN from its first nine (DOMAIN.md §0)."""
    digits = [int(ch) for ch in body]
    total = sum(d * w for d, w in zip(digits, BRN_WEIGHTS, strict=True)) + (digits[8] * 5) // 10
    return (10 - total % 10) % 10


def is_valid_brn(brn: str) -> bool:
    """True when `brn` is 10 plain digits with a valid check digit and plausible blocks."""
    if len(brn) != 10 or not brn.isdigit():
        return False
    if int(brn[:3]) < 101 or brn[3:5] == "00" or brn[5:9] == "0000":
        return False
    return brn_check_digit(brn[:9]) == int(brn[9])


def make_brn(rng: random.Random) -> str:
    """A random valid BRN: first block 101–999, middle block 01–99, serial 0001–9999."""
    first = rng.randint(101, 999)
    middle = rng.randint(1, 99)
    serial = rng.randint(1, 9999)
    body = f"{first:03d}{middle:02d}{serial:04d}"
    return body + str(brn_check_digit(body))


def unique_brns(rng: random.Random, count: int, taken: set[str] | None = None) -> list[str]:
    """`count` distinct valid BRNs, none of them in `taken` (bounded: the space holds ~8.8e8)."""
    seen = set(taken or ())
    result: list[str] = []
    # Collisions are rare (count ≪ the number space), so a few extra draws always suffice.
    for _ in range(count * 20 + 100):
        if len(result) == count:
            break
        brn = make_brn(rng)
        if brn not in seen:
            seen.add(brn)
            result.append(brn)
    if len(result) != count:
        raise RuntimeError(f"could not draw {count} distinct BRNs")
    return result


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_SYLLABLES) + rng.choice(GIVEN_SYLLABLES)


def phone_number(rng: random.Random) -> str:
    """A mobile number in the 010-0xxx block, which is not assigned to subscribers."""
    return f"010-0{rng.randint(0, 999):03d}-{rng.randint(0, 9999):04d}"


def slug(text: str) -> str:
    """ASCII lower-case with hyphens, for e-mail domains built from English names."""
    out = []
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


@dataclass(frozen=True)
class CompanyName:
    name_ko: str
    name_en: str
    ksic_codes: tuple[str, ...]

    @property
    def domain(self) -> str:
        return f"{slug(self.name_en)}.example.com"


def company_names(seed: int, *, exclude: frozenset[str] = frozenset()) -> Iterator[CompanyName]:
    """Distinct fictional company names in a seed-determined order.

    First every stem + suffix (960 names), then stem + stem + suffix (~45,000 more), so the demo
    gets short names and the bench still never repeats one. Names in `exclude` (real companies,
    names already used) are skipped.
    """
    rng = random.Random(seed)
    pairs = [(s, x) for s in STEMS for x in SUFFIXES]
    rng.shuffle(pairs)
    for (stem_ko, stem_en), (suffix_ko, suffix_en, codes) in pairs:
        name = CompanyName(f"{stem_ko}{suffix_ko}", f"{stem_en} {suffix_en}", codes)
        if name.name_ko not in exclude:
            yield name
    triples = [(a, b, x) for a in STEMS for b in STEMS if a != b for x in SUFFIXES]
    rng.shuffle(triples)
    for (a_ko, a_en), (b_ko, b_en), (suffix_ko, suffix_en, codes) in triples:
        name = CompanyName(f"{a_ko}{b_ko}{suffix_ko}", f"{a_en}{b_en.lower()} {suffix_en}", codes)
        if name.name_ko not in exclude:
            yield name


@dataclass(frozen=True)
class SizeProfile:
    """Figures that put a company in a size class under the 2015–2025 and 2026 tables."""

    employees: int
    average_revenue_krw: int
    total_assets_krw: int


EOK = 100_000_000  # 억 원


def size_profile(rng: random.Random, target: str) -> SizeProfile:
    """Figures for a target class: small, medium, middle_market or large (DOMAIN.md §0)."""
    if target == "small":
        revenue = rng.randint(3, 9) * EOK
        return SizeProfile(rng.randint(5, 45), revenue, revenue * rng.randint(5, 12) // 10)
    if target == "medium":
        revenue = rng.randint(60, 380) * EOK
        return SizeProfile(rng.randint(50, 280), revenue, revenue * rng.randint(6, 12) // 10)
    if target == "middle_market":
        revenue = rng.randint(1_900, 4_500) * EOK
        return SizeProfile(rng.randint(300, 1_200), revenue, rng.randint(2_000, 4_800) * EOK)
    revenue = rng.randint(12_000, 40_000) * EOK
    return SizeProfile(rng.randint(1_500, 8_000), revenue, rng.randint(12_000, 60_000) * EOK)


SIZE_TARGETS = ("small", "medium", "middle_market", "large")
SIZE_WEIGHTS = (45, 40, 12, 3)
TIER_WEIGHTS = (55, 28, 12, 5)  # tiers 1차..4차


def capabilities(rng: random.Random) -> tuple[str, str]:
    """Free text and comma-separated tags describing what a company does."""
    sentences = rng.sample(CAPABILITY_SENTENCES, k=rng.randint(1, 3))
    tags = rng.sample(CAPABILITY_TAGS, k=rng.randint(2, 5))
    return ". ".join(sentences) + ".", ",".join(tags)


def address(rng: random.Random) -> str:
    return f"{rng.choice(STREETS)} {rng.randint(1, 400)}"


# 법인등록번호 (corporate registration number) check digit weights: 1 and 2 alternating.
CORPORATE_NUMBER_WEIGHTS = (1, 2) * 6
# Registry office codes (등기관서) seen in the first four digits: Seoul central, Suwon, Daejeon.
REGISTRY_OFFICES = ("1101", "1311", "1601")


def corporate_number(rng: random.Random) -> str:
    """A valid 13-digit 법인등록번호 of a stock company (주식회사, type code 11)."""
    body = f"{rng.choice(REGISTRY_OFFICES)}11{rng.randint(1, 999_999):06d}"
    total = sum(int(d) * w for d, w in zip(body, CORPORATE_NUMBER_WEIGHTS, strict=True))
    return body + str((10 - total % 10) % 10)
