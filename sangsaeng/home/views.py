"""The start page: the landing page for visitors, the person's home (by role) once signed in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sangsaeng.partners.selectors import home_context_for_user


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "home/landing.html")
    context = home_context_for_user(request.user)
    return render(request, context.pop("template"), context)
