"""The dossier state machine: every status change goes through `apply_action`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from flask_babel import lazy_gettext as _l

OWNER, OFFICER, SYSTEM = "owner", "officer", "system"
ACTIVE = ("received", "processing", "awaiting_payment", "needs_supplement")


@dataclass(frozen=True)
class Transition:
    """One action: from which statuses, by whom, to which status, with what input."""

    action: str
    sources: tuple[str, ...]
    target: str | None  # None keeps the status (assign, apologize, note)
    actors: tuple[str, ...]
    needs_reason: bool = False
    public: bool = True
    label: Any = ""
    # Extra inputs the action accepts; others are dropped. None: pass everything through.
    params: tuple[str, ...] | None = None


TRANSITIONS: dict[str, Transition] = {t.action: t for t in (
    Transition("submit", ("draft", "needs_supplement"), "submitted", (OWNER,),
               label=_l("Submit")),
    Transition("withdraw", ("draft", "submitted", "needs_supplement"), "withdrawn", (OWNER,),
               label=_l("Withdraw")),
    Transition("receive", ("submitted",), "received", (OFFICER,), label=_l("Receive"),
               params=("verification",)),
    Transition("request_supplement", ("submitted", "received", "processing"),
               "needs_supplement", (OFFICER,), needs_reason=True,
               label=_l("Request a supplement"), params=("items",)),
    Transition("reject", ("submitted",), "rejected", (OFFICER,), needs_reason=True,
               label=_l("Refuse to receive"), params=()),
    Transition("process", ("received",), "processing", (OFFICER,), label=_l("Start processing"),
               params=()),
    Transition("request_payment", ("processing",), "awaiting_payment", (OFFICER,),
               label=_l("Request payment"), params=("amount",)),
    Transition("pay", ("awaiting_payment",), "processing", (SYSTEM, OFFICER),
               label=_l("Record payment"), params=("reference",)),
    Transition("approve", ("processing",), "result_ready", (OFFICER,), label=_l("Approve result"),
               params=("result_file", "result_filename", "result_text")),
    Transition("refuse", ("processing",), "refused", (OFFICER,), needs_reason=True,
               label=_l("Refuse"), params=()),
    Transition("stop", ACTIVE, "stopped", (OFFICER,), needs_reason=True,
               label=_l("Stop processing"), params=()),
    Transition("return", ("result_ready",), "returned", (OFFICER,), label=_l("Return result"),
               params=("method", "tracking_number")),
    Transition("apologize", ACTIVE, None, (OFFICER,), needs_reason=True,
               label=_l("Apologize and set a new date"), params=("new_due_date",)),
    Transition("assign", ("submitted",) + ACTIVE + ("result_ready",), None, (OFFICER,),
               public=False, label=_l("Assign"), params=("assignee",)),
    Transition("note", tuple(), None, (OFFICER,), needs_reason=True, public=False,
               label=_l("Internal note"), params=()),
)}
ACTIONS = tuple(TRANSITIONS)
STATUS_LABELS = {
    "draft": _l("Draft"), "submitted": _l("Submitted"), "needs_supplement": _l("Needs supplement"),
    "received": _l("Received"), "rejected": _l("Refused to receive"),
    "processing": _l("Processing"), "awaiting_payment": _l("Awaiting payment"),
    "result_ready": _l("Result ready"), "refused": _l("Refused"), "stopped": _l("Stopped"),
    "returned": _l("Returned"), "withdrawn": _l("Withdrawn"),
}


class ActionNotAllowed(Exception):
    """The action is unknown, not allowed in this status, or not for this actor."""

    def __init__(self, message: str, status: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status


def allowed(action: str, status: str, actor_kind: str) -> bool:
    """Whether `actor_kind` may take `action` on a dossier in `status`."""
    transition = TRANSITIONS.get(action)
    if transition is None or actor_kind not in transition.actors:
        return False
    if action == "note":
        return True
    return status in transition.sources


def allowed_actions(status: str, actor_kind: str) -> list[Transition]:
    """The transitions `actor_kind` may take from `status`, in table order."""
    return [t for t in TRANSITIONS.values() if allowed(t.action, status, actor_kind)]


Hook = Callable[..., None]
# Side effects per action (timestamps, deadlines, notifications), filled by operations.
EFFECTS: dict[str, list[Hook]] = {}


def on(action: str) -> Callable[[Hook], Hook]:
    """Register a side effect run inside the transition's transaction."""
    def decorator(fn: Hook) -> Hook:
        EFFECTS.setdefault(action, []).append(fn)
        return fn
    return decorator


# History entries that are not transitions of the table above.
EVENT_LABELS = {
    "create": _l("Draft created"),
    "migrate_version": _l("Moved to the new version of the form"),
}


def event_label(action: str) -> str:
    """Human label of a history entry: a transition's label or one of EVENT_LABELS."""
    if action in EVENT_LABELS:
        return str(EVENT_LABELS[action])
    transition = TRANSITIONS.get(action)
    return str(transition.label) if transition else action
