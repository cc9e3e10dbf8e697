"""Suggested partners for a global opportunity, ranked by collaboration field and text match.

One function, `suggest_partners`, so that the later search work (kiwipiepy + BM25) can replace the
ranking without touching its callers. Today: each shared collaboration field scores FIELD_WEIGHT, each
distinct word of the opportunity (title, sector, customer, needs) found in the partner's capabilities,
capability tags or name scores 1, and a partner that already expressed interest gets INTEREST_BONUS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q

from sangsaeng.overseas.models import GlobalOpportunity
from sangsaeng.partners.models import Partner, PartnerStatus

FIELD_WEIGHT = 5
INTEREST_BONUS = 2
MAX_TERMS = 12
MAX_CANDIDATES = 500
_WORD = re.compile(r"\w{2,}")
_STOP_WORDS = frozenset(
    {"the", "and", "for", "with", "our", "are", "from", "that", "this", "및", "등", "위한"}
)


@dataclass(frozen=True)
class Suggestion:
    partner: Partner
    score: int
    matched_fields: list[str] = field(default_factory=list)
    matched_terms: list[str] = field(default_factory=list)
    interested: bool = False


def terms_of(text: str) -> list[str]:
    """Distinct lower-case words of at least two letters, longest first (they discriminate most)."""
    words = {word.lower() for word in _WORD.findall(text or "")} - _STOP_WORDS
    return sorted(words, key=lambda word: (-len(word), word))[:MAX_TERMS]


def _opportunity_terms(opportunity: GlobalOpportunity) -> list[str]:
    return terms_of(
        " ".join((opportunity.title, opportunity.sector, opportunity.customer, opportunity.needs))
    )


def _score(
    partner: Partner, field_names: dict[int, str], terms: list[str], interested: set[int]
) -> Suggestion:
    shared = [
        field_names[link.field_id] for link in partner.field_links.all() if link.field_id in field_names
    ]
    haystack = " ".join(
        (partner.capabilities, partner.capability_tags, partner.name_ko, partner.name_en)
    ).lower()
    matched = [term for term in terms if term in haystack]
    is_interested = partner.pk in interested
    score = FIELD_WEIGHT * len(shared) + len(matched) + (INTEREST_BONUS if is_interested else 0)
    return Suggestion(partner, score, sorted(shared), matched, is_interested)


def suggest_partners(opportunity: GlobalOpportunity, *, limit: int = 20) -> list[Suggestion]:
    """Approved partners ranked for `opportunity`, best first (ties by company name); partners that
    match nothing are left out. Reads a bounded candidate set: partners sharing a field, partners whose
    text contains one of the opportunity's words, and partners that expressed interest."""
    field_names = {f.pk: f.name_ko for f in opportunity.fields.all()}
    terms = _opportunity_terms(opportunity)
    interested = set(opportunity.interests.values_list("partner_id", flat=True))
    conditions = [Q(pk__in=interested)]
    if field_names:
        conditions.append(Q(field_links__field_id__in=list(field_names)))
    for term in terms:
        conditions.append(Q(capabilities__icontains=term) | Q(capability_tags__icontains=term))
    candidates = (
        Partner.objects.filter(status=PartnerStatus.APPROVED)
        .filter(reduce(or_, conditions))
        .distinct()
        .prefetch_related("field_links")
        .order_by("name_ko", "pk")[:MAX_CANDIDATES]
    )
    scored = [_score(partner, field_names, terms, interested) for partner in candidates]
    ranked = sorted(
        (s for s in scored if s.score > 0), key=lambda s: (-s.score, s.partner.name_ko, s.partner.pk)
    )
    return ranked[:limit]


def match_score(opportunity: GlobalOpportunity, partner: Partner) -> int:
    """The score `suggest_partners` would give this partner (stored with its expression of interest)."""
    field_names = {f.pk: f.name_ko for f in opportunity.fields.all()}
    return _score(partner, field_names, _opportunity_terms(opportunity), set()).score
