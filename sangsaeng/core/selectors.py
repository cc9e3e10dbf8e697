"""Reads of the shared kernel, scoped to the acting user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from sangsaeng.core.models import Job, Notification


def unread_notification_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for_user(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def get_job_for_user(user: Any, job_id: Any) -> Job:
    """A job is visible only to the person who started it."""
    job = Job.objects.filter(pk=job_id, owner=user).first()
    if job is None:
        raise Http404
    return job
