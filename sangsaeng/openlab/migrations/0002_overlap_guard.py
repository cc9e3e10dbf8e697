"""The overlap guard on PostgreSQL: active items of one resource never overlap (exclusion constraint).

SQLite has no exclusion constraints: there the booking service checks and inserts in one IMMEDIATE
transaction (see services.py). Both operations do nothing on other databases, so SQLite migrates.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINT = "openlab_item_no_overlap"


def _constraint():
    from django.contrib.postgres.constraints import ExclusionConstraint
    from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
    from django.db.models import F, Func, Q

    class TsTzRange(Func):
        function = "TSTZRANGE"
        output_field = DateTimeRangeField()

    return ExclusionConstraint(
        name=CONSTRAINT,
        expressions=[
            (F("resource"), RangeOperators.EQUAL),
            (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
        ],
        condition=Q(active=True),
    )


def add_guard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_constraint(apps.get_model("openlab", "BookingItem"), _constraint())


def remove_guard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_constraint(apps.get_model("openlab", "BookingItem"), _constraint())


class Migration(migrations.Migration):
    dependencies = [("openlab", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(add_guard, remove_guard, elidable=False),
    ]
