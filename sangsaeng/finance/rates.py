"""The fund rate, part by part: the bank's rate without the fund (base + spread), less the fund's
reduction, less the extra cut for the partner's grade, less the extra cut for its benefit-sharing
incentive points. Pure: no database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

ZERO = Decimal("0")


@dataclass(frozen=True)
class RateBreakdown:
    rate_without_fund: Decimal
    base_reduction: Decimal
    grade: str = ""
    grade_reduction: Decimal = ZERO
    points: int = 0
    points_reduction: Decimal = ZERO

    @property
    def total_reduction(self) -> Decimal:
        return self.base_reduction + self.grade_reduction + self.points_reduction

    @property
    def rate(self) -> Decimal:
        """The fund rate (never below zero)."""
        return max(ZERO, self.rate_without_fund - self.total_reduction)

    def parts(self) -> list[tuple[str, Decimal]]:
        """(label, %p) of each reduction, for pages and letters, in the user's language."""
        grade = _("Grade %(grade)s reduction") % {"grade": self.grade} if self.grade else _("Grade reduction")
        return [
            (_("Fund reduction"), self.base_reduction),
            (grade, self.grade_reduction),
            (
                _("Incentive points reduction (%(points)s points)") % {"points": self.points},
                self.points_reduction,
            ),
        ]

    def as_dict(self) -> dict[str, object]:
        return {
            "rate_without_fund": self.rate_without_fund,
            "base_reduction": self.base_reduction,
            "grade": self.grade,
            "grade_reduction": self.grade_reduction,
            "points": self.points,
            "points_reduction": self.points_reduction,
            "total_reduction": self.total_reduction,
            "rate": self.rate,
        }
