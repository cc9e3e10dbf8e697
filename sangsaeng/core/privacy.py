"""Personal data in records everyone with a right may read: the audit trail (issue 11 §5).

The trail records who did what, so it holds people's e-mail addresses, phone numbers, names and IP
addresses. Host administrators see them as recorded (and their views are written to the
personal-data access log); everyone else who may read the trail (auditors, the Commission's
observer) sees them masked, except their own e-mail address.

    from sangsaeng.core import privacy

    unmasked = privacy.sees_unmasked(request.user)
    for event in page:
        privacy.mask_event(event, viewer=request.user)  # no-op for a host administrator
"""

from __future__ import annotations

import re
from typing import Any

from sangsaeng.core.permissions import sees_personal_data_unmasked
from sangsaeng.core.text import mask_email, mask_name, mask_phone

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Korean phone numbers as people type them: 010-1234-5678, 02 123 4567, 01012345678.
PHONE = re.compile(r"(?<![\w-])0\d{1,2}[- .]?\d{3,4}[- .]?\d{4}(?![\w-])")
IPV4 = re.compile(r"^(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}$")

# Recorded fields that hold a person's name (any object), and objects whose label is a person.
PERSON_NAME_FIELDS = frozenset({"name_of_person", "ceo_name", "contact_name", "person_name", "user_name"})
PERSON_OBJECT_TYPES = frozenset({"accounts.user", "partners.contact"})
# On a person object, these fields are the person's own data.
PERSON_FIELDS = frozenset({"name", "email", "phone", "job_title", "department"})


def sees_unmasked(user: Any) -> bool:
    """Host administrators read personal data in the trail as recorded (their views are logged)."""
    return sees_personal_data_unmasked(user)


def mask_text(text: str, own_email: str = "") -> str:
    """E-mail addresses and phone numbers in `text` masked, except the viewer's own address."""
    if not text:
        return text
    own = own_email.lower()

    def _email(match: re.Match[str]) -> str:
        value = match.group(0)
        return value if own and value.lower() == own else mask_email(value)

    text = EMAIL.sub(_email, text)
    return PHONE.sub(lambda match: mask_phone(match.group(0)), text)


def has_personal_data(text: str) -> bool:
    return bool(text) and bool(EMAIL.search(text) or PHONE.search(text))


def _mask_value(value: Any, own_email: str, *, is_name: bool = False) -> Any:
    if isinstance(value, str):
        return mask_name(value) if is_name and "@" not in value else mask_text(value, own_email)
    if isinstance(value, list):
        return [_mask_value(item, own_email, is_name=is_name) for item in value]
    if isinstance(value, dict):
        return {key: _mask_value(item, own_email, is_name=_is_name_field(key)) for key, item in value.items()}
    return value


def _is_name_field(key: Any, object_type: str = "") -> bool:
    key = str(key)
    return key in PERSON_NAME_FIELDS or (object_type in PERSON_OBJECT_TYPES and key == "name")


def mask_changes(changes: Any, own_email: str = "", object_type: str = "") -> Any:
    """An event's recorded changes with personal data masked (the structure kept)."""
    if isinstance(changes, dict):
        return {
            key: _mask_value(value, own_email, is_name=_is_name_field(key, object_type))
            for key, value in changes.items()
        }
    return _mask_value(changes, own_email)


def mask_ip(value: str | None) -> str | None:
    if not value:
        return value
    match = IPV4.match(value)
    if match:
        return f"{match.group(1)}.*"
    return value.rsplit(":", 1)[0] + ":*" if ":" in value else "*"


def mask_event(event: Any, *, viewer: Any) -> Any:
    """Mask one audit event in memory for this viewer (never saved: events are append-only)."""
    if sees_unmasked(viewer):
        return event
    own = (getattr(viewer, "email", "") or "").lower()
    if (event.actor_label or "").lower() != own:
        event.actor_label = mask_text(event.actor_label, own)
        event.ip_address = mask_ip(event.ip_address)
    if event.object_type in PERSON_OBJECT_TYPES and "@" not in (event.object_repr or ""):
        event.object_repr = mask_name(event.object_repr)
    else:
        event.object_repr = mask_text(event.object_repr, own)
    event.changes = mask_changes(event.changes, own, event.object_type)
    return event


def event_has_personal_data(event: Any) -> bool:
    """Whether showing this event unmasked shows personal data (for the access log)."""
    if has_personal_data(event.actor_label) or event.ip_address or event.object_type in PERSON_OBJECT_TYPES:
        return True
    return has_personal_data(str(event.changes))
