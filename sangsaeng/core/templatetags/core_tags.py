from __future__ import annotations

import html
from typing import Any

from django import template
from django.utils.safestring import mark_safe

from sangsaeng.core.audit import ChangeLine, change_lines
from sangsaeng.core.money import format_eok, format_krw
from sangsaeng.core.text import mask_email, mask_phone

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context: Any, **kwargs: Any) -> str:
    """The current query string with some parameters replaced (for pagination and sorting links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


register.filter("krw", format_krw)
register.filter("eok", format_eok)
register.filter("mask_email", mask_email)
register.filter("mask_phone", mask_phone)


@register.filter
def audit_changes(changes: Any, object_type: str = "") -> list[ChangeLine]:
    """An audit event's recorded changes as readable lines (field, old → new), with translated field
    names and state labels when given the event's object type."""
    return change_lines(changes, object_type or "")


@register.filter
def short_hash(value: str, length: int = 12) -> str:
    """The first characters of a SHA-256 hex digest, enough to tell events apart on screen."""
    return (value or "")[: int(length)]


@register.simple_tag
def bootstrap_widget(bound_field: Any, css_class: str = "") -> str:
    """Render a form widget with Bootstrap classes and aria attributes tied to its help and errors."""
    widget = bound_field.field.widget
    if not css_class:
        input_type = getattr(widget, "input_type", "")
        if bound_field.widget_type in ("select", "selectmultiple", "nullbooleanselect"):
            css_class = "form-select"
        elif input_type == "checkbox" or bound_field.widget_type == "checkboxselectmultiple":
            css_class = ""
        else:
            css_class = "form-control"
    attrs: dict[str, Any] = {}
    if css_class:
        attrs["class"] = (widget.attrs.get("class", "") + " " + css_class).strip()
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_help")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}_error")
        attrs["class"] = attrs.get("class", "") + " is-invalid"
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag
def select_options(bound_field: Any) -> str:
    """The <option> elements of a single-choice field, rendered in Python.

    For filter bars drawn on every list page: a template loop with a comparison per option costs
    more than the rest of the bar (make bench). Labels and values are escaped.
    """
    current = bound_field.value()
    current = "" if current is None else str(current)
    options = []
    for value, label in bound_field.field.choices:
        text = "" if value is None else str(value)
        selected = " selected" if text == current else ""
        options.append(f'<option value="{html.escape(text)}"{selected}>{html.escape(str(label))}</option>')
    return mark_safe("".join(options))
