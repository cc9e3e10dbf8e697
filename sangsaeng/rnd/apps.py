from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RndConfig(AppConfig):
    """Joint R&D fund (공동 R&D 출연): calls, proposals, review, selection, agreements, payments."""

    name = "sangsaeng.rnd"
    label = "rnd"
    verbose_name = _("Joint R&D fund")

    def ready(self) -> None:
        from sangsaeng.rnd import navigation  # noqa: F401  (registers the menu entries)
