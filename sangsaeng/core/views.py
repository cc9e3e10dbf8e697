"""Home, notifications, task progress and the bare endpoint the bench compares against."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from sangsaeng.core import selectors, services


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The bare Django endpoint: no database, no template (the bench's ceiling)."""
    return HttpResponse("ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    from sangsaeng.partners.selectors import home_context_for_user

    context = home_context_for_user(request.user)
    return render(request, context.pop("template"), context)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for_user(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    ids = [int(value) for value in request.POST.getlist("id") if value.isdigit()] or None
    services.mark_notifications_read(actor=request.user, notification_ids=ids)
    if request.htmx:  # type: ignore[attr-defined]
        page = Paginator(selectors.notifications_for_user(request.user), 30).get_page(request.GET.get("page"))
        return render(request, "core/partials/notification_list.html", {"page": page})
    return redirect("core:notifications")


@login_required
def job_status(request: HttpRequest, job_id: str) -> HttpResponse:
    """The progress bar a page polls (htmx every second) while a long task runs."""
    job = selectors.get_job_for_user(request.user, job_id)
    return render(request, "core/partials/job_status.html", {"job": job})
