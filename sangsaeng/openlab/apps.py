from importlib import import_module
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OpenlabConfig(AppConfig):
    """5G Open Lab (오픈랩): sites, resources, rules and bookings."""

    name = "sangsaeng.openlab"
    label = "openlab"
    verbose_name = _("5G Open Lab")

    def ready(self) -> None:
        post_migrate.connect(_seed_when_empty, sender=self)
        from sangsaeng.openlab import navigation  # noqa: F401  (registers the menu entries)


def _seed_when_empty(sender: AppConfig, using: str, apps: Any = None, **kwargs: Any) -> None:
    """Reference data seeded by migration 0003_seed_sites must exist whenever the tables do.

    Django emits post_migrate after `migrate` and after a database flush (transactional tests
    flush between tests), so an emptied database gets the seed again. A database that has the data
    keeps it as administrators edited it: the seed runs only when the table is empty.
    """
    model = (apps or sender.apps).get_model("openlab", "Site")
    if not model.objects.using(using).exists():
        import_module("sangsaeng.openlab.migrations.0003_seed_sites").seed(apps or sender.apps, None)
