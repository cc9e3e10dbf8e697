from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverseasConfig(AppConfig):
    """Overseas expansion (글로벌): one-to-one proposals, global opportunities, exhibition support."""

    name = "sangsaeng.overseas"
    label = "overseas"
    verbose_name = _("Overseas expansion")

    def ready(self) -> None:
        from sangsaeng.overseas import navigation  # noqa: F401  (registers the menu entries)
