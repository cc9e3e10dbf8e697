from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "sangsaeng.partners"
    label = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from sangsaeng.partners import navigation  # noqa: F401  (registers the menu entries)
