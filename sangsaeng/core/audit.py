"""The audit trail: every state change writes one hash-chained AuditEvent in the same transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from sangsaeng.core.models import AuditChainHead, AuditEvent
from sangsaeng.core.request_context import current_request

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
        object_repr = str(target)[:255]
    info = current_request()
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = AuditChainHead.objects.create(pk=1)
    actor_user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        seq=head.last_seq + 1,
        created_at=timezone.now(),
        actor=actor_user,
        actor_label=(actor_user.email if actor_user else "system"),
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
    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str = ""


def verify_chain(chunk_size: int = 5000) -> ChainReport:
    """Walk the chain in order; report the first event whose link or content does not hold."""
    previous_hash = "0" * 64
    expected_seq = 1
    checked = 0
    fields = [f.attname for f in AuditEvent._meta.concrete_fields]
    queryset = AuditEvent.objects.order_by("seq").only(*fields)
    for event in queryset.iterator(chunk_size=chunk_size):
        if event.seq != expected_seq:
            return ChainReport(
                False, checked, event.seq, f"sequence gap: expected #{expected_seq}, found #{event.seq}"
            )
        if event.prev_hash != previous_hash:
            return ChainReport(False, checked, event.seq, "link to the previous event is broken")
        if event.compute_hash() != event.hash:
            return ChainReport(False, checked, event.seq, "content does not match its hash (edited)")
        previous_hash = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != expected_seq - 1 or head.last_hash != previous_hash):
        return ChainReport(
            False, checked, head.last_seq, "the newest events are missing (chain tail deleted)"
        )
    return ChainReport(True, checked)


def fingerprint(value: str) -> str:
    """A short stable digest for values we must reference without recording (e.g. token prefixes)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]
