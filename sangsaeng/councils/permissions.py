"""Who may do what in a council (협의체). Small yes/no functions; services and views ask them.

Seeing is decided by the selectors (a council one does not belong to, its meetings and its ballots are
a 404 unless the council is listed, and then only its public page); these answer "may this insider do
this?" (a no is a 403).

- Secretariat (사무국): the host's administrators and programme managers, and a council's secretary.
- Members: people of an organisation that holds an active seat read the council; the seat holder
  answers invitations, comments, proposes tasks and votes.
- Auditors of the host read everything, including each member's ballot; nobody else reads ballots
  but their voter.
"""

from __future__ import annotations

from typing import Any

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.selectors import has_role, is_host, kind_of, organization_id_of
from sangsaeng.councils.models import Council, CouncilMember, MemberRole


def is_council_manager(user: Any) -> bool:
    """Host administrators and programme managers run every council's secretariat."""
    return is_host(user) and has_role(user, Role.ADMIN, Role.PROGRAM_MANAGER)


def is_auditor(user: Any) -> bool:
    return is_host(user) and has_role(user, Role.AUDITOR)


def reads_every_council(user: Any) -> bool:
    return is_council_manager(user) or is_auditor(user)


def active_seat(user: Any, council: Council) -> CouncilMember | None:
    """The user's own active seat on the council (cached per council on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cache: dict[int, CouncilMember | None] = user.__dict__.setdefault("_council_seats", {})
    if council.pk not in cache:
        cache[council.pk] = (
            CouncilMember.objects.select_related("council")
            .filter(council=council, user_id=user.pk, left_on__isnull=True)
            .first()
        )
    return cache[council.pk]


def forget_seats(user: Any) -> None:
    user.__dict__.pop("_council_seats", None)


def is_secretariat(user: Any, council: Council) -> bool:
    if is_council_manager(user):
        return True
    seat = active_seat(user, council)
    return seat is not None and seat.role == MemberRole.SECRETARY


def is_chair(user: Any, council: Council) -> bool:
    seat = active_seat(user, council)
    return seat is not None and seat.role == MemberRole.CHAIR


def can_manage_council(user: Any, council: Council | None = None) -> bool:
    """Create councils and seats: the host's managers; a secretary runs their own council."""
    if council is None:
        return is_council_manager(user)
    return is_secretariat(user, council)


def can_apply_to_join(user: Any, council: Council) -> bool:
    """Owners of a partner company whose organisation holds no seat yet, while the council takes
    applications."""
    return (
        council.accepts_applications
        and kind_of(user) == OrganizationKind.PARTNER
        and has_role(user, Role.OWNER)
        and not CouncilMember.objects.filter(
            council=council, organization_id=organization_id_of(user), left_on__isnull=True
        ).exists()
    )


def can_take_part(user: Any, council: Council) -> bool:
    """Seat holders answer invitations, comment, propose tasks and vote."""
    return active_seat(user, council) is not None


def can_view_ballots(user: Any) -> bool:
    return is_auditor(user)
