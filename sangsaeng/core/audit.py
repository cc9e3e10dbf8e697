"""The audit trail (감사 추적): every state change writes one hash-chained AuditEvent in the same
transaction. `manage.py verify_audit` walks the chain (verify_chain) and reports the first broken event."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from sangsaeng.core.models import AuditChainHead, AuditEvent
from sangsaeng.core.request_context import current_request

# The link the first event points to.
GENESIS_HASH = "0" * 64

# Field names whose values never enter the audit trail (rule 2: no secrets).
SECRET_FIELD_MARKERS = ("password", "token", "secret", "hash", "key")


def _is_secret(field_name: str) -> bool:
    lowered = field_name.lower()
    return any(marker in lowered for marker in SECRET_FIELD_MARKERS)


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, int | float | bool | str) or value is None:
        return value
    return str(value)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Changed fields as {field: [old, new]}; secret fields are recorded as changed but not valued."""
    changed: dict[str, list[Any]] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old != new:
            changed[name] = ["***", "***"] if _is_secret(name) else [_jsonable(old), _jsonable(new)]
    return changed


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}


@dataclass(frozen=True)
class AuditTarget:
    """Describes the object of an event when it is not a model instance (e.g. a bulk import)."""

    object_type: str
    object_id: str
    object_repr: str = ""
    partner_organization_id: int | None = None


def _actor_organization_id(actor: Any) -> int | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    from sangsaeng.accounts.selectors import organization_id_of

    return organization_id_of(actor)


def _locked_chain_head() -> AuditChainHead:
    """The chain head, locked until the caller's transaction ends, so appends never interleave.

    Migration core/0002 creates the row; a flushed database (TransactionTestCase, a restored dump)
    may lack it, and two first writers may race to create it: the loser's INSERT fails inside its
    savepoint and it then waits for the winner's lock like any other writer.
    """
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(pk=1)
    except IntegrityError:
        pass  # another writer created it first; its row lock orders us after it
    return AuditChainHead.objects.select_for_update().get(pk=1)


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | AuditTarget,
    changes: Mapping[str, Any] | None = None,
    partner_organization_id: int | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction (rule 2)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError(
            "audit.record() must be called inside transaction.atomic with the change it records."
        )
    if isinstance(target, AuditTarget):
        object_type, object_id, object_repr = target.object_type, target.object_id, target.object_repr
        partner_organization_id = partner_organization_id or target.partner_organization_id
    else:
        object_type = target._meta.label_lower
        object_id = str(target.pk)
        object_repr = str(target)
    # Cut to the column sizes here, so the hashed content is exactly what every database stores.
    action, object_type, object_id, object_repr = (
        action[:80],
        object_type[:80],
        object_id[:64],
        object_repr[:255],
    )
    info = current_request()
    head = _locked_chain_head()
    actor_user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        seq=head.last_seq + 1,
        created_at=timezone.now(),
        actor=actor_user,
        actor_label=(actor_user.email[:254] if actor_user else "system"),
        organization_id_at_time=_actor_organization_id(actor_user),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        partner_organization_id=partner_organization_id,
        changes={str(k): _jsonable(v) for k, v in (changes or {}).items()},
        request_id=info.request_id,
        ip_address=info.ip_address,
        prev_hash=head.last_hash,
    )
    event.hash = event.compute_hash()
    event.save(force_insert=True)
    AuditChainHead.objects.filter(pk=1).update(last_seq=event.seq, last_hash=event.hash)
    return event


@dataclass(frozen=True)
class ChainReport:
    """The result of walking the chain: ok, how many events held, and the first broken one."""

    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str = ""


def verify_chain(chunk_size: int = 5000) -> ChainReport:
    """Walk the chain in order; report the first event whose place, link or content does not hold.

    Detects an edited event (its content no longer matches its hash), a deleted event in the middle
    (a gap in the sequence), a re-hashed edited event (the next event's link breaks) and deleted
    newest events (the chain head remembers the last sequence number and hash).
    """
    previous_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    fields = [f.attname for f in AuditEvent._meta.concrete_fields]
    queryset = AuditEvent.objects.order_by("seq").only(*fields)
    for event in queryset.iterator(chunk_size=chunk_size):
        if event.seq != expected_seq:
            return ChainReport(
                False,
                checked,
                expected_seq,
                f"event #{expected_seq} is missing (deleted): the next stored event is #{event.seq}",
            )
        if event.prev_hash != previous_hash:
            return ChainReport(
                False, checked, event.seq, "link to the previous event is broken (prev_hash differs)"
            )
        if event.compute_hash() != event.hash:
            return ChainReport(False, checked, event.seq, "content does not match its hash (edited)")
        previous_hash = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        if checked:
            return ChainReport(False, checked, expected_seq, "the chain head record is missing")
        return ChainReport(True, checked)
    if head.last_seq > expected_seq - 1:
        return ChainReport(
            False,
            checked,
            expected_seq,
            f"events #{expected_seq} to #{head.last_seq} are missing (the newest events were deleted)",
        )
    if head.last_seq != expected_seq - 1 or head.last_hash != previous_hash:
        return ChainReport(False, checked, head.last_seq, "the chain head does not match the newest event")
    return ChainReport(True, checked)


@dataclass(frozen=True)
class ChangeLine:
    """One recorded change, ready to show: a field with its old and new value, or a plain value."""

    field: str
    old: str
    new: str
    is_change: bool


def _display(value: Any, limit: int = 200) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Labels of recorded keys that are not model fields, or fields declared without a translated name.
COMMON_FIELD_LABELS: dict[str, Any] = {
    "status": gettext_lazy("Status"),
    "stage": gettext_lazy("Stage"),
    "reason": gettext_lazy("Reason"),
    "note": gettext_lazy("Note"),
    "from": gettext_lazy("From"),
    "to": gettext_lazy("To"),
    "role": gettext_lazy("Role"),
    "email": gettext_lazy("E-mail"),
    "name": gettext_lazy("Name"),
    "phone": gettext_lazy("Phone"),
    "amount_krw": gettext_lazy("Amount (KRW)"),
}


def _model_of(object_type: str) -> type[models.Model] | None:
    if object_type.count(".") != 1:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field_of(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _field_label(field: Any, name: str) -> str:
    verbose = getattr(field, "verbose_name", None)
    if isinstance(verbose, Promise):  # declared with a translated name
        return capfirst(str(verbose))
    if name in COMMON_FIELD_LABELS:
        return str(COMMON_FIELD_LABELS[name])
    return name


def _value_label(field: Any, value: Any) -> Any:
    """A recorded choice value as its translated label (`equal_payment` → 원리금균등)."""
    choices = getattr(field, "flatchoices", None)
    if not choices or isinstance(value, list | dict) or value is None:
        return value
    return dict(choices).get(value, value)


def change_lines(changes: Any, object_type: str = "") -> list[ChangeLine]:
    """Readable lines for an event's `changes`: {field: [old, new]} pairs and plain values.

    With the event's `object_type` ("finance.loanapplication"), field names read as the model's
    translated field names and choice values (states, methods) as their translated labels.
    """
    if not isinstance(changes, Mapping):
        return [ChangeLine("", "", _display(changes), False)] if changes else []
    model = _model_of(object_type) if object_type else None
    lines = []
    for name in sorted(changes):
        value = changes[name]
        field = _field_of(model, str(name))
        label = _field_label(field, str(name)) if object_type else str(name)
        if isinstance(value, list) and len(value) == 2:
            old, new = (_value_label(field, item) for item in value)
            lines.append(ChangeLine(label, _display(old), _display(new), True))
        else:
            lines.append(ChangeLine(label, "", _display(_value_label(field, value)), False))
    return lines


def changes_text(changes: Any, object_type: str = "") -> str:
    """The changes as one line of text for spreadsheets: "status: pending → approved; note: …"."""
    return "; ".join(
        f"{line.field}: {line.old} → {line.new}"
        if line.is_change
        else f"{line.field}: {line.new}".lstrip(": ")
        for line in change_lines(changes, object_type)
    )


def fingerprint(value: str) -> str:
    """A short stable digest for values we must reference without recording (e.g. token prefixes)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]
