"""A use case's outcome links to a finance benefit-sharing task (성과공유 과제); the free-text reference stays.

Existing data is kept: every text reference stays as it was, and where it names exactly one task of
the use case's own partner (its title, as typed before the link existed) the link is filled in too.
"""

import django.db.models.deletion
from django.db import migrations, models


def link_named_tasks(apps, schema_editor):
    UseCase = apps.get_model("usecases", "UseCase")
    SharingTask = apps.get_model("finance", "SharingTask")
    for use_case in UseCase.objects.exclude(benefit_sharing_reference="").filter(sharing_task__isnull=True):
        matches = list(
            SharingTask.objects.filter(
                partner_id=use_case.partner_id, title=use_case.benefit_sharing_reference.strip()
            ).values_list("pk", flat=True)[:2]
        )
        if len(matches) == 1:
            UseCase.objects.filter(pk=use_case.pk).update(sharing_task_id=matches[0])


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0001_initial"),
        ("usecases", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="usecase",
            name="sharing_task",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="use_cases",
                to="finance.sharingtask",
                verbose_name="benefit-sharing task",
            ),
        ),
        migrations.RunPython(link_named_tasks, migrations.RunPython.noop),
    ]
