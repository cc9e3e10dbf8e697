"""Reads of the use-case pipeline, always scoped to what the acting user may see.

The host (every role) sees all use cases; a partner's people see their own company's in full;
approved partners browse the showcase (설명회) of use cases past screening, with limited fields.
Lists run a fixed number of queries whatever their length.
"""

from __future__ import annotations

import dataclasses
import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass
from html import escape as escape_html
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, RowNumber
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import OrganizationKind, User
from sangsaeng.accounts.selectors import is_host, kind_of, organization_id_of, people_with_role
from sangsaeng.core.text import normalize_text
from sangsaeng.usecases import permissions
from sangsaeng.usecases.models import (
    PIPELINE,
    SCREENING_CLOCK_STAGES,
    SHOWCASE_STAGES,
    GateDecision,
    Industry,
    Stage,
    UseCase,
    UseCaseAttachment,
)

PAGE_SIZE = 30
# Cards shown per board column; the count above each column is always the full number.
BOARD_COLUMN_LIMIT = 30
# What a board card (page and API) shows: loading only these keeps a full board quick to build.
BOARD_CARD_FIELDS = (
    "title",
    "partner__name_ko",
    "industry",
    "features",
    "stage",
    "sponsor__name",
    "screening_due_on",
    "submitted_at",
)
# Board columns: the pipeline, then the shelf and stopped.
BOARD_STAGES: tuple[str, ...] = (*PIPELINE, Stage.ON_HOLD, Stage.STOPPED)
# What the showcase shows of another partner's use case (the description stays under the NDA).
SHOWCASE_FIELDS = ("id", "title", "industry", "features", "stage", "submitted_at", "partner__name_ko")


@dataclass(frozen=True)
class UseCaseFilters:
    """Filters of the lists, the board and the API ("" / None = no filter)."""

    q: str = ""
    stage: str = ""
    industry: str = ""
    feature: str = ""
    sponsor: str = ""  # "", "me", "none" or a user id
    overdue: bool | None = None

    def replace(self, **changes: Any) -> UseCaseFilters:
        return dataclasses.replace(self, **changes)


def use_cases_for_user(user: Any) -> QuerySet[UseCase]:
    """Every use case the user may see in full (no ordering or related rows)."""
    if is_host(user):
        return UseCase.objects.all()
    own = organization_id_of(user)
    if kind_of(user) == OrganizationKind.PARTNER and own is not None:
        return UseCase.objects.filter(partner__organization_id=own)
    return UseCase.objects.none()


def overdue_condition(today: datetime.date) -> Q:
    """Screening not decided by its due date (2 months after submission by default)."""
    return Q(stage__in=SCREENING_CLOCK_STAGES, screening_due_on__lt=today)


def with_overdue_flag(queryset: QuerySet[UseCase], today: datetime.date) -> QuerySet[UseCase]:
    """Annotate `overdue` (bool) for the board's and lists' flags."""
    return queryset.annotate(
        overdue=Case(
            When(overdue_condition(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def overdue_use_cases(today: datetime.date | None = None) -> QuerySet[UseCase]:
    """All use cases whose screening is overdue (for reminders and the board), oldest due first."""
    today = today or timezone.localdate()
    return (
        UseCase.objects.filter(overdue_condition(today))
        .select_related("partner", "sponsor")
        .order_by("screening_due_on", "pk")
    )


def filter_use_cases(
    queryset: QuerySet[UseCase],
    filters: UseCaseFilters,
    *,
    user: Any,
    today: datetime.date,
    in_description: bool = False,
) -> QuerySet[UseCase]:
    """Apply stage, industry, 5G feature, sponsor, overdue and a word search on title and partner name.

    `in_description` also searches description and expected customers: only for people who may read
    them in full (so the shelf stays searchable later), never for the showcase.
    """
    if filters.stage:
        queryset = queryset.filter(stage=filters.stage)
    if filters.industry:
        queryset = queryset.filter(industry=filters.industry)
    if filters.feature:
        # JSON lists: SQLite has no JSON containment, so match the quoted code in the JSON text.
        queryset = queryset.annotate(features_text=Cast("features", TextField())).filter(
            features_text__contains=f'"{filters.feature}"'
        )
    if filters.sponsor == "me":
        queryset = queryset.filter(sponsor_id=getattr(user, "pk", None))
    elif filters.sponsor == "none":
        queryset = queryset.filter(sponsor__isnull=True)
    elif filters.sponsor.isdigit():
        queryset = queryset.filter(sponsor_id=int(filters.sponsor))
    if filters.overdue is True:
        queryset = queryset.filter(overdue_condition(today))
    elif filters.overdue is False:
        queryset = queryset.exclude(overdue_condition(today))
    for word in normalize_text(filters.q).split(" "):
        if word:
            condition = Q(title__icontains=word) | Q(partner__name_ko__icontains=word)
            if in_description:
                condition |= Q(description__icontains=word) | Q(expected_customers__icontains=word)
            queryset = queryset.filter(condition)
    return queryset


LIST_FIELDS = (
    "title",
    "partner",
    "partner__name_ko",
    "industry",
    "features",
    "stage",
    "resume_stage",
    "sponsor",
    "sponsor__name",
    "screening_due_on",
    "submitted_at",
)


def use_case_rows_for_user(
    user: Any, filters: UseCaseFilters | None = None, *, today: datetime.date | None = None
) -> QuerySet[UseCase]:
    """The list of "my use cases" (partner) or all use cases (host), newest first, with overdue flags."""
    today = today or timezone.localdate()
    queryset = filter_use_cases(
        use_cases_for_user(user), filters or UseCaseFilters(), user=user, today=today, in_description=True
    )
    return (
        with_overdue_flag(queryset, today)
        .select_related("partner", "sponsor")
        # The columns of the list and the API list only: descriptions, pledges and whole partner
        # and sponsor rows cost more than the page around them.
        .only(*LIST_FIELDS)
        .order_by("-submitted_at", "-pk")
    )


def get_use_case_for_user(user: Any, use_case_id: int) -> UseCase:
    """One use case the user may see in full, with its timeline and attachments; Http404 otherwise."""
    use_case = (
        with_overdue_flag(use_cases_for_user(user), timezone.localdate())
        .select_related("partner", "sponsor", "proposed_by")
        .prefetch_related(
            Prefetch("decisions", queryset=GateDecision.objects.select_related("decided_by")),
            "attachments",
        )
        .filter(pk=use_case_id)
        .first()
    )
    if use_case is None:
        raise Http404
    return use_case


def sharing_tasks_for_outcome(user: Any, use_case: UseCase) -> QuerySet[Any]:
    """Benefit-sharing tasks (finance) the user may see that involve the use case's partner, as the
    main partner or a participant: the tasks its outcome may be linked to. Newest first."""
    from sangsaeng.finance.selectors.sharing import tasks_for_user

    involved = Q(partner_id=use_case.partner_id) | Q(participants=use_case.partner_id)
    return tasks_for_user(user).filter(pk__in=tasks_for_user(user).filter(involved).values("pk"))


def visible_sharing_task(user: Any, use_case: UseCase) -> Any:
    """The use case's linked benefit-sharing task if the user may see it (for the link), else None."""
    from sangsaeng.finance.selectors.sharing import tasks_for_user

    if use_case.sharing_task_id is None:
        return None
    return tasks_for_user(user).filter(pk=use_case.sharing_task_id).first()


# Stages in which a use case is tested in the Open Lab (PoC, then validation incl. global PoC).
LAB_STAGES: tuple[str, ...] = (Stage.POC, Stage.VALIDATION)


def bookable_use_cases_for_user(user: Any) -> QuerySet[UseCase]:
    """The user's own company's use cases that may be linked to an Open Lab booking (PoC, validation).

    For the openlab app: a booking prefilled with `?use_case=<id>` checks the id against this.
    Host people see those of every partner.
    """
    return (
        use_cases_for_user(user)
        .filter(stage__in=LAB_STAGES)
        .select_related("partner")
        .order_by("-submitted_at", "-pk")
    )


def get_attachment_for_user(user: Any, use_case_id: int, attachment_id: int) -> UseCaseAttachment:
    attachment = (
        UseCaseAttachment.objects.filter(use_case__in=use_cases_for_user(user), use_case_id=use_case_id)
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment


def decisions_for_user(user: Any, use_case_id: int) -> QuerySet[GateDecision]:
    """The timeline of one visible use case (Http404 for anything else)."""
    if not use_cases_for_user(user).filter(pk=use_case_id).exists():
        raise Http404
    return (
        GateDecision.objects.filter(use_case_id=use_case_id)
        .select_related("decided_by")
        .order_by("decided_at", "pk")
    )


def showcase_for_user(user: Any, filters: UseCaseFilters | None = None) -> QuerySet[UseCase]:
    """Use cases past screening and not stopped or shelved, limited fields (설명회 showcase).

    Raises PermissionDenied for anyone but the host and approved partners' people.
    """
    if not permissions.can_view_showcase(user):
        raise PermissionDenied(_("The showcase is for the host and approved partners."))
    filters = (filters or UseCaseFilters()).replace(sponsor="", overdue=None)
    queryset = UseCase.objects.filter(stage__in=SHOWCASE_STAGES)
    if filters.stage and filters.stage not in SHOWCASE_STAGES:
        return queryset.none()
    queryset = filter_use_cases(queryset, filters, user=user, today=timezone.localdate())
    return queryset.select_related("partner").only(*SHOWCASE_FIELDS).order_by("-submitted_at", "-pk")


@dataclass
class BoardColumn:
    stage: str
    label: str
    count: int
    overdue: int
    cards: list[UseCase]
    # The board page's cards as escaped HTML and how many they are (board_page_for_user).
    cards_html: str = ""
    shown: int | None = None

    @property
    def more(self) -> int:
        return self.count - (len(self.cards) if self.shown is None else self.shown)


@dataclass
class Board:
    columns: list[BoardColumn]
    total: int
    overdue: int


def _board_base(
    user: Any, filters: UseCaseFilters | None, today: datetime.date | None
) -> tuple[QuerySet[UseCase], datetime.date, list[str], dict[str, dict[str, int]]]:
    """Permission check, the filtered use cases (any stage), the board's stages and their counts."""
    if not permissions.can_view_board(user):
        raise PermissionDenied(_("The board is for the host."))
    today = today or timezone.localdate()
    filters = filters or UseCaseFilters()
    base = filter_use_cases(
        UseCase.objects.all(), filters.replace(stage=""), user=user, today=today, in_description=True
    )
    counts = {
        row["stage"]: row
        for row in base.values("stage").annotate(
            n=Count("pk"), late=Count("pk", filter=overdue_condition(today))
        )
    }
    stages = [filters.stage] if filters.stage in BOARD_STAGES else list(BOARD_STAGES)
    return base, today, stages, counts


def board_for_user(
    user: Any, filters: UseCaseFilters | None = None, *, today: datetime.date | None = None
) -> Board:
    """The managers' kanban: a column per stage with its count, overdue count and first cards.

    Runs 1 query for the counts plus 1 per column, whatever the number of use cases.
    Raises PermissionDenied for anyone but the host.
    """
    base, today, stages, counts = _board_base(user, filters, today)
    labels = dict(Stage.choices)
    columns = []
    for stage in stages:
        row = counts.get(stage, {"n": 0, "late": 0})
        cards: list[UseCase] = []
        if row["n"]:
            cards = list(
                with_overdue_flag(base.filter(stage=stage), today)
                .select_related("partner", "sponsor")
                .only(*BOARD_CARD_FIELDS)
                .order_by("-overdue", "screening_due_on", "pk")[:BOARD_COLUMN_LIMIT]
            )
        columns.append(BoardColumn(stage, str(labels[stage]), row["n"], row["late"], cards))
    return Board(
        columns=columns,
        total=sum(column.count for column in columns),
        overdue=sum(column.overdue for column in columns),
    )


# The board page's card: the markup the template rendered per card, built here as a string with
# every value escaped exactly as the template's autoescape does (Django's escape() is
# html.escape(str(value)); calling it directly skips the lazy-aware wrapper, which costs more than
# the escaping itself over ~270 cards x 6 values).
_CARD_HTML = (
    '<article class="card mb-2{border}"><div class="card-body p-2">'
    '<a class="fw-semibold small stretched-link" href="{href}">{title}</a>'
    '<div class="small text-body-secondary">{partner} · {industry}</div>'
    '<div class="small">{sponsor_label}: {sponsor}</div>{overdue}'
    "</div></article>"
)
_OVERDUE_HTML = '<div class="small text-danger">{label} ({due})</div>'
_NO_CARDS_HTML = '<p class="small text-body-secondary">—</p>'


def _board_cards_html(
    cards: list[tuple[Any, ...]],
    *,
    list_url: str,
    industry_labels: dict[str, str],
    sponsor_label: str,
    overdue_label: str,
) -> SafeString:
    """A column's cards as HTML (rows of stage, pk, title, partner, industry, sponsor, overdue, due)."""
    if not cards:
        return mark_safe(_NO_CARDS_HTML)
    parts = []
    for _stage, pk, title, partner_name, industry, sponsor_name, overdue, due in cards:
        parts.append(
            _CARD_HTML.format(
                border=" border-danger" if overdue else "",
                href=escape_html(f"{list_url}{pk}/"),
                title=escape_html(str(title)),
                partner=escape_html(str(partner_name)),
                industry=escape_html(industry_labels.get(industry, str(industry))),
                sponsor_label=sponsor_label,
                sponsor=escape_html(str(sponsor_name)) if sponsor_name else "—",
                overdue=_OVERDUE_HTML.format(label=overdue_label, due=due.isoformat() if due else "")
                if overdue
                else "",
            )
        )
    return mark_safe("".join(parts))


def board_page_for_user(
    user: Any, filters: UseCaseFilters | None = None, *, today: datetime.date | None = None
) -> Board:
    """The board page's data: as board_for_user, but each column carries its cards as escaped HTML.

    Reads only the columns a card shows (no model instances) and renders the cards in Python
    rather than one template include per card: a full board has ~270 cards. 2 queries (counts,
    then every column's first cards through a per-stage row number), whatever the number of
    use cases. Raises PermissionDenied for anyone but the host.
    """
    base, today, stages, counts = _board_base(user, filters, today)
    with_cards = [stage for stage in stages if counts.get(stage, {"n": 0})["n"]]
    rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    if with_cards:
        # The first cards of each column by a per-stage row number over the use cases alone, then
        # the joins for just those (a join before ranking would cost a pass over every use case).
        ordering = [F("overdue").desc(), F("screening_due_on").asc(), F("pk").asc()]
        first_ids = (
            with_overdue_flag(base.filter(stage__in=with_cards), today)
            .annotate(rank=Window(RowNumber(), partition_by=[F("stage")], order_by=ordering))
            .filter(rank__lte=BOARD_COLUMN_LIMIT)
            .values("pk")
        )
        # django-stubs cannot see the `overdue` annotation that with_overdue_flag adds.
        queryset = (
            with_overdue_flag(UseCase.objects.filter(pk__in=first_ids), today)  # type: ignore[misc]
            .order_by("stage", "-overdue", "screening_due_on", "pk")
            .values_list(
                "stage",
                "pk",
                "title",
                "partner__name_ko",
                "industry",
                "sponsor__name",
                "overdue",
                "screening_due_on",
            )
        )
        for row in queryset:
            rows[row[0]].append(row)
    stage_labels = dict(Stage.choices)
    industry_labels = {value: str(label) for value, label in Industry.choices}
    list_url = reverse("usecases:list")
    sponsor_label = escape_html(_("Sponsor"))
    overdue_label = escape_html(_("Screening overdue"))
    columns = []
    for stage in stages:
        count = counts.get(stage, {"n": 0, "late": 0})
        cards = rows.get(stage, [])
        html = _board_cards_html(
            cards,
            list_url=list_url,
            industry_labels=industry_labels,
            sponsor_label=sponsor_label,
            overdue_label=overdue_label,
        )
        columns.append(
            BoardColumn(
                stage,
                str(stage_labels[stage]),
                count["n"],
                count["late"],
                [],
                cards_html=html,
                shown=len(cards),
            )
        )
    return Board(
        columns=columns,
        total=sum(column.count for column in columns),
        overdue=sum(column.overdue for column in columns),
    )


def sponsor_choices() -> QuerySet[User]:
    """Active host people who may sponsor a use case."""
    return people_with_role(*permissions.SPONSOR_ROLES, organization_kind=OrganizationKind.HOST).order_by(
        "name", "pk"
    )


@dataclass(frozen=True)
class FunnelRow:
    stage: str
    label: str
    reached: int  # use cases that ever entered this stage
    current: int  # use cases in it now
    average_days: float | None  # time spent in the stage (finished and running stays)
    median_days: float | None


def _open_stay(
    stays: dict[str, list[float]], last: tuple[int, str, datetime.datetime], now: datetime.datetime
) -> None:
    """The running stay in the current stage counts up to now; "stopped" is an end, not a stay."""
    if last[1] != Stage.STOPPED:
        stays[last[1]].append((now - last[2]).total_seconds() / 86400)


def funnel_for_user(
    user: Any, *, year: int | None = None, now: datetime.datetime | None = None
) -> list[FunnelRow]:
    """Pipeline funnel and time in stage, from the recorded stage changes (2 queries).

    `year` limits to use cases submitted that year (Asia/Seoul). Raises PermissionDenied for
    anyone but the host.
    """
    if not permissions.can_view_report(user):
        raise PermissionDenied(_("The report is for the host."))
    now = now or timezone.now()
    use_cases = UseCase.objects.all()
    if year:
        use_cases = use_cases.filter(submitted_at__year=year)
    current = dict(use_cases.values("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    reached: dict[str, set[int]] = defaultdict(set)
    stays: dict[str, list[float]] = defaultdict(list)
    changes = (
        GateDecision.objects.filter(use_case__in=use_cases)
        .order_by("use_case_id", "decided_at", "pk")
        .values_list("use_case_id", "to_stage", "decided_at")
    )
    previous: tuple[int, str, datetime.datetime] | None = None
    for use_case_id, stage, at in changes.iterator(chunk_size=2000):
        reached[stage].add(use_case_id)
        if previous is not None and previous[0] == use_case_id:
            stays[previous[1]].append((at - previous[2]).total_seconds() / 86400)
        elif previous is not None:
            _open_stay(stays, previous, now)
        previous = (use_case_id, stage, at)
    if previous is not None:
        _open_stay(stays, previous, now)
    labels = dict(Stage.choices)
    rows = []
    for stage in BOARD_STAGES:
        days = stays.get(stage, [])
        rows.append(
            FunnelRow(
                stage=stage,
                label=str(labels[stage]),
                reached=len(reached.get(stage, ())),
                current=current.get(stage, 0),
                average_days=round(statistics.fmean(days), 1) if days else None,
                median_days=round(statistics.median(days), 1) if days else None,
            )
        )
    return rows
