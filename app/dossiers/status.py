"""A dossier's status and everything that depends on it alone, defined once."""
from __future__ import annotations

from enum import StrEnum

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.core.locale import current_locale


class Status(StrEnum):
    """The statuses of CONTRACT.md; properties say what each one means for the rest of the code."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    NEEDS_SUPPLEMENT = "needs_supplement"
    RECEIVED = "received"
    REJECTED = "rejected"
    PROCESSING = "processing"
    AWAITING_PAYMENT = "awaiting_payment"
    RESULT_READY = "result_ready"
    REFUSED = "refused"
    STOPPED = "stopped"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"

    @property
    def label(self):
        """The localized name (lazy: rendered in the reader's language)."""
        return _LABELS[self]

    def label_in(self, locale: str) -> str:
        """The name in a given language (papers are Vietnamese whatever the reader's locale)."""
        with force_locale(locale):
            return str(_LABELS[self])

    @property
    def editable(self) -> bool:
        """The owner may change data, contact, delivery and files."""
        return self in EDITABLE

    @property
    def in_progress(self) -> bool:
        """Received and not settled: the office may stop it or apologise for it."""
        return self in IN_PROGRESS

    @property
    def clock_running(self) -> bool:
        """A due date counts and can run out (stopped while a supplement is outstanding)."""
        return self in CLOCK_RUNNING

    @property
    def terminal(self) -> bool:
        """Nothing more happens to the dossier."""
        return self in TERMINAL

    @property
    def public(self) -> bool:
        """The dossier may appear in the public log and lookup (drafts never do)."""
        return self is not Status.DRAFT

    @property
    def national(self) -> str:
        """The national portal's status for this one (docs/statuses.md); the national model has
        one "unresolved" for both refused and stopped, which stay apart here."""
        return NATIONAL_STATUS[self]

    @property
    def result_available(self) -> bool:
        """The citizen may download the result documents."""
        return self in (Status.RESULT_READY, Status.RETURNED)


_LABELS = {
    Status.DRAFT: _l("Draft"), Status.SUBMITTED: _l("Submitted"),
    Status.NEEDS_SUPPLEMENT: _l("Needs supplement"), Status.RECEIVED: _l("Received"),
    Status.REJECTED: _l("Refused to receive"), Status.PROCESSING: _l("Processing"),
    Status.AWAITING_PAYMENT: _l("Awaiting payment"), Status.RESULT_READY: _l("Result ready"),
    Status.REFUSED: _l("Refused"), Status.STOPPED: _l("Stopped"), Status.RETURNED: _l("Returned"),
    Status.WITHDRAWN: _l("Withdrawn"),
}
# The national public-service portal's status values (DOMAIN.md): one place for a sync adapter.
NATIONAL_STATUS = {
    Status.DRAFT: "receiving", Status.SUBMITTED: "new", Status.NEEDS_SUPPLEMENT: "waiting",
    Status.RECEIVED: "received", Status.REJECTED: "denied", Status.PROCESSING: "processing",
    Status.AWAITING_PAYMENT: "paying", Status.RESULT_READY: "releasing", Status.REFUSED: "unresolved",
    Status.STOPPED: "unresolved", Status.RETURNED: "done", Status.WITHDRAWN: "cancelled",
}
EDITABLE = frozenset({Status.DRAFT, Status.NEEDS_SUPPLEMENT})
IN_PROGRESS = frozenset({Status.RECEIVED, Status.PROCESSING, Status.AWAITING_PAYMENT,
                         Status.NEEDS_SUPPLEMENT})
CLOCK_RUNNING = frozenset({Status.RECEIVED, Status.PROCESSING, Status.AWAITING_PAYMENT,
                           Status.RESULT_READY})
TERMINAL = frozenset({Status.REJECTED, Status.REFUSED, Status.STOPPED, Status.RETURNED,
                      Status.WITHDRAWN})
STATUSES = tuple(Status)

DELIVERY_METHODS = ("office", "post", "online")
# How a dossier reached the office: filed online, taken at the counter, or sent by post.
CHANNELS = ("online", "counter", "post")
CHANNEL_LABELS = {"online": _l("Online"), "counter": _l("At the counter"), "post": _l("By post")}
PAYMENT_STATES = ("none", "unpaid", "pending", "paid", "exempt", "refunded")
PAYMENT_LABELS = {"none": _l("Nothing to pay"), "unpaid": _l("Not paid yet"),
                  "pending": _l("Payment pending"), "paid": _l("Paid"),
                  "exempt": _l("Exempt from fees"), "refunded": _l("Refunded")}


_TRANSLATED: dict[tuple[str, str], str] = {}  # (locale, status) → label: catalogues are fixed


def status_label(value: str) -> str:
    """The label of a stored status value (unknown values are shown as they are)."""
    key = (current_locale(), value)
    label = _TRANSLATED.get(key)
    if label is None:
        try:
            label = str(Status(value).label)
        except ValueError:
            return value
        _TRANSLATED[key] = label
    return label
