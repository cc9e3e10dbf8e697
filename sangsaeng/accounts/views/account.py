"""One's own account: profile (name, phone, language) and personal API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.accounts import selectors, services
from sangsaeng.accounts.forms import ApiTokenForm, ProfileForm
from sangsaeng.accounts.views.auth import set_language_cookie
from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest, render_page, wants_partial
from sangsaeng.core.pagination import page_of


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.update_profile(actor=user, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Your profile was saved."))
                response = redirect("accounts:profile")
                set_language_cookie(response, form.cleaned_data["language"])
                return response
    else:
        form = ProfileForm(initial={"name": user.name, "phone": user.phone, "language": user.language})  # type: ignore[union-attr]
    return render(request, "accounts/profile.html", {"form": form})


def _tokens_context(request: AuthenticatedHttpRequest, **extra: Any) -> dict[str, Any]:
    page = page_of(request, selectors.api_tokens_for_user(request.user))
    return {"page": page, "form": extra.pop("form", None) or ApiTokenForm(), **extra}


def _render_tokens(
    request: AuthenticatedHttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    if wants_partial(request):
        # htmx swaps only 2xx answers; the fragment carries its own error messages.
        status = status if status < 300 else 200
    return render_page(
        request, "accounts/tokens.html", "accounts/partials/token_panel.html", context, status=status
    )


@login_required
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List one's API tokens; POST creates one and shows its secret once, in this response only."""
    if request.method != "POST":
        return _render_tokens(request, _tokens_context(request))
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            issued = services.create_api_token(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            # Not redirected: the secret must not be kept anywhere to show it again after a redirect.
            response = _render_tokens(request, _tokens_context(request, created=issued), status=201)
            response["Cache-Control"] = "no-store"
            return response
    return _render_tokens(request, _tokens_context(request, form=form), status=422)


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    token = selectors.get_api_token_for_user(request.user, token_id)
    try:
        services.revoke_api_token(actor=request.user, token=token)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The API token %(name)s was revoked.") % {"name": token.name})
    if wants_partial(request):
        return _render_tokens(request, _tokens_context(request))
    return redirect("accounts:tokens")
