"""Generated documentation pages: every workflow's states and allowed transitions (/docs/workflows/)."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sangsaeng.core import workflow


@login_required
def workflows(request: HttpRequest) -> HttpResponse:
    """Every model with declared TRANSITIONS, grouped by programme, labelled in the reader's language."""
    described = workflow.describe_all()
    groups = [(app, list(items)) for app, items in groupby(described, key=lambda item: item.app_verbose_name)]
    return render(request, "core/workflows.html", {"groups": groups})
