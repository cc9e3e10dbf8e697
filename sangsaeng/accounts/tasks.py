"""Mail about accounts, sent by django-tasks after the change that causes it has committed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from sangsaeng.accounts.models import Invitation


@task()
def send_invitation_email(invitation_id: int, raw_token: str, language: str) -> bool:
    """E-mail the invitation link to a person who has no account yet.

    The raw token only travels in this task's arguments and the mail: the database keeps its hash.
    Nothing is sent for an invitation that was revoked or used in the meantime.
    """
    invitation = (
        Invitation.objects.select_related("organization", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or not invitation.is_usable:
        return False
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[raw_token])
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"invitation": invitation, "link": link, "valid_days": settings.INVITATION_VALID_DAYS}
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[invitation.email])
    return True


@task()
def send_plain_email(subject: str, body: str, recipient: str) -> None:
    """A prepared e-mail (e.g. the password reset link), sent outside the request."""
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[recipient])
