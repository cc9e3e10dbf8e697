"""A cheap proof that an anonymous form was filled in by a person, with no outside service.

Two checks, as for the partner sign-up (partners.forms.SignupForm, API POST /partners/signup):
- a signed, time-stamped form token: issued when the form is shown, it must come back unchanged, be at
  least SIGNUP_FORM_MIN_SECONDS old (a person reads and types; a script posts at once), at most
  SIGNUP_FORM_MAX_AGE_SECONDS, and is used once (remembered in the shared cache);
- a honeypot field that people do not see (moved off screen by the stylesheet, skipped by the Tab
  key) and scripts that fill every field do.
Rate limits per address and per e-mail (core.ratelimits) bound what a patient script can still do.
"""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SALT = "sangsaeng.core.botcheck"
HONEYPOT_FIELD = "website"
TOKEN_FIELD = "form_token"


def issue_token(*, issued_at: float | None = None) -> str:
    """A new form token (`issued_at` in epoch seconds; now by default)."""
    moment = time.time() if issued_at is None else issued_at
    return signing.dumps({"n": secrets.token_urlsafe(12), "t": round(moment, 3)}, salt=_SALT)


def check_submission(token: str, honeypot: str) -> None:
    """Accept the submission once, or raise ValidationError (code "bot_check") with a message that
    tells a person what to do."""
    if honeypot.strip():
        raise ValidationError(
            _("The form could not be accepted. Please reload the page and fill it in again."),
            code="bot_check",
        )
    try:
        data = signing.loads(token, salt=_SALT)
        nonce, issued_at = str(data["n"]), float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise ValidationError(
            _("The form could not be accepted. Please reload the page and fill it in again."),
            code="bot_check",
        ) from error
    age = time.time() - issued_at
    if age > settings.SIGNUP_FORM_MAX_AGE_SECONDS:
        raise ValidationError(
            _("The form was open too long. Please check it and submit it again."), code="bot_check"
        )
    if age < settings.SIGNUP_FORM_MIN_SECONDS:
        raise ValidationError(
            _("The form was sent too quickly. Please check it and submit it again."), code="bot_check"
        )
    if not cache.add(f"sangsaeng:form-token:{nonce}", 1, timeout=settings.SIGNUP_FORM_MAX_AGE_SECONDS):
        raise ValidationError(
            _("This form was already sent. Please check it and submit it again."), code="bot_check"
        )
