from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sangsaeng.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Imported for their side effects: system checks (workflow declarations too), and the audit and
        # access-log menu entries.
        from sangsaeng.core import checks, navigation, workflow  # noqa: F401
        from sangsaeng.core.logs import connect_task_signals

        connect_task_signals()
