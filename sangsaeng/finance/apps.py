from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    """Co-prosperity loan fund (상생협력펀드) and benefit sharing (성과공유제)."""

    name = "sangsaeng.finance"
    label = "finance"
    verbose_name = _("Loan fund and benefit sharing")

    def ready(self) -> None:
        from sangsaeng.finance import navigation  # noqa: F401  (registers the menu entries)
