"""One alert, live: the pure model, evaluator and repeat schedule wired to the hub.

An :class:`AlertRuntime` feeds samples (the watched entity's state or a template's result) to
its evaluator, applies the resulting events to the ISA-18.2 model, records occurrences and the
audit trail, runs the notification schedule with Home Assistant's ``repeat`` semantics, keeps
its timers on the hub's clock and hands every change to the store. Operator actions raise
:class:`~hub.alerts.model.IllegalTransition` or :class:`~hub.alerts.shelving.ShelveError`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

from hub.alerts.entity import AlertEntity
from hub.alerts.evaluator import Evaluator, EvaluatorState, ThresholdCondition
from hub.alerts.model import (
    Acknowledge,
    Activate,
    AlertState,
    Clear,
    EffectKind,
    Event,
    IllegalTransition,
    Realarm,
    RemoveFromService,
    Reset,
    ReturnToService,
    ShelveExpired,
    ShelveOneShot,
    ShelveTimed,
    Suppress,
    Unshelve,
    Unsuppress,
    Value,
    apply,
    next_deadline,
    realarm_due,
)
from hub.alerts.notifications import Kind, Notification, NotificationRouter
from hub.alerts.occurrence import AuditEntry, Occurrence, OccurrenceBook, Recorded
from hub.alerts.repeat import RepeatScheduler, RepeatState
from hub.alerts.schema import AlertConfig
from hub.alerts.shelving import SYSTEM_ACTOR, ChatterHistory
from hub.alerts.store import AlertStore, Change
from hub.automation.templates import RenderInfo, Template, TemplateError
from hub.core.clock import Cancel, Clock
from hub.core.context import Context
from hub.core.events import EVENT_ALERT_CHANGED
from hub.core.state import State

_LOGGER = logging.getLogger(__name__)

STATE_VERSION: Final = 1
SUPPRESS_REASON: Final = "suppress_when"


@dataclass(frozen=True, slots=True)
class RuntimeDeps:
    """What every alert runtime shares: the hub's clock, bus and states, a template factory,
    the store and the notification router."""

    clock: Clock
    fire: Callable[[str, Mapping[str, Any], Context], None]
    states_get: Callable[[str], State | None]
    template: Callable[[str], Template]
    store: AlertStore
    router: NotificationRouter


def _iso(ts: float | None) -> str | None:
    return None if ts is None else dt.datetime.fromtimestamp(ts, dt.UTC).isoformat()


def _actor(context: Context) -> str | None:
    return context.user_id


def _truthy(result: Any) -> bool:
    """A rendered condition as Home Assistant reads it: true/on/yes/1 or a non-zero number."""
    if isinstance(result, bool):
        return result
    if isinstance(result, int | float):
        return result != 0
    return str(result).strip().lower() in ("true", "on", "yes", "1", "enable")


class AlertRuntime:
    """The live object behind one configured alert."""

    def __init__(self, config: AlertConfig, notifiers: tuple[str, ...], deps: RuntimeDeps) -> None:
        self.config = config
        self.notifiers = notifiers
        self._deps = deps
        self._state = AlertState()
        evaluator_config = config.evaluator_config
        self._evaluator = Evaluator(evaluator_config) if evaluator_config else None
        self._repeat = RepeatScheduler(config.repeat)
        self._chatter = ChatterHistory()
        self._book = OccurrenceBook()
        self._timers: dict[str, tuple[float, Cancel]] = {}
        self._condition = self._compile(config.value_template)
        self._suppress = self._compile(config.suppress_when)
        self._condition_reads = RenderInfo()
        self._suppress_reads = RenderInfo()
        self._texts = {
            key: self._compile(source)
            for key, source in (
                ("title", config.title),
                ("message", config.message),
                ("done_message", config.done_message),
            )
        }
        self.source = config.entity_id or f"alert.{config.alert_id}"
        self.entity = AlertEntity(config.alert_id, config.name, self)

    # -- views ---------------------------------------------------------------------------------
    @property
    def alert_id(self) -> str:
        """The alert's id (its key in the ``alert:`` section)."""
        return self.config.alert_id

    @property
    def state(self) -> AlertState:
        """The model state."""
        return self._state

    @property
    def firing(self) -> bool:
        """Active, or latched and waiting for a reset."""
        return self._state.active or self._state.latched

    @property
    def entity_state(self) -> str:
        """``on`` (firing, not acknowledged), ``off`` (firing, acknowledged) or ``idle``."""
        if not self.firing:
            return "idle"
        return "off" if self._state.acknowledged else "on"

    @property
    def last_value(self) -> Value:
        """The watched value last seen (None for manual alerts until raised with a value)."""
        if self._evaluator is not None:
            return self._evaluator.state.last_value
        occurrence = self._book.get(self.alert_id, self.source)
        return occurrence.last_value if occurrence else None

    @property
    def has_templates(self) -> bool:
        """True when a template (condition or ``suppress_when``) must see state changes."""
        return self._condition is not None or self._suppress is not None

    def reads(self, entity_id: str) -> bool:
        """True when a change of ``entity_id`` may change one of the alert's templates."""
        return self._condition_reads.matches(entity_id) or self._suppress_reads.matches(entity_id)

    def open_occurrence(self) -> Occurrence | None:
        """The open occurrence, if any."""
        return self._book.get(self.alert_id, self.source)

    def entity_attributes(self) -> dict[str, Any]:
        """Attributes of the ``alert.<id>`` entity."""
        state = self._state
        return {
            "severity": self.config.severity.value,
            "isa_state": state.label.value,
            "acknowledged": state.acknowledged,
            "shelved": state.shelving.shelved,
            "shelve_until": _iso(state.shelving.until) if state.shelving.shelved else None,
            "suppressed": state.suppressed,
            "out_of_service": state.out_of_service,
            "latched": state.latched,
            "occurrence_id": state.occurrence_id,
            "last_value": self.last_value,
        }

    def as_dict(self) -> dict[str, Any]:
        """The alert as the API shows it."""
        state = self._state
        return {
            "id": self.alert_id,
            "entity_id": self.entity.entity_id if self.entity.added else None,
            "name": self.config.name,
            "severity": self.config.severity.value,
            "source": self.source,
            "state": self.entity_state,
            "isa_state": state.label.value,
            "active": state.active,
            "acknowledged": state.acknowledged,
            "latched": state.latched,
            "suppressed": state.suppressed,
            "out_of_service": state.out_of_service,
            "shelving": state.shelving.to_dict(),
            "occurrence_id": state.occurrence_id,
            "active_since": state.active_since,
            "last_value": self.last_value,
            "can_acknowledge": self.config.policy.can_acknowledge,
            "max_shelve": self.config.policy.max_shelve,
            "manual": self.config.manual,
        }

    # -- persistence ---------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """The restorable rule state (model, evaluator, repeat schedule, chatter history)."""
        return {
            "version": STATE_VERSION,
            "model": self._state.to_dict(),
            "evaluator": self._evaluator.to_dict() if self._evaluator else None,
            "repeat": self._repeat.to_dict(),
            "chatter": self._chatter.to_dict(),
        }

    def restore(self, saved: Mapping[str, Any] | None, open_occurrences: list[Occurrence]) -> None:
        """Resume from :meth:`snapshot` output and the stored open occurrences."""
        self._book = OccurrenceBook(open_occurrences)
        if not saved:
            return
        try:
            self._state = AlertState.from_dict(saved["model"])
            self._repeat = RepeatScheduler(
                self.config.repeat, RepeatState.from_dict(saved["repeat"])
            )
            self._chatter = ChatterHistory.from_dict(saved.get("chatter") or {})
            if self._evaluator is not None and saved.get("evaluator"):
                self._evaluator = Evaluator(
                    self._evaluator.config, EvaluatorState.from_dict(saved["evaluator"])
                )
        except (KeyError, TypeError, ValueError) as err:
            _LOGGER.warning(
                "Alert %s: saved state unreadable (%s); starting fresh", self.alert_id, err
            )
            self._state = AlertState()
            self._repeat = RepeatScheduler(self.config.repeat)

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> None:
        """Arm the timers and take the first samples (as HA does: fire if already in alert)."""
        self._arm_all()
        context = Context(origin="alert")
        if self.config.entity_id is not None:
            current = self._deps.states_get(self.config.entity_id)
            if current is not None:
                self._sample(self._value_of(current.state), context)
        if self._condition is not None:
            self._sample_template(context)
        self._check_suppression(context)

    def stop(self) -> None:
        """Cancel every timer."""
        for _when, cancel in self._timers.values():
            cancel()
        self._timers.clear()

    def on_state_changed(self, entity_id: str, new_state: State | None) -> None:
        """A watched entity changed."""
        context = Context(origin="alert")
        if entity_id == self.config.entity_id:
            self._sample(None if new_state is None else self._value_of(new_state.state), context)
        if self._condition is not None and self._condition_reads.matches(entity_id):
            self._sample_template(context)
        if self._suppress is not None and self._suppress_reads.matches(entity_id):
            self._check_suppression(context)

    # -- operator and automation actions -------------------------------------------------------
    def acknowledge(self, context: Context) -> None:
        """Acknowledge (ISA-18.2); refused when there is nothing to acknowledge."""
        self._apply(Acknowledge(actor=_actor(context)), context)

    def turn_off(self, context: Context) -> None:
        """Home Assistant's ``alert.turn_off``: acknowledge, quietly when nothing is owed."""
        if not self.config.policy.can_acknowledge:
            raise IllegalTransition("This alert cannot be acknowledged")
        if not self._state.acknowledged:
            self.acknowledge(context)

    def turn_on(self, context: Context) -> None:
        """Home Assistant's ``alert.turn_on``: withdraw the acknowledgement of a firing alert."""
        if not (self.firing and self._state.acknowledged):
            return
        before = self._state
        now = self._deps.clock.time()
        self._state = replace(before, acknowledged=False)
        audit = AuditEntry(
            now,
            "unacknowledge",
            _actor(context),
            None,
            before.label.value,
            self._state.label.value,
            self._state.occurrence_id,
        )
        self._finish(Recorded(audit, ()), context, now)

    def toggle(self, context: Context) -> None:
        """Home Assistant's ``alert.toggle``."""
        if self.firing and self._state.acknowledged:
            self.turn_on(context)
        else:
            self.turn_off(context)

    def shelve(self, context: Context, reason: str, duration: float | None) -> None:
        """Shelve for ``duration`` seconds, or one-shot (until the next clear) when None."""
        actor = _actor(context)
        event: Event
        if duration is None:
            event = ShelveOneShot(actor=actor, reason=reason)
        else:
            event = ShelveTimed(actor=actor, reason=reason, duration=duration)
        self._apply(event, context)

    def unshelve(self, context: Context) -> None:
        """End a shelve early."""
        self._apply(Unshelve(actor=_actor(context)), context)

    def reset(self, context: Context) -> None:
        """Reset a latched alert."""
        self._apply(Reset(actor=_actor(context)), context)

    def set_out_of_service(
        self, context: Context, out_of_service: bool, reason: str | None
    ) -> None:
        """Take the alert out of service, or return it."""
        actor = _actor(context)
        if out_of_service:
            self._apply(RemoveFromService(actor=actor, reason=reason), context)
        else:
            self._apply(ReturnToService(actor=actor, reason=reason), context)

    def raise_alert(self, context: Context, value: Value, reason: str | None) -> None:
        """Raise a manual alert (``alert.raise``); raising it again updates its occurrence."""
        self._require_manual("raise")
        self._apply(Activate(actor=_actor(context), reason=reason, value=value), context)

    def clear_alert(self, context: Context, value: Value, reason: str | None) -> None:
        """Clear a manual alert (``alert.clear``)."""
        self._require_manual("clear")
        self._apply(Clear(actor=_actor(context), reason=reason, value=value), context)

    def _require_manual(self, action: str) -> None:
        if not self.config.manual:
            watched = self.config.entity_id or "its template"
            raise IllegalTransition(
                f"alert.{self.alert_id} watches {watched} and raises and clears by itself; "
                f"only an alert without entity_id and value_template accepts alert.{action}"
            )

    # -- samples -------------------------------------------------------------------------------
    def _compile(self, source: str | None) -> Template | None:
        return None if source is None else self._deps.template(source)

    def _value_of(self, text: str) -> Value:
        if self.config.condition is not None and isinstance(
            self.config.condition, ThresholdCondition
        ):
            try:
                return float(text)
            except ValueError:
                return text
        return text

    def _sample_template(self, context: Context) -> None:
        assert self._condition is not None
        try:
            result, self._condition_reads = self._condition.render_with_info()
        except TemplateError as err:
            _LOGGER.warning("Alert %s: value_template: %s", self.alert_id, err)
            return
        self._sample(result if isinstance(result, bool | int | float | str) else None, context)

    def _sample(self, value: Value, context: Context) -> None:
        evaluator = self._evaluator
        if evaluator is None:
            return
        now = self._deps.clock.time()
        before = evaluator.state
        outcome = evaluator.update(value, now)
        self._after_evaluation(before, outcome.changed, context, now)

    def _evaluator_due(self) -> None:
        evaluator = self._evaluator
        if evaluator is None:
            return
        now = self._deps.clock.time()
        before = evaluator.state
        outcome = evaluator.tick(now)
        self._after_evaluation(before, outcome.changed, Context(origin="alert"), now)

    def _after_evaluation(
        self, before: EvaluatorState, changed: bool, context: Context, now: float
    ) -> None:
        evaluator = self._evaluator
        assert evaluator is not None
        if changed:
            value = evaluator.state.last_value
            event: Event = (
                Activate(actor=SYSTEM_ACTOR, value=value)
                if evaluator.state.active
                else Clear(actor=SYSTEM_ACTOR, value=value)
            )
            self._apply(event, context, now)
        elif replace(before, last_value=None) != replace(evaluator.state, last_value=None):
            self._persist(now)
        self._arm("evaluator", evaluator.deadline, self._evaluator_due)

    def _check_suppression(self, context: Context) -> None:
        if self._suppress is None:
            return
        try:
            result, self._suppress_reads = self._suppress.render_with_info()
        except TemplateError as err:
            _LOGGER.warning("Alert %s: suppress_when: %s", self.alert_id, err)
            return
        suppressed = _truthy(result)
        if suppressed == self._state.suppressed:
            return
        event = Suppress if suppressed else Unsuppress
        self._apply(event(actor=SYSTEM_ACTOR, reason=SUPPRESS_REASON), context)

    # -- transitions ---------------------------------------------------------------------------
    def _apply(self, event: Event, context: Context, now: float | None = None) -> None:
        now = self._deps.clock.time() if now is None else now
        if isinstance(event, Activate) and not self._state.active:
            self._guard_chatter(now, context)
        before = self._state
        result = apply(before, event, now, self.config.policy)
        self._state = result.new_state
        recorded = self._book.record(
            alert_id=self.alert_id,
            source=self.source,
            severity=self.config.severity,
            event=event,
            before=before,
            result=result,
            now=now,
        )
        was_firing = self._repeat.state.firing
        for effect in result.effects:
            if effect.kind is EffectKind.ANNUNCIATE and was_firing:
                if effect.detail == "resumed":
                    self._send_extra(now, context)
                else:
                    self._restart_repeat(now, context)
        self._finish(recorded, context, now)

    def _guard_chatter(self, now: float, context: Context) -> None:
        """Count an activation; a chattering alert is shelved before it is annunciated."""
        policy = self.config.chatter
        if policy is None:
            return
        self._chatter, auto = self._chatter.record(now, policy)
        if auto is None or self._state.shelving.shelved or self._state.out_of_service:
            return
        shelve = ShelveTimed(actor=SYSTEM_ACTOR, reason=auto.reason, duration=auto.duration)
        self._apply(shelve, context, now)

    def _finish(self, recorded: Recorded, context: Context, now: float) -> None:
        self._sync_repeat(now, context)
        self._deps.store.submit(
            Change(self.alert_id, self.snapshot(), now, recorded.changed, recorded.audit)
        )
        self._arm_all()
        if self.entity.added:
            self.entity.write_state(context=context)
        audit = recorded.audit
        if audit is not None:
            self._deps.fire(
                EVENT_ALERT_CHANGED,
                {
                    "alert_id": self.alert_id,
                    "entity_id": self.entity.entity_id if self.entity.added else None,
                    "action": audit.action,
                    "actor": audit.actor,
                    "reason": audit.reason,
                    "from_state": audit.from_label,
                    "to_state": audit.to_label,
                    "occurrence_id": audit.occurrence_id,
                    "alert": self.as_dict(),
                },
                context,
            )

    def _persist(self, now: float) -> None:
        self._deps.store.submit(Change(self.alert_id, self.snapshot(), now))

    def _model_due(self) -> None:
        now = self._deps.clock.time()
        context = Context(origin="alert")
        if self._state.shelving.expired(now):
            self._apply(ShelveExpired(actor=SYSTEM_ACTOR), context, now)
        due = realarm_due(self._state, self.config.policy)
        if due is not None and now >= due:
            self._apply(Realarm(actor=SYSTEM_ACTOR), context, now)
        self._arm_all()

    # -- notifications -------------------------------------------------------------------------
    def _sync_repeat(self, now: float, context: Context) -> None:
        state, repeat = self._state, self._repeat
        muted = not state.annunciating
        if self.firing and not repeat.state.firing:
            if repeat.begin(now, muted=muted):
                self._notify("alert", context)
        elif not self.firing and repeat.state.firing and repeat.end() and self.config.done_message:
            self._notify("done", context)
        if repeat.state.firing and state.acknowledged != repeat.state.acknowledged:
            if state.acknowledged:
                repeat.acknowledge()
            else:
                repeat.unacknowledge()

    def _restart_repeat(self, now: float, context: Context) -> None:
        """A new occurrence or a realarm while already firing: start the sequence afresh."""
        owed = self._repeat.state.done_pending
        self._repeat.end()
        if self._repeat.begin(now, muted=not self._state.annunciating):
            self._notify("alert", context)
        if owed and not self._repeat.state.done_pending:
            self._repeat = RepeatScheduler(
                self.config.repeat, replace(self._repeat.state, done_pending=True)
            )

    def _send_extra(self, now: float, context: Context) -> None:
        """Annunciate at once outside the schedule (an overlay was lifted)."""
        state = self._repeat.state
        self._repeat = RepeatScheduler(
            self.config.repeat, replace(state, sent=state.sent + 1, done_pending=True)
        )
        self._notify("alert", context)

    def _repeat_due(self) -> None:
        now = self._deps.clock.time()
        if self._repeat.tick(now, muted=not self._state.annunciating):
            self._notify("alert", Context(origin="alert"))
        self._persist(now)
        self._arm_all()

    def _render(self, key: str) -> str | None:
        template = self._texts.get(key)
        if template is None:
            return None
        try:
            return template.render_text({"value": self.last_value})
        except TemplateError as err:
            _LOGGER.warning("Alert %s: %s: %s", self.alert_id, key, err)
            return None

    def _notify(self, kind: Kind, context: Context) -> None:
        config = self.config
        text = self._render("done_message" if kind == "done" else "message")
        note = Notification(
            self.alert_id,
            kind,
            self.notifiers,
            text or config.name,
            self._render("title"),
            config.data,
        )
        self._deps.router.send(note, context.child(origin="alert"))

    # -- timers --------------------------------------------------------------------------------
    def _arm_all(self) -> None:
        if self._evaluator is not None:
            self._arm("evaluator", self._evaluator.deadline, self._evaluator_due)
        self._arm("repeat", self._repeat.next_due, self._repeat_due)
        self._arm("model", next_deadline(self._state, self.config.policy), self._model_due)

    def _arm(self, name: str, when: float | None, callback: Callable[[], None]) -> None:
        current = self._timers.get(name)
        if current is not None and current[0] == when:
            return
        if current is not None:
            current[1]()
            del self._timers[name]
        if when is not None:
            self._timers[name] = (when, self._deps.clock.call_at(when, self._fired(name, callback)))

    def _fired(self, name: str, callback: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            self._timers.pop(name, None)
            try:
                callback()
            except Exception:
                _LOGGER.exception("Alert %s: %s timer failed", self.alert_id, name)

        return run
