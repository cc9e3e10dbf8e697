"""The bench dataset "scale" (DESIGN.md, Performance): 5,000 partners and 20,000 users at scale 1.

Written with bulk_create straight through the ORM (services would take hours for 20,000 people
and are not what the bench measures), but every row is one the services could have written: valid
BRNs, classified sizes, onboarding timelines, one active membership per person, contacts, and an
audit chain whose links and hashes verify (`manage.py verify_audit`). Everything is derived from a
seed, so two runs at the same scale build the same companies.

Needs a configured Django (the bench's own SQLite under var/bench, or the pytest database).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from sangsaeng.accounts.models import (
    ApiToken,
    Membership,
    Organization,
    OrganizationKind,
    Role,
    User,
    hash_token,
)
from sangsaeng.core.models import AuditChainHead, AuditEvent
from sangsaeng.demo import synthetic
from sangsaeng.partners.models import (
    CollaborationField,
    Contact,
    Partner,
    PartnerField,
    PartnerStatus,
    PartnerStatusChange,
)

SCALE_PARTNERS = 5_000
SCALE_USERS = 20_000
DATASET_VERSION = 1
DEFAULT_SEED = 2026
BENCH_PASSWORD = "sangsaeng-bench-2026!"
# A fixed raw token: only its SHA-256 is stored, as for any personal token; the bench sends it.
BENCH_TOKEN = "sgb_bench_0123456789abcdef0123456789abcdef"
DOMAIN = "bench.example.com"
PM_EMAIL = f"pm@{DOMAIN}"
SUPERUSER_EMAIL = f"superuser@{DOMAIN}"
BATCH = 500
AUDIT_ACTION_PREFIX = "bench."

HOST_STAFF = (
    ("admin", Role.ADMIN),
    ("pm", Role.PROGRAM_MANAGER),
    ("reviewer", Role.REVIEWER),
    ("lab", Role.LAB_OPERATOR),
    ("auditor", Role.AUDITOR),
)
# Status mix of a mature registry: mostly approved, some in review or stopped.
STATUS_WEIGHTS = {
    PartnerStatus.APPROVED: 90,
    PartnerStatus.PENDING: 4,
    PartnerStatus.CHANGES_REQUESTED: 2,
    PartnerStatus.REJECTED: 2,
    PartnerStatus.SUSPENDED: 2,
}
REASONS = {
    PartnerStatus.APPROVED: "서류 확인 완료",
    PartnerStatus.CHANGES_REQUESTED: "중소기업확인서를 다시 올려 주세요.",
    PartnerStatus.REJECTED: "협력 분야가 맞지 않습니다.",
    PartnerStatus.SUSPENDED: "공정거래협약 갱신 전까지 거래 중지",
}
# Host people, the superuser, two bank officers and one agency observer.
FIXED_PEOPLE = len(HOST_STAFF) + 1 + 2 + 1


def sizes_for_scale(scale: float) -> tuple[int, int]:
    """(partners, users) of the "scale" dataset times `scale` (1 → 5,000 and 20,000)."""
    partners = max(1, round(SCALE_PARTNERS * scale))
    users = max(partners + FIXED_PEOPLE, round(SCALE_USERS * scale))
    return partners, users


@dataclass
class Dataset:
    """What the load test needs to know about a generated database (saved as dataset.json)."""

    version: int
    seed: int
    partners: int
    users: int
    audit_events: int
    password: str = BENCH_PASSWORD
    token: str = BENCH_TOKEN
    pm_email: str = PM_EMAIL
    superuser_email: str = SUPERUSER_EMAIL
    approved_partner_ids: list[int] = field(default_factory=list)
    login_emails: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _batches(items: list[Any], size: int = BATCH) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _bulk(model: Any, rows: list[Any]) -> list[Any]:
    """bulk_create in batches; primary keys are set on the objects (SQLite ≥ 3.35, PostgreSQL)."""
    created: list[Any] = []
    for chunk in _batches(rows):
        created.extend(model.objects.bulk_create(chunk))
    return created


@dataclass
class _Event:
    actor: User
    action: str
    partner: Partner
    changes: dict[str, Any]


def _classifier() -> Callable[[Partner], None]:
    """Size classification with today's standard loaded once (not saved: bulk_create saves)."""
    from sangsaeng.core.dates import today
    from sangsaeng.partners.classification import apply_classification, load_table

    on = today()
    table = load_table(on)

    def classify(partner: Partner) -> None:
        apply_classification(partner, on, table=table)

    return classify


def generate(
    *,
    partners: int,
    users: int,
    seed: int = DEFAULT_SEED,
    audit_events: int | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> Dataset:
    """Write `partners` partner companies and `users` people (including host, bank and agency staff).

    Also contacts, collaboration fields, status histories, an API token for the programme manager
    and `audit_events` chained audit events (default: ten per partner). Raises ValueError if there
    are fewer users than partner owners plus the fixed staff.
    """
    if users < partners + FIXED_PEOPLE:
        raise ValueError(f"need at least {partners + FIXED_PEOPLE} users for {partners} partners")
    audit_events = 10 * partners if audit_events is None else audit_events
    started = timezone.now()
    rng = random.Random(seed)
    password_hash = make_password(BENCH_PASSWORD)  # one Argon2 hash shared by every bench person
    with transaction.atomic():
        host, staff = _host_and_staff(password_hash)
        log("host, banks, agency and staff written")
        companies = _partners(rng, seed, partners)
        log(f"{len(companies)} partners written")
        owners, people = _people(rng, companies, users - FIXED_PEOPLE, password_hash)
        log(f"{len(people)} partner people written")
        history = _histories(companies, owners, staff[Role.ADMIN])
        log(f"{len(history)} status changes written")
        _contacts_and_fields(rng, companies)
        log("contacts and collaboration fields written")
        written = _audit_chain(rng, companies, owners, staff[Role.ADMIN], host, history, audit_events)
        log(f"{written} audit events written")
    approved = [p for p in companies if p.status == PartnerStatus.APPROVED]
    sample = random.Random(seed + 7)
    return Dataset(
        version=DATASET_VERSION,
        seed=seed,
        partners=partners,
        users=User.objects.count(),
        audit_events=written,
        approved_partner_ids=sorted(p.pk for p in sample.sample(approved, k=min(500, len(approved)))),
        login_emails=sorted(owners[p.pk].email for p in sample.sample(approved, k=min(200, len(approved)))),
        seconds=round((timezone.now() - started).total_seconds(), 1),
    )


def _host_and_staff(password_hash: str) -> tuple[Organization, dict[str, User]]:
    host = Organization.objects.create(
        kind=OrganizationKind.HOST, name="상생텔레콤", name_en="Sangsaeng Telecom"
    )
    staff: dict[str, User] = {}
    for local, role in HOST_STAFF:
        user = User.objects.create(email=f"{local}@{DOMAIN}", name=f"벤치 {local}", password=password_hash)
        Membership.objects.create(user=user, organization=host, role=role)
        staff[role] = user
    User.objects.create(
        email=SUPERUSER_EMAIL, name="벤치 관리자", password=password_hash, is_staff=True, is_superuser=True
    )
    for index, (name, name_en) in enumerate((("상생은행", "Sangsaeng Bank"), ("미래은행", "Mirae Bank"))):
        bank = Organization.objects.create(kind=OrganizationKind.BANK, name=name, name_en=name_en)
        officer = User.objects.create(
            email=f"officer{index}@{DOMAIN}", name="여신 담당", password=password_hash
        )
        Membership.objects.create(user=officer, organization=bank, role=Role.LOAN_OFFICER)
    agency = Organization.objects.create(kind=OrganizationKind.AGENCY, name="동반성장위원회")
    observer = User.objects.create(email=f"observer@{DOMAIN}", name="관찰자", password=password_hash)
    Membership.objects.create(user=observer, organization=agency, role=Role.OBSERVER)
    pm = staff[Role.PROGRAM_MANAGER]
    ApiToken.objects.create(
        user=pm, organization=host, name="bench", prefix=BENCH_TOKEN[:8], token_hash=hash_token(BENCH_TOKEN)
    )
    return host, staff


def _partners(rng: random.Random, seed: int, count: int) -> list[Partner]:
    taken = set(Partner.objects.values_list("brn", flat=True))
    brns = synthetic.unique_brns(rng, count, taken=taken)
    names = synthetic.company_names(seed, exclude=frozenset({"이루온", "하이테크"}))
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    classify = _classifier()
    organizations: list[Organization] = []
    partners: list[Partner] = []
    for brn in brns:
        company = next(names)
        organizations.append(
            Organization(kind=OrganizationKind.PARTNER, name=company.name_ko, name_en=company.name_en)
        )
        size = rng.choices(synthetic.SIZE_TARGETS, weights=synthetic.SIZE_WEIGHTS)[0]
        figures = synthetic.size_profile(rng, size)
        status = rng.choices(statuses, weights=weights)[0]
        text, tags = synthetic.capabilities(rng)
        fair_trade = rng.random() < 0.7
        partner = Partner(
            status=status,
            status_reason=REASONS.get(status, "") if status != PartnerStatus.APPROVED else "",
            brn=brn,
            corporate_number=synthetic.corporate_number(rng) if rng.random() < 0.5 else "",
            name_ko=company.name_ko,
            name_en=company.name_en,
            ceo_name=synthetic.person_name(rng),
            address=synthetic.address(rng),
            founded_on=dt.date(1985, 1, 1) + dt.timedelta(days=rng.randint(0, 12_500)),
            employees=figures.employees,
            ksic_code=rng.choice(company.ksic_codes),
            average_revenue_krw=figures.average_revenue_krw,
            total_assets_krw=figures.total_assets_krw,
            in_disclosed_group=size == "large",
            tier=rng.choices((1, 2, 3, 4), weights=synthetic.TIER_WEIGHTS)[0],
            fair_trade_agreement=fair_trade,
            fair_trade_agreement_on=dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 2_000))
            if fair_trade
            else None,
            capabilities=text,
            capability_tags=tags,
            approved_at=timezone.now() - dt.timedelta(days=rng.randint(30, 3_000))
            if status in (PartnerStatus.APPROVED, PartnerStatus.SUSPENDED)
            else None,
        )
        classify(partner)
        partners.append(partner)
    for organization, partner in zip(_bulk(Organization, organizations), partners, strict=True):
        partner.organization = organization
    return _bulk(Partner, partners)


def _people(
    rng: random.Random, partners: list[Partner], count: int, password_hash: str
) -> tuple[dict[int, User], list[User]]:
    """One owner per partner, the remaining people as members spread over the partners."""
    owners_for = list(partners)
    members_for = rng.choices(partners, k=count - len(partners)) if count > len(partners) else []
    users: list[User] = []
    roles: list[tuple[Partner, str]] = []
    seen: dict[int, int] = {}
    for partner, role in [(p, Role.OWNER) for p in owners_for] + [(p, Role.MEMBER) for p in members_for]:
        number = seen.get(partner.pk, 0)
        seen[partner.pk] = number + 1
        local = "owner" if role == Role.OWNER else f"member{number}"
        users.append(
            User(
                email=f"{local}@p{partner.pk}.{DOMAIN}",
                name=synthetic.person_name(rng),
                phone=synthetic.phone_number(rng),
                password=password_hash,
            )
        )
        roles.append((partner, role))
    created = _bulk(User, users)
    _bulk(
        Membership,
        [
            Membership(user=user, organization_id=partner.organization_id, role=role)
            for user, (partner, role) in zip(created, roles, strict=True)
        ],
    )
    owners = {
        partner.pk: user for user, (partner, role) in zip(created, roles, strict=True) if role == Role.OWNER
    }
    return owners, created


def _steps(status: str) -> list[tuple[str, str]]:
    """The (from, to) transitions that lead from sign-up to `status` (Partner.TRANSITIONS)."""
    steps = [("", PartnerStatus.PENDING)]
    if status == PartnerStatus.PENDING:
        return steps
    if status in (PartnerStatus.CHANGES_REQUESTED, PartnerStatus.REJECTED):
        return [*steps, (PartnerStatus.PENDING, status)]
    steps.append((PartnerStatus.PENDING, PartnerStatus.APPROVED))
    if status == PartnerStatus.SUSPENDED:
        steps.append((PartnerStatus.APPROVED, PartnerStatus.SUSPENDED))
    return steps


def _histories(partners: list[Partner], owners: dict[int, User], admin: User) -> list[PartnerStatusChange]:
    changes = [
        PartnerStatusChange(
            partner=partner,
            from_status=before,
            to_status=after,
            reason=REASONS.get(after, ""),
            actor=owners[partner.pk] if before == "" else admin,
        )
        for partner in partners
        for before, after in _steps(partner.status)
    ]
    return _bulk(PartnerStatusChange, changes)


def _contacts_and_fields(rng: random.Random, partners: list[Partner]) -> None:
    fields = list(CollaborationField.objects.order_by("kind", "sort_order", "code"))
    areas = [f for f in fields if f.kind == CollaborationField.Kind.BUSINESS_AREA] or fields
    legacy = [f for f in fields if f.kind == CollaborationField.Kind.LEGACY]
    links: list[PartnerField] = []
    contacts: list[Contact] = []
    for partner in partners:
        if areas:
            chosen = rng.sample(areas, k=min(len(areas), rng.randint(1, 3)))
            if legacy and rng.random() < 0.3:
                chosen.append(rng.choice(legacy))
            links.extend(PartnerField(partner=partner, field=f) for f in dict.fromkeys(chosen))
        for number in range(rng.randint(1, 3)):
            contacts.append(
                Contact(
                    partner=partner,
                    name=synthetic.person_name(rng),
                    department=rng.choice(("영업팀", "기술지원팀", "경영지원팀")),
                    email=f"contact{number}@p{partner.pk}.{DOMAIN}",
                    phone=synthetic.phone_number(rng),
                    is_primary=number == 0,
                )
            )
    _bulk(PartnerField, links)
    _bulk(Contact, contacts)


def _events(
    rng: random.Random,
    partners: list[Partner],
    owners: dict[int, User],
    admin: User,
    history: list[PartnerStatusChange],
    total: int,
) -> Iterable[_Event]:
    """What happened, in the order it is chained: each status change, then profile edits."""
    by_pk = {p.pk: p for p in partners}
    count = 0
    for change in history:
        if count == total:
            return
        partner = by_pk[change.partner_id]
        actor = owners[partner.pk] if change.from_status == "" else admin
        action = "partners.sign_up" if change.from_status == "" else "partners.decide_partner"
        changes = {"status": [change.from_status or None, change.to_status]}
        yield _Event(actor, AUDIT_ACTION_PREFIX + action, partner, changes)
        count += 1
    while count < total:
        partner = rng.choice(partners)
        employees = partner.employees or 0
        changes = {"employees": [employees, employees + rng.randint(1, 20)]}
        yield _Event(owners[partner.pk], AUDIT_ACTION_PREFIX + "partners.update_partner", partner, changes)
        count += 1


def _audit_chain(
    rng: random.Random,
    partners: list[Partner],
    owners: dict[int, User],
    admin: User,
    host: Organization,
    history: list[PartnerStatusChange],
    total: int,
) -> int:
    """Append `total` events to the chain exactly as audit.record would, then move the head.

    The head row is locked first (as audit.record does), each event takes the next sequence number
    and the previous event's hash, and its own hash is computed from its canonical content.
    """
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = AuditChainHead.objects.create(pk=1)
    seq, previous = head.last_seq, head.last_hash
    base = timezone.now() - dt.timedelta(days=5 * 365)
    step = dt.timedelta(days=5 * 365) / max(total, 1)
    rows: list[AuditEvent] = []
    for index, event in enumerate(_events(rng, partners, owners, admin, history, total)):
        seq += 1
        actor = event.actor
        row = AuditEvent(
            seq=seq,
            created_at=(base + step * index).replace(microsecond=0),
            actor=actor,
            actor_label=actor.email,
            # The actor's organisation when it acted: the host for decisions, else the partner.
            organization_id_at_time=host.pk if actor is admin else event.partner.organization_id,
            action=event.action,
            object_type="partners.partner",
            object_id=str(event.partner.pk),
            object_repr=event.partner.name_ko,
            partner_organization_id=event.partner.organization_id,
            changes=event.changes,
            request_id="",
            ip_address=None,
            prev_hash=previous,
        )
        row.hash = row.compute_hash()
        previous = row.hash
        rows.append(row)
    _bulk(AuditEvent, rows)
    AuditChainHead.objects.filter(pk=1).update(last_seq=seq, last_hash=previous)
    return len(rows)
