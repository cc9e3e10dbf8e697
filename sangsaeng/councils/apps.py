from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    """Councils (협의체): members, meetings with locked minutes, action items, task discovery."""

    name = "sangsaeng.councils"
    label = "councils"
    verbose_name = _("Councils")

    def ready(self) -> None:
        from sangsaeng.councils import navigation  # noqa: F401  (registers the menu entries)
