"""Accepting an invitation from its e-mail link (the link's token is the only key; no id in the URL)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from sangsaeng.accounts import selectors, services
from sangsaeng.accounts.forms import AcceptInvitationForm
from sangsaeng.accounts.models import InvitationStatus
from sangsaeng.accounts.views.auth import set_language_cookie
from sangsaeng.core.forms import apply_service_errors


def _refusal(request: HttpRequest, invitation: object, message: str) -> HttpResponse:
    if invitation is None:
        status = 404
    elif getattr(invitation, "status", None) != InvitationStatus.PENDING:
        status = 410  # used, withdrawn or expired: gone for good
    else:
        status = 403  # fine link, wrong person
    return render(request, "accounts/invitation_invalid.html", {"message": message}, status=status)


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """A logged-in person confirms; a new person sets name and password and is logged in."""
    invitation = selectors.invitation_for_token(token)
    actor = request.user if request.user.is_authenticated else None
    problem = selectors.invitation_problem(invitation, actor)
    if problem is not None or invitation is None:
        return _refusal(request, invitation, problem or "")
    context: dict[str, object] = {"invitation": invitation}

    if actor is not None:
        if request.method == "POST":
            try:
                services.accept_invitation(actor=actor, raw_token=token)  # type: ignore[arg-type]
            except ValidationError as error:
                return _refusal(request, invitation, " ".join(error.messages))
            messages.success(
                request, _("Welcome to %(organization)s.") % {"organization": invitation.organization.name}
            )
            return redirect("home:home")
        return render(request, "accounts/invitation_accept.html", context)

    existing = selectors.existing_user_for_email(invitation.email)
    if existing is not None and existing.is_active:
        context["login_required"] = True
        return render(request, "accounts/invitation_accept.html", context)

    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.accept_invitation(
                actor=None,
                raw_token=token,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
                language=translation.get_language() or "",
            )
        except ValidationError as error:
            apply_service_errors(form, error, field_map={"password": "password1"})
        else:
            user = membership.user
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome to %(organization)s.") % {"organization": invitation.organization.name}
            )
            response = redirect("home:home")
            set_language_cookie(response, user.language)
            return response
    context["form"] = form
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/invitation_accept.html", context, status=status)
