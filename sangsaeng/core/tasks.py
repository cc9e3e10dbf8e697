"""Background tasks of the shared kernel (django-tasks: immediate by default, db_worker when configured)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import override
from django_tasks import task

from sangsaeng.core.models import Notification


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail a copy of each in-app notification once, in the recipient's language."""
    sent = 0
    pending = Notification.objects.select_related("recipient").filter(
        pk__in=notification_ids, emailed_at__isnull=True
    )
    for notification in pending:
        recipient = notification.recipient
        with override(recipient.language or settings.LANGUAGE_CODE):
            body = notification.body
            if notification.url:
                body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{notification.url}"
            send_mail(
                subject=f"[상생] {notification.title}",
                message=body,
                from_email=None,
                recipient_list=[recipient.email],
            )
        Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        sent += 1
    return sent
