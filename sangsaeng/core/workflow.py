"""The one state-machine mechanism (상태 전이): transitions declared as data on the model, one service
function that checks, writes with a guarded UPDATE and audits.

A model declares its workflow next to its fields (DESIGN.md rule 4, STYLE.md "State machines"):

    class LoanApplication(models.Model):
        TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
            ApplicationStatus.APPLIED: (ApplicationStatus.RECOMMENDED, ApplicationStatus.REJECTED),
            ApplicationStatus.DISBURSED: (ApplicationStatus.REPAID,),
            ApplicationStatus.REPAID: (ApplicationStatus.DISBURSED,),
        }
        STATE_FIELD: ClassVar[str] = "status"            # the default; bookings say "state"
        # Why an unusual transition exists (shown on /docs/workflows/ and in the API descriptions):
        TRANSITION_NOTES: ClassVar[dict[tuple[str, str], str]] = {
            (ApplicationStatus.REPAID, ApplicationStatus.DISBURSED): _(
                "A repayment correction reopens a repaid loan."
            ),
        }
        REASON_REQUIRED: ClassVar[frozenset[str]] = frozenset({ApplicationStatus.REJECTED})

Optionally `def restrict_transitions(self, targets: tuple[str, ...]) -> tuple[str, ...]` narrows the
declared targets for one object (a use case on hold resumes only to the stage it left).

A service changes the state only through `transition()`, inside its own checks:

    from sangsaeng.core import workflow

    def reject_application(*, actor, application, reason):
        with transaction.atomic():
            if not permissions.can_decide(actor, application):
                raise PermissionDenied(...)
            workflow.transition(
                application,
                ApplicationStatus.REJECTED,
                actor=actor,
                reason=reason,                       # required: REJECTED is in REASON_REQUIRED
                action="finance.reject_application",  # the audit action (default "<app>.<model>_<state>")
                updates={"status_reason": reason, "reserved_krw": 0},
                partner_organization_id=application.partner.organization_id,
            )

`transition()` raises `TransitionError` (a ValidationError with the code `invalid_transition`, or
`state_changed` when another request changed the row between the read and the write) and a
ValidationError on `reason` when a reason is required. The views and the API show both like any other
service error (core.forms.apply_service_errors; the API's error handler uses the code).

Pages list the allowed moves with `allowed_targets(obj)` / `can_transition(obj, to)`; a service that
must refuse before its other checks and side effects calls `check_transition(obj, to)` first.
`describe(model)` feeds the generated page /docs/workflows/, and `transitions_description(model)` goes
into the `description` of an API schema's state field.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sangsaeng.core import audit

DEFAULT_STATE_FIELD = "status"


class TransitionError(ValidationError):
    """A refused state change. `code` is "invalid_transition" (not allowed from the current state) or
    "state_changed" (the row changed between the read and the write: reload and try again)."""

    INVALID = "invalid_transition"
    STATE_CHANGED = "state_changed"

    def __init__(
        self,
        message: str,
        code: str = INVALID,
        params: dict[str, Any] | None = None,
        *,
        source: str | None = None,
        target: str | None = None,
    ) -> None:
        # (message, code, params) first, as ValidationError takes them: copies and pickles rebuild it.
        super().__init__(message, code=code, params=params)
        self.source = source
        self.target = target


@dataclass(frozen=True)
class State:
    value: str
    label: str
    is_initial: bool
    is_final: bool


@dataclass(frozen=True)
class Transition:
    source: str
    source_label: str
    target: str
    target_label: str
    note: str
    reason_required: bool


@dataclass(frozen=True)
class WorkflowDescription:
    """What describe() returns: a model's states (in declaration order) and its allowed transitions."""

    model: type[models.Model]
    label: str  # e.g. "partners.partner"
    verbose_name: str
    app_verbose_name: str
    state_field: str
    states: list[State]
    transitions: list[Transition]


# --- Declarations --------------------------------------------------------------------------------------


def has_workflow(model: type[models.Model]) -> bool:
    return isinstance(getattr(model, "TRANSITIONS", None), Mapping)


def state_field_name(model: type[models.Model]) -> str:
    return str(getattr(model, "STATE_FIELD", DEFAULT_STATE_FIELD))


def _transitions(model: type[models.Model]) -> Mapping[str, Iterable[str]]:
    table = getattr(model, "TRANSITIONS", None)
    if not isinstance(table, Mapping):
        raise ImproperlyConfigured(f"{model.__name__} declares no TRANSITIONS.")
    return table


def _notes(model: type[models.Model]) -> Mapping[tuple[str, str], Any]:
    return getattr(model, "TRANSITION_NOTES", None) or {}


def _reason_required(model: type[models.Model]) -> frozenset[str]:
    return frozenset(str(state) for state in (getattr(model, "REASON_REQUIRED", None) or ()))


def state_labels(model: type[models.Model]) -> dict[str, str]:
    """{value: translated label} of the model's state field, in the active language."""
    field = model._meta.get_field(state_field_name(model))
    return {str(value): str(label) for value, label in field.flatchoices}  # type: ignore[union-attr]


def _label(labels: Mapping[str, str], value: str | None) -> str:
    if value is None:
        return "–"
    return labels.get(str(value), str(value))


def workflow_models() -> list[type[models.Model]]:
    """Every installed model that declares TRANSITIONS, ordered by app and model name."""
    found = [model for model in apps.get_models() if has_workflow(model)]
    return sorted(found, key=lambda model: model._meta.label_lower)


# --- Questions ------------------------------------------------------------------------------------------


def allowed_targets(obj: models.Model) -> tuple[str, ...]:
    """The states `obj` may move to now (its model's TRANSITIONS, narrowed by restrict_transitions)."""
    model = type(obj)
    current = getattr(obj, state_field_name(model))
    targets = tuple(str(target) for target in _transitions(model).get(current, ()))
    restrict = getattr(obj, "restrict_transitions", None)
    if callable(restrict):
        allowed = set(restrict(targets))
        targets = tuple(target for target in targets if target in allowed)
    return targets


def can_transition(obj: models.Model, to: str) -> bool:
    return str(to) in allowed_targets(obj)


def check_transition(obj: models.Model, to: str) -> None:
    """Raise the TransitionError that transition() would raise when `obj` may not move to `to` now.

    For a service that checks the move before its other checks and side effects (capacity, files),
    and only then calls transition(), which checks again under its guarded UPDATE."""
    if not can_transition(obj, to):
        raise _invalid(obj, getattr(obj, state_field_name(type(obj))), str(to))


def _invalid(obj: models.Model, source: str, to: str) -> TransitionError:
    labels = state_labels(type(obj))
    allowed = allowed_targets(obj)
    params = {"source": _label(labels, source), "target": _label(labels, to)}
    if allowed:
        params["allowed"] = ", ".join(f"“{_label(labels, target)}”" for target in allowed)
        message = _("“%(source)s” cannot change to “%(target)s”. Allowed now: %(allowed)s.")
    else:
        message = _("“%(source)s” is final: it cannot change to “%(target)s”.")
    return TransitionError(message % params, code=TransitionError.INVALID, source=source, target=to)


def _state_changed(obj: models.Model, source: str, to: str) -> TransitionError:
    model = type(obj)
    current = model._default_manager.filter(pk=obj.pk).values_list(state_field_name(model), flat=True).first()
    if current is None:
        message = _("This was removed meanwhile: reload the page.")
    else:
        message = _("This was changed meanwhile (now “%(current)s”): reload the page and try again.") % {
            "current": _label(state_labels(model), current)
        }
    return TransitionError(message, code=TransitionError.STATE_CHANGED, source=source, target=to)


# --- The one way a state changes -----------------------------------------------------------------------


def _auto_now_fields(model: type[models.Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False)  # QuerySet.update() skips auto_now: set it here
    ]


def _audit_value(obj: models.Model, name: str) -> Any:
    """A field's value for the audit diff: the id for a foreign key (no query for the related row)."""
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return getattr(obj, name)
    if field.many_to_one or field.one_to_one:
        return getattr(obj, field.attname)  # type: ignore[union-attr]
    return getattr(obj, name)


def _is_expression(value: Any) -> bool:
    return hasattr(value, "resolve_expression")


def transition(
    obj: models.Model,
    to: str,
    *,
    actor: Any,
    reason: str = "",
    action: str | None = None,
    updates: Mapping[str, Any] | None = None,
    partner_organization_id: int | None = None,
    extra_changes: Mapping[str, Any] | None = None,
) -> models.Model:
    """Move `obj` to the state `to`, write `updates` with it and record one audit event.

    Checks that the model's TRANSITIONS allow `to` from the state `obj` was read in (else
    TransitionError "invalid_transition", nothing written) and that a reason is given when `to` is in
    REASON_REQUIRED (else ValidationError on "reason"). Writes with one guarded UPDATE
    (`WHERE pk = … AND <state> = <state read>`): when no row matches, another request changed the
    object meanwhile and TransitionError "state_changed" is raised — never read-check-write. The audit
    event holds the state change, the reason, the changed `updates` fields and `extra_changes`.
    Runs in the caller's transaction, or opens one. The permission check is the caller's.
    Returns `obj`, updated in place.
    """
    model = type(obj)
    _transitions(model)  # a model without a workflow is a programming error, not a refusal
    field = state_field_name(model)
    source = getattr(obj, field)
    to = str(to)
    if not can_transition(obj, to):
        raise _invalid(obj, source, to)
    reason = unicodedata.normalize("NFC", reason or "").strip()
    if to in _reason_required(model) and not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Give a reason for “%(target)s”; it is recorded and shown.")
                    % {"target": _label(state_labels(model), to)},
                    code="required",
                )
            }
        )
    updates = dict(updates or {})
    if field in updates:
        raise ValueError(f"Pass the new {field} as `to`, not in `updates`.")
    audited = list(updates)
    for name in _auto_now_fields(model):
        updates.setdefault(name, timezone.now())
    before = {name: _audit_value(obj, name) for name in audited}
    saved, saved_cache = dict(obj.__dict__), dict(obj._state.fields_cache)
    with transaction.atomic():
        written = model._default_manager.filter(pk=obj.pk, **{field: source}).update(**{field: to}, **updates)
        if written == 0:
            raise _state_changed(obj, source, to)
        try:
            setattr(obj, field, to)
            for name, value in updates.items():
                setattr(obj, name, value)
            expressions = [name for name, value in updates.items() if _is_expression(value)]
            if expressions:
                obj.refresh_from_db(fields=expressions)
            changes: dict[str, Any] = {field: [source, to]}
            changes.update(audit.diff(before, {name: _audit_value(obj, name) for name in audited}))
            if reason:
                changes["reason"] = reason
            changes.update(extra_changes or {})
            audit.record(
                actor=actor,
                action=action or f"{model._meta.app_label}.{model._meta.model_name}_{to}",
                target=obj,
                changes=changes,
                partner_organization_id=partner_organization_id,
            )
        except BaseException:
            # The transaction rolls back: so does the instance.
            obj.__dict__.clear()
            obj.__dict__.update(saved)
            obj._state.fields_cache = saved_cache
            raise
    return obj


# --- Documentation --------------------------------------------------------------------------------------


def describe(model: type[models.Model]) -> WorkflowDescription:
    """The model's states (choice order, then any others the table names) and allowed transitions,
    labelled in the active language, with their notes and whether they need a reason."""
    table = _transitions(model)
    labels = state_labels(model)
    field_name = state_field_name(model)
    notes = _notes(model)
    needs_reason = _reason_required(model)
    named = list(labels)
    for source, targets in table.items():
        for value in (source, *targets):
            if str(value) not in named:
                named.append(str(value))
    state_field: models.Field[Any, Any] = model._meta.get_field(field_name)  # type: ignore[assignment]
    default = state_field.get_default()
    states = [
        State(
            value=value,
            label=_label(labels, value),
            is_initial=value == str(default),
            is_final=not tuple(table.get(value, ())),
        )
        for value in named
    ]
    transitions = [
        Transition(
            source=str(source),
            source_label=_label(labels, str(source)),
            target=str(target),
            target_label=_label(labels, str(target)),
            note=str(notes.get((source, target), "")),
            reason_required=str(target) in needs_reason,
        )
        for source in named
        for target in table.get(source, ())
    ]
    return WorkflowDescription(
        model=model,
        label=model._meta.label_lower,
        verbose_name=capfirst(str(model._meta.verbose_name)),
        app_verbose_name=str(model._meta.app_config.verbose_name),
        state_field=field_name,
        states=states,
        transitions=transitions,
    )


def describe_all() -> list[WorkflowDescription]:
    return [describe(model) for model in workflow_models()]


def transitions_description(model: type[models.Model]) -> str:
    """One line for the `description` of an API schema's state field (English, like the rest of the
    schema, and the same whatever language is active when the schema module is imported):

        status: Field(description=transitions_description(Partner))
        → "Allowed transitions: pending → approved | rejected | changes_requested; … rejected: final."
    """
    with translation.override("en"):
        described = describe(model)
        parts = []
        for state in described.states:
            targets = [t for t in described.transitions if t.source == state.value]
            if not targets:
                parts.append(f"{state.value}: final")
                continue
            moves = []
            for move in targets:
                extras = [
                    text for text in ("reason required" if move.reason_required else "", move.note) if text
                ]
                moves.append(move.target + (f" ({'; '.join(extras)})" if extras else ""))
            parts.append(f"{state.value} → {' | '.join(moves)}")
    return "Allowed transitions: " + "; ".join(parts) + "."


# --- System check -----------------------------------------------------------------------------------------


@checks.register()
def check_workflow_declarations(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every declared workflow names a real state field, valid states, declared transitions in its
    notes and states in REASON_REQUIRED (a typo would otherwise refuse every transition at run time)."""
    problems: list[checks.CheckMessage] = []
    for model in workflow_models():
        name = model._meta.label
        try:
            field = model._meta.get_field(state_field_name(model))
        except FieldDoesNotExist:
            problems.append(
                checks.Error(
                    f"{name}.STATE_FIELD {state_field_name(model)!r} is not a field of the model.",
                    hint="Set STATE_FIELD to the name of the field that holds the state.",
                    obj=model,
                    id="sangsaeng.E101",
                )
            )
            continue
        valid = {str(value) for value, _label in getattr(field, "flatchoices", ())}
        table = _transitions(model)
        named = {str(state) for source, targets in table.items() for state in (source, *targets)}
        named |= _reason_required(model)
        unknown = sorted(named - valid) if valid else []
        if unknown:
            problems.append(
                checks.Error(
                    f"{name}.TRANSITIONS names states that are not choices of {field.name}: {unknown}",
                    obj=model,
                    id="sangsaeng.E102",
                )
            )
        undeclared = sorted(
            f"{source} → {target}"
            for source, target in _notes(model)
            if target not in tuple(table.get(source, ()))
        )
        if undeclared:
            problems.append(
                checks.Error(
                    f"{name}.TRANSITION_NOTES explains transitions that TRANSITIONS does not allow: {undeclared}",
                    obj=model,
                    id="sangsaeng.E103",
                )
            )
    return problems
