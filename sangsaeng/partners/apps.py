from importlib import import_module
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "sangsaeng.partners"
    label = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        post_migrate.connect(_seed_when_empty, sender=self)
        from sangsaeng.partners import navigation  # noqa: F401  (registers the menu entries)


def _seed_when_empty(sender: AppConfig, using: str, apps: Any = None, **kwargs: Any) -> None:
    """Reference data seeded by migration 0002_seed_reference_data must exist whenever the tables do.

    Django emits post_migrate after `migrate` and after a database flush (transactional tests
    flush between tests), so an emptied database gets the seed again. A database that has the data
    keeps it as administrators edited it: the seed runs only when the table is empty.
    """
    model = (apps or sender.apps).get_model("partners", "SizeStandard")
    if not model.objects.using(using).exists():
        import_module("sangsaeng.partners.migrations.0002_seed_reference_data").seed(
            apps or sender.apps, None
        )
