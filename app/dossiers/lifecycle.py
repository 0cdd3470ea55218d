"""The dossier state machine as one table: who may take which action from where, under which
guards, with which parameters, which effects in which order, and which notification.

`app.dossiers.operations.perform_action` is the only code that applies it; guards and effects
are functions registered here by name (`@guard("…")`, `@effect("…")`) from `submission.py`,
`effects.py`, `payment_rules.py`, `linked.py` — and from packages above the dossier domain
(`app.payments` registers `record_counter_payment` and `refund_payments`) — so the order below is
the order they run, whatever the import order.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from flask_babel import lazy_gettext as _l

from app.dossiers.status import IN_PROGRESS, Status

OWNER, OFFICER, SYSTEM = "owner", "officer", "system"
ACTORS = (OWNER, OFFICER, SYSTEM)
S = Status


@dataclass(frozen=True)
class Allow:
    """One way to take an action: this kind of actor, from these statuses, if these guards pass."""

    actor: str
    sources: frozenset[Status]
    guards: tuple[str, ...] = ()
    keep_status: bool = False  # this way of taking the action leaves the status as it is


@dataclass(frozen=True)
class Transition:
    """One action of the table."""

    action: str
    target: Status | None  # None keeps the status (apologize, assign, note)
    allows: tuple[Allow, ...]
    label: Any
    params: dict[str, Any]  # JSON Schema (object) of the action's inputs besides files
    effects: tuple[str, ...] = ()  # run in this order after the status is set
    event: str | None = None  # notification sent after the effects (an effect may change it)
    public: bool = True  # the citizen sees the history entry
    files: tuple[str, ...] = ()  # inputs that are uploaded files

    @property
    def needs_reason(self) -> bool:
        return "note" in self.params.get("required", ())

    @property
    def actors(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.actor for a in self.allows))

    def allow_for(self, actor: str, status: str) -> Allow | None:
        """The rule letting `actor` act from `status`, or None."""
        return next((a for a in self.allows if a.actor == actor and status in a.sources), None)


NOTE = {"type": "string", "maxLength": 2000}
DATE = {"type": "string", "format": "date"}


def params(properties: dict[str, Any] | None = None, *, required: tuple[str, ...] = (),
           reason: bool = False) -> dict[str, Any]:
    """The parameter schema of an action: an optional (or required) note plus its own inputs."""
    return {"type": "object", "properties": {"note": NOTE, **(properties or {})},
            "required": [*required, *(("note",) if reason else ())], "additionalProperties": False}


def allow(actor: str, *sources: Status, guards: tuple[str, ...] = (),
          keep_status: bool = False) -> Allow:
    return Allow(actor, frozenset(sources), guards, keep_status)


PARENT_GUARD = ("not_linked_parent",)  # a linked parent is processed through its children
COUNTER_GUARD = ("counter_dossier",)  # a dossier taken at the counter (channel "counter")
ALL_BUT_DRAFT = tuple(s for s in Status if s is not S.DRAFT)
# Money the gateway confirms is always credited while something is due; only a dossier awaiting
# payment moves on (a late callback for a withdrawn dossier is recorded, then refunded).
PAID_IN_PASSING = tuple(s for s in Status if s is not S.AWAITING_PAYMENT)
REFUNDABLE = (S.WITHDRAWN, S.REJECTED, S.REFUSED, S.STOPPED)

TABLE: tuple[Transition, ...] = (
    Transition("submit", S.SUBMITTED,
               (allow(OWNER, S.DRAFT, S.NEEDS_SUPPLEMENT,
                      guards=("submission_complete", "fee_settled")),),
               _l("Submit"), params(), effects=("stamp_submission", "fix_fee"), event="submitted"),
    Transition("withdraw", S.WITHDRAWN,
               (allow(OWNER, S.DRAFT, S.SUBMITTED, S.NEEDS_SUPPLEMENT),
                allow(OFFICER, S.DRAFT, guards=COUNTER_GUARD)),  # a walk-in who left
               _l("Withdraw"), params(), effects=("quiet_unless_submitted", "stop_linked_parent"),
               event="withdrawn"),
    # At the counter the officer files the walk-in's dossier and receives it on the spot (from
    # the draft, or from a supplement the person brought), with the submission checks.
    Transition("receive", S.RECEIVED,
               (allow(OFFICER, S.SUBMITTED),
                allow(OFFICER, S.DRAFT, S.NEEDS_SUPPLEMENT,
                      guards=(*COUNTER_GUARD, "submission_complete", "fee_settled")),
                allow(SYSTEM, S.DRAFT, guards=("linked_child",))),
               _l("Receive"), params({"verification": {"type": "boolean"}}),
               effects=("stamp_counter_intake", "start_clock", "enter_register",
                        "quiet_linked_part", "open_linked_children"),
               event="received"),
    # Procedures not bound by administrative boundaries: received at any centre of the province
    # and forwarded to the competent unit (docs/deadlines.md: the clock keeps running).
    Transition("forward", None,
               (allow(OFFICER, S.SUBMITTED, S.RECEIVED, guards=("forwardable",)),),
               _l("Forward to the competent unit"),
               params({"unit": {"type": "string", "minLength": 1, "maxLength": 20}},
                      required=("unit",), reason=True),
               effects=("forward_to_unit",), event="forwarded"),
    Transition("request_supplement", S.NEEDS_SUPPLEMENT,
               (allow(OFFICER, S.SUBMITTED, S.RECEIVED, S.PROCESSING),),
               _l("Request a supplement"),
               params({"items": {"type": "array", "maxItems": 50,
                                 "items": {"type": "string", "maxLength": 500}}}, reason=True),
               effects=("stop_clock",), event="needs_supplement"),
    Transition("reject", S.REJECTED, (allow(OFFICER, S.SUBMITTED),),
               _l("Refuse to receive"), params(reason=True), effects=("stop_linked_parent",),
               event="rejected"),
    Transition("process", S.PROCESSING, (allow(OFFICER, S.RECEIVED, guards=PARENT_GUARD),),
               _l("Start processing"), params()),
    Transition("request_payment", S.AWAITING_PAYMENT,
               (allow(OFFICER, S.PROCESSING, guards=PARENT_GUARD),),
               _l("Request payment"),
               params({"amount": {"type": "integer", "minimum": 1, "maximum": 1_000_000_000}}),
               effects=("set_amount_due",), event="awaiting_payment"),
    # At the counter the officer takes a fee paid at submission in cash before receiving the
    # walk-in's dossier (keep_status: the draft stays a draft until `receive`).
    Transition("pay", S.PROCESSING,
               (allow(OFFICER, S.AWAITING_PAYMENT, guards=("payment_covers_due",)),
                allow(OFFICER, S.DRAFT, S.NEEDS_SUPPLEMENT, keep_status=True,
                      guards=(*COUNTER_GUARD, "payment_due", "payment_covers_due")),
                allow(SYSTEM, S.AWAITING_PAYMENT, guards=("payment_covers_due",)),
                allow(SYSTEM, *PAID_IN_PASSING, guards=("payment_due",), keep_status=True)),
               _l("Record payment"),
               params({"reference": {"type": "string", "maxLength": 100},
                       "amount": {"type": "integer", "minimum": 0, "maximum": 1_000_000_000},
                       "payment_id": {"type": "string", "maxLength": 40}}),
               effects=("mark_paid", "record_counter_payment"), event="paid"),
    Transition("approve", S.RESULT_READY, (allow(OFFICER, S.PROCESSING, guards=PARENT_GUARD),),
               _l("Approve result"),
               params({"result_text": {"type": "string", "maxLength": 5000},
                       "result_filename": {"type": "string", "maxLength": 255}}),
               effects=("attach_result", "start_linked_parts"), event="result_ready",
               files=("result_file",)),
    Transition("refuse", S.REFUSED, (allow(OFFICER, S.PROCESSING, guards=PARENT_GUARD),),
               _l("Refuse"), params(reason=True), effects=("stop_linked_parent",),
               event="refused"),
    # A linked part that can no longer give its result stops its parent (app/dossiers/linked.py).
    Transition("stop", S.STOPPED,
               (allow(OFFICER, *IN_PROGRESS),
                allow(SYSTEM, *IN_PROGRESS, guards=("linked_part_failed",))),
               _l("Stop processing"), params(reason=True),
               effects=("stop_linked_parent", "stop_running_parts", "quiet_linked_part"),
               event="stopped"),
    Transition("return", S.RETURNED,
               (allow(OFFICER, S.RESULT_READY, guards=PARENT_GUARD),
                allow(SYSTEM, S.RECEIVED, S.PROCESSING, guards=("linked_children_returned",))),
               _l("Return result"),
               params({"method": {"enum": ["office", "post", "online"]},
                       "tracking_number": {"type": "string", "maxLength": 100}}),
               effects=("close_clock", "start_linked_parts", "complete_linked_parent"),
               event="returned"),
    Transition("apologize", None, (allow(OFFICER, *IN_PROGRESS),),
               _l("Apologize and set a new date"),
               params({"new_due_date": DATE}, required=("new_due_date",), reason=True),
               effects=("move_due_date",), event="apologized"),
    Transition("assign", None,
               (allow(OFFICER, S.SUBMITTED, *IN_PROGRESS, S.RESULT_READY),),
               _l("Assign"),
               params({"assignee": {"oneOf": [{"type": "string", "maxLength": 100},
                                             {"type": "integer", "minimum": 1}]}},
                      required=("assignee",)),
               effects=("assign",), public=False),
    Transition("note", None, (allow(OFFICER, *ALL_BUT_DRAFT),),
               _l("Internal note"), params(reason=True), public=False),
    Transition("refund", None, (allow(OFFICER, *REFUNDABLE, guards=("fee_refundable",)),),
               _l("Record a refund"), params({"reference": {"type": "string", "maxLength": 100}}),
               effects=("mark_refunded", "refund_payments"), event="refunded"),
)
TRANSITIONS: dict[str, Transition] = {t.action: t for t in TABLE}
ACTIONS = tuple(TRANSITIONS)

# History entries that are not transitions of the table.
EVENT_LABELS = {
    "create": _l("Draft created"),
    "migrate_version": _l("Moved to the new version of the form"),
    "download_result": _l("Result downloaded"),
    "claim": _l("Claimed into the applicant's account"),
    "anonymise": _l("Personal data removed (retention period over)"),
}


def event_label(action: str) -> str:
    """Human label of a history entry: a transition's label or one of EVENT_LABELS."""
    if action in EVENT_LABELS:
        return str(EVENT_LABELS[action])
    transition = TRANSITIONS.get(action)
    return str(transition.label) if transition else action


def allowed(action: str, status: str, actor: str) -> bool:
    """Whether `actor` may take `action` from `status` (guards aside)."""
    transition = TRANSITIONS.get(action)
    return transition is not None and transition.allow_for(actor, status) is not None


def allowed_actions(status: str, actor: str) -> list[Transition]:
    """The transitions `actor` may take from `status`, in table order (guards aside)."""
    return [t for t in TABLE if t.allow_for(actor, status) is not None]


# --- What guards and effects receive, and their registries -----------------------------------

@dataclass
class ActionContext:
    """One action being applied: who, with what, and what the effects leave for later steps."""

    transition: Transition
    user: Any
    actor: str
    note: str | None
    params: dict[str, Any]
    moment: dt.datetime
    locale: str
    perform: Callable[..., Any]  # the gate itself, for effects that act on other dossiers
    event: str | None = None
    keep_status: bool = False  # the rule applied leaves the status as it is
    status_before: str | None = None  # the dossier's status when the action began
    notice: dict[str, Any] = field(default_factory=dict)  # extra notification placeholders
    payload: dict[str, Any] = field(default_factory=dict)  # extra history payload
    scratch: dict[str, Any] = field(default_factory=dict)  # guards → effects

    @property
    def action(self) -> str:
        return self.transition.action


Step = Callable[[Any, ActionContext], None]
GUARDS: dict[str, Step] = {}
EFFECTS: dict[str, Step] = {}
# Called after every applied transition, inside its transaction (e.g. summary counts).
OBSERVERS: list[Step] = []
# Called, inside the transaction, when a dossier changed outside a transition (a rating, an
# anonymisation): the same observers as above, with no action context.
CHANGE_OBSERVERS: list[Callable[[Any], None]] = []


def dossier_changed(dossier: Any) -> None:
    """Tell the observers that a dossier changed outside the table (e.g. it was rated)."""
    for observer in CHANGE_OBSERVERS:
        observer(dossier)


def guard(name: str) -> Callable[[Step], Step]:
    """Register a guard: raise a DossierError when the action may not happen."""
    def decorator(fn: Step) -> Step:
        GUARDS[name] = fn
        return fn
    return decorator


def effect(name: str) -> Callable[[Step], Step]:
    """Register an effect: change the dossier (or others) as part of the action."""
    def decorator(fn: Step) -> Step:
        EFFECTS[name] = fn
        return fn
    return decorator


def missing_steps() -> list[str]:
    """Guards and effects the table names but nobody registered (checked at start-up)."""
    names = set()
    for transition in TABLE:
        names |= {f"effect {e}" for e in transition.effects if e not in EFFECTS}
        for rule in transition.allows:
            names |= {f"guard {g}" for g in rule.guards if g not in GUARDS}
    return sorted(names)
