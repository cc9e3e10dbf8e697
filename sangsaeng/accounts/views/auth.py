"""Log in and out, the lockout page, password reset by e-mail and password change."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from sangsaeng.accounts import services
from sangsaeng.accounts.forms import EmailPasswordResetForm, LoginForm
from sangsaeng.accounts.middleware import LOGOUT_REASON_KEY, REASON_IDLE, REASON_LIFETIME
from sangsaeng.core import ratelimits
from sangsaeng.core.forms import apply_service_errors


def set_language_cookie(response: HttpResponseBase, language: str) -> HttpResponseBase:
    """Make the person's preferred language the active one (as Django's set_language view does)."""
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def _logout_reason_message(reason: str) -> str:
    if reason == REASON_LIFETIME:
        hours = settings.SESSION_COOKIE_AGE // 3600
        return _("Your session reached its maximum length of %(hours)s hours. Please log in again.") % {
            "hours": hours
        }
    return _("You were logged out after %(minutes)s minutes of inactivity. Please log in again.") % {
        "minutes": settings.SESSION_IDLE_TIMEOUT_SECONDS // 60
    }


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        reason = request.session.pop(LOGOUT_REASON_KEY, None)
        if reason in (REASON_IDLE, REASON_LIFETIME):
            messages.info(request, _logout_reason_message(reason))
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Besides the lockout after failures (django-axes): attempts per address and per account.
        ratelimits.count(request, "RATE_LIMIT_LOGIN_PER_IP")
        ratelimits.count(request, "RATE_LIMIT_LOGIN_PER_ACCOUNT", request.POST.get("username", ""))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        set_language_cookie(response, form.get_user().language)
        return response


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes calls this when log-in is locked after repeated failures: a clear page, 429."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": round(float(settings.AXES_COOLOFF_TIME) * 60),
    }
    return render(request, "accounts/locked.html", context, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = EmailPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ratelimits.count(request, "RATE_LIMIT_PASSWORD_RESET_PER_IP")
        ratelimits.count(request, "RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT", request.POST.get("email", ""))
        return super().post(request, *args, **kwargs)

    @property
    def extra_email_context(self) -> dict[str, Any]:  # type: ignore[override]
        return {"site_url": settings.SITE_URL.rstrip("/")}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.reset_password(actor=form.user, new_password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            apply_service_errors(form, error, field_map={"password": "new_password1"})
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            user = services.change_password(
                actor=self.request.user,  # type: ignore[arg-type]
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as error:
            apply_service_errors(form, error, field_map={"password": "new_password1"})
            return self.form_invalid(form)
        # Keep this session (the others end: their session hash no longer matches).
        update_session_auth_hash(self.request, user)
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
