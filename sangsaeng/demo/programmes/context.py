"""What every programme of the demo scenario needs: the cast, "today" and a counter of what was written.

The programme data is written through the apps' own services with the person who would do it in
real life as the actor (a partner's owner applies, the programme manager recommends, the bank's
officer disburses …), so every row has its audit event. Each step first looks for its result by a
natural key (a title, a purpose, a company in a fund) and does nothing when it is already there:
a second run writes nothing, and a run after someone used the demo carries on from where it stands.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from sangsaeng.accounts.models import OrganizationKind, Role, User
from sangsaeng.partners.models import Partner, PartnerStatus

# The printed partner login of the demo (다올정보통신): it takes part in every programme.
DEMO_PARTNER_BRN_NAME = "다올정보통신"


@dataclass
class DemoContext:
    today: dt.date
    now: dt.datetime
    host: Mapping[Any, User]
    reviewers: list[User]
    demo_partner: Partner
    named: dict[str, Partner]
    generated: list[Partner]
    created: Counter[str] = field(default_factory=Counter)
    _owners: dict[int, User] = field(default_factory=dict)

    @property
    def pm(self) -> User:
        return self.host[Role.PROGRAM_MANAGER]

    @property
    def admin(self) -> User:
        return self.host[Role.ADMIN]

    @property
    def lab(self) -> User:
        return self.host[Role.LAB_OPERATOR]

    def fresh(self, user: User) -> User:
        """A new instance of the user: services cache the membership on the object they are given."""
        return User.objects.get(pk=user.pk)

    def owner(self, partner: Partner) -> User:
        """The partner's owner (대표), who acts for the company."""
        if partner.pk not in self._owners:
            # The first owner (the one the demo created), even if someone invited another since.
            owner = (
                User.objects.filter(
                    memberships__organization_id=partner.organization_id,
                    memberships__role=Role.OWNER,
                    memberships__is_active=True,
                )
                .order_by("pk")
                .first()
            )
            if owner is None:
                raise RuntimeError(f"The demo partner {partner.name_ko} has no owner to act for it.")
            self._owners[partner.pk] = owner
        return self._owners[partner.pk]

    def pick(
        self, offset: int, count: int, accept: Callable[[Partner], bool] = lambda partner: True
    ) -> list[Partner]:
        """`count` generated partners from position `offset` on that `accept` takes (deterministic)."""
        chosen = [p for p in self.generated[offset:] if accept(p)][:count]
        if len(chosen) < count:
            raise RuntimeError("The demo has too few partners for its programme scenario.")
        return chosen

    def day(self, days: int) -> dt.date:
        return self.today + dt.timedelta(days=days)

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """An aware moment on a day in Asia/Seoul."""
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def build_context(
    *, host: Mapping[Any, User], reviewers: Iterable[User], partners: Iterable[Partner]
) -> DemoContext:
    approved = [p for p in partners if p.status == PartnerStatus.APPROVED]
    named_names = {"이루온", "하이테크", DEMO_PARTNER_BRN_NAME}
    named = {p.name_ko: p for p in approved if p.name_ko in named_names}
    # Only companies whose owner can sign in take part (every demo partner has one).
    owned = set(
        User.objects.filter(
            memberships__is_active=True,
            memberships__role=Role.OWNER,
            memberships__organization__kind=OrganizationKind.PARTNER,
        ).values_list("memberships__organization_id", flat=True)
    )
    generated = [p for p in approved if p.name_ko not in named_names and p.organization_id in owned]
    return DemoContext(
        today=timezone.localdate(),
        now=timezone.now(),
        host=dict(host),
        reviewers=list(reviewers),
        demo_partner=named[DEMO_PARTNER_BRN_NAME],
        named=named,
        generated=generated,
    )
