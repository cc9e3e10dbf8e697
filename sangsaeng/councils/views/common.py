"""Helpers shared by the councils pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [str(message) for messages_ in error.message_dict.values() for message in messages_]
    return [str(message) for message in error.messages]


def act(request: HttpRequest, action: Callable[[], Any], success: str, back: str) -> HttpResponse:
    """Run one service call for a button: a refusal is shown as messages (nothing changed), success as
    a confirmation; either way back to the page (PermissionDenied propagates as a 403)."""
    try:
        action()
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(back)
