from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsecasesConfig(AppConfig):
    """5G use-case pipeline (유스케이스 발굴): intake with NDA, stage gates, showcase."""

    name = "sangsaeng.usecases"
    label = "usecases"
    verbose_name = _("5G use cases")

    def ready(self) -> None:
        from sangsaeng.usecases import navigation  # noqa: F401  (registers the menu entries)
