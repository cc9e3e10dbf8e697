"""Background work of the partner registry (django-tasks: immediate by default, db_worker when configured)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from sangsaeng.partners.imports import run_import


@task()
def import_partners(job_id: str) -> dict[str, Any]:
    """Run the Excel import of a Job created by `imports.start_import` (all rows or none)."""
    return run_import(job_id)
