from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from sangsaeng.usecases import rendering

register = template.Library()


@register.simple_tag
def stage_badge(use_case: Any) -> SafeString:
    """A use case's stage badge and overdue flag (the same markup as the list's rows)."""
    return rendering.stage_badge(use_case)
