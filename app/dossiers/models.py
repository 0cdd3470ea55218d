"""Dossiers (hồ sơ), their attachments, append-only events and code sequences."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from flask_appbuilder import Model
from flask_babel import ngettext
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.deletion import describe_references, register_references
from app.core.types import JSONType, utcnow
from app.dossiers.status import Status
from app.extensions import db


class Dossier(Model):
    """A citizen's filing of one procedure at one unit."""

    __tablename__ = "dossiers"
    __table_args__ = (
        UniqueConstraint("applicant_id", "idempotency_key"),
        UniqueConstraint("taken_by_id", "intake_idempotency_key",
                         name="uq_dossiers_taken_by_id_intake_idempotency_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True, index=True)
    procedure_id: Mapped[int] = mapped_column(
        ForeignKey("procedures.id", ondelete="NO ACTION"), index=True)
    procedure_version_id: Mapped[int] = mapped_column(
        ForeignKey("procedure_versions.id", ondelete="NO ACTION"))
    # Indexed with id and status below (the queue's and the lists' orders).
    unit_id: Mapped[int] = mapped_column(ForeignKey("administrative_units.id", ondelete="NO ACTION"))
    applicant_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id", ondelete="NO ACTION"))
    assignee_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id", ondelete="NO ACTION"))
    parent_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("dossiers.id", ondelete="NO ACTION"), index=True)
    idempotency_key: Mapped[Optional[str]] = mapped_column(String(100))
    # SHA-256 of the creating request: the same key with another body is refused (422).
    idempotency_fingerprint: Mapped[Optional[str]] = mapped_column(String(64))
    # A walk-in dossier: the officer who took it at the counter, and the Idempotency-Key of that
    # request (scoped to the officer; apart from the citizens' keys, which a claim must not meet).
    taken_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id", ondelete="NO ACTION"))
    intake_idempotency_key: Mapped[Optional[str]] = mapped_column(String(100))

    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    contact_email: Mapped[str] = mapped_column(String(255), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT, index=True)
    # online | counter | post (status.CHANNELS): how the dossier reached the office.
    channel: Mapped[str] = mapped_column(String(10), default="online", server_default="online")
    # A walk-in applicant who may have no account (counter intake); claimed later into one.
    applicant_name: Mapped[str] = mapped_column(String(255), default="", server_default="")
    applicant_id_number: Mapped[str] = mapped_column(String(30), default="", server_default="")
    # Sổ theo dõi hồ sơ (Mẫu 07): the number in the current unit's register, gap-free per year.
    register_number: Mapped[Optional[int]] = mapped_column(Integer)
    register_year: Mapped[Optional[int]] = mapped_column(Integer)

    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    submitted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    due_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True)
    # The appointment with its time of day ("… giờ … phút, ngày …"); its date is due_date.
    due_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    on_time: Mapped[Optional[bool]] = mapped_column(Boolean)

    delivery_method: Mapped[str] = mapped_column(String(20), default="office")
    delivery_address: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # The fee (app/dossiers/fees.py): total due, its items, the exemption claimed, what was paid.
    fee: Mapped[int] = mapped_column(Integer, default=0)
    fee_items: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    fee_exemption: Mapped[Optional[str]] = mapped_column(String(30))
    fee_paid: Mapped[int] = mapped_column(Integer, default=0)
    paid_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    payment_status: Mapped[str] = mapped_column(String(20), default="none")

    # The clock (app/dossiers/effects.py): stopped while a supplement is outstanding.
    clock_stopped_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    remaining_days: Mapped[Optional[int]] = mapped_column(Integer)
    supplement_items: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    supplement_rounds: Mapped[int] = mapped_column(Integer, default=0)
    # An apology moves the due date but the dossier stays late in the statistics.
    original_due_date: Mapped[Optional[dt.date]] = mapped_column(Date)
    apologized_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    return_method: Mapped[Optional[str]] = mapped_column(String(20))
    tracking_number: Mapped[Optional[str]] = mapped_column(String(100))
    # The head of the history chain (app/dossiers/history.py): how many events it holds and the
    # last one's hash, so a deleted or rewritten last event is caught by `flask audit verify`.
    history_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    history_head: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # When the retention period's anonymisation removed its personal data (app/transparency).
    anonymised_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))

    # Optimistic locking: a concurrent update of a stale row raises StaleDataError.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}

    procedure = relationship("Procedure")
    procedure_version = relationship("ProcedureVersion")
    unit = relationship("AdministrativeUnit")
    applicant = relationship("User", foreign_keys=[applicant_id])
    assignee = relationship("User", foreign_keys=[assignee_id])
    taken_by = relationship("User", foreign_keys=[taken_by_id])
    parent: Mapped[Optional["Dossier"]] = relationship(
        remote_side="Dossier.id", back_populates="children"
    )
    children: Mapped[list["Dossier"]] = relationship(back_populates="parent")
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="dossier", order_by="Attachment.id", cascade="all, delete-orphan"
    )
    events: Mapped[list["DossierEvent"]] = relationship(
        back_populates="dossier", order_by="DossierEvent.id"
    )
    results: Mapped[list["ResultDocument"]] = relationship(
        back_populates="dossier", order_by="ResultDocument.id"
    )

    @property
    def is_late(self) -> bool:
        """Late once apologized, or returned after the due date."""
        return self.apologized_at is not None or self.on_time is False

    def __repr__(self) -> str:
        return self.code

    __str__ = __repr__


# Sorts dossiers without a due date last (the officers' queue, app/dossiers/queue.py). Written
# as SQL so that the queries and the index below spell the same expression.
NO_DUE_DATE_SQL = literal_column("'9999-12-31'")
QUEUE_DUE_ORDER = func.coalesce(Dossier.due_date, NO_DUE_DATE_SQL)
FILED_SQL = literal_column("'draft'")
# The plans of docs/performance.md: counts per status of a unit (with the procedure, for the
# procedure filter), the queue by due date, a unit's and a citizen's lists newest first.
Index("ix_dossiers_unit_status", Dossier.unit_id, Dossier.status,
      postgresql_include=["procedure_id"])
Index("ix_dossiers_queue_due", Dossier.unit_id, QUEUE_DUE_ORDER, Dossier.id,
      postgresql_where=Dossier.status != FILED_SQL, sqlite_where=Dossier.status != FILED_SQL)
Index("ix_dossiers_unit_id_id", Dossier.unit_id, Dossier.id)
Index("ix_dossiers_applicant_id_id", Dossier.applicant_id, Dossier.id)


class Attachment(Model):
    """A file attached to a dossier for one required document."""

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("dossier_id", "idempotency_key",
                                       name="uq_attachments_dossier_id_idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="NO ACTION"), index=True)
    document_key: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # An upload retried with the same Idempotency-Key answers this attachment (per dossier).
    idempotency_key: Mapped[Optional[str]] = mapped_column(String(100))
    idempotency_fingerprint: Mapped[Optional[str]] = mapped_column(String(64))

    dossier: Mapped[Dossier] = relationship(back_populates="attachments")


class DossierEvent(Model):
    """One entry of a dossier's append-only, hash-chained history."""

    __tablename__ = "dossier_events"
    # A dossier's chain in order: its last hash (record_event) and the verification walk.
    __table_args__ = (Index("ix_dossier_events_dossier_id_id", "dossier_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="NO ACTION"))
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id", ondelete="NO ACTION"))
    # Indexed: the daily digest reads one day's events.
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    index=True)
    action: Mapped[str] = mapped_column(String(50))
    status_before: Mapped[Optional[str]] = mapped_column(String(20))
    status_after: Mapped[Optional[str]] = mapped_column(String(20))
    note: Mapped[Optional[str]] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64), default="")

    dossier: Mapped[Dossier] = relationship(back_populates="events")
    actor = relationship("User")


class ResultDocument(Model):
    """The result (kết quả) attached on approval: an uploaded or generated PDF."""

    __tablename__ = "dossier_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="NO ACTION"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100), default="application/pdf")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(255), unique=True)
    generated: Mapped[bool] = mapped_column(Boolean, default=False)
    # What the public verification page (/public/verify/<public_id>) tells about it.
    public_id: Mapped[Optional[str]] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(255), default="")
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    signer: Mapped[Optional[str]] = mapped_column(String(255))
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id", ondelete="NO ACTION"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    dossier: Mapped[Dossier] = relationship(back_populates="results")


class SatisfactionRating(Model):
    """The citizen's rating (1-5) of a returned dossier; one per dossier."""

    __tablename__ = "satisfaction_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="NO ACTION"), unique=True)
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="NO ACTION"), index=True)
    procedure_id: Mapped[int] = mapped_column(
        ForeignKey("procedures.id", ondelete="NO ACTION"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DossierSequence(Model):
    """Last dossier number issued per unit and day (codes <unit>-YYMMDD-NNNN)."""

    __tablename__ = "dossier_sequences"

    unit_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class RegisterCounter(Model):
    """Last register number given per unit and year; its row is locked while a number is taken."""

    __tablename__ = "register_counters"

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="NO ACTION"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class RegisterEntry(Model):
    """One line of a unit's tracking register (Sổ theo dõi hồ sơ): a dossier it received."""

    __tablename__ = "register_entries"
    __table_args__ = (UniqueConstraint("unit_id", "year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="NO ACTION"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="NO ACTION"), index=True)
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The dossier was forwarded from this unit to another (it stays in this register).
    forwarded_to_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="NO ACTION"))
    forwarded_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))

    dossier: Mapped[Dossier] = relationship()
    unit = relationship("AdministrativeUnit", foreign_keys=[unit_id])
    forwarded_to = relationship("AdministrativeUnit", foreign_keys=[forwarded_to_id])


# What a dossier and its records are called where they keep a catalogue row from being deleted
# (app/core/deletion.py); the public log and the statistics only count dossiers, so they are
# named only when nothing else blocks.
describe_references("dossiers", lambda n: ngettext(
    "%(num)d dossier filed under the procedure", "%(num)d dossiers filed under the procedure", n),
    target="procedures", first=True)
describe_references("dossiers", lambda n: ngettext(
    "%(num)d dossier of the unit", "%(num)d dossiers of the unit", n),
    target="administrative_units", first=True)
describe_references("dossiers", lambda n: ngettext(
    "%(num)d dossier filed by or assigned to the person",
    "%(num)d dossiers filed by or assigned to the person", n), target="ab_user", first=True)
describe_references("dossier_events", lambda n: ngettext(
    "%(num)d action in dossiers' history", "%(num)d actions in dossiers' history", n),
    target="ab_user")
describe_references("dossier_results", lambda n: ngettext(
    "%(num)d result document issued", "%(num)d result documents issued", n), target="ab_user")
describe_references("satisfaction_ratings", lambda n: ngettext(
    "%(num)d satisfaction rating", "%(num)d satisfaction ratings", n), derived=True)
describe_references("register_entries", lambda n: ngettext(
    "%(num)d line of the tracking register", "%(num)d lines of the tracking register", n),
    derived=True)
describe_references("register_counters", lambda n: ngettext(
    "the numbering of %(num)d year's tracking register",
    "the numbering of %(num)d years' tracking registers", n), derived=True)


def _dossiers_at_offering(offering: Any):
    """An offering is no key of a dossier, but its dossiers were filed through it."""
    n = db.session.scalar(select(func.count()).select_from(Dossier).where(
        Dossier.unit_id == offering.unit_id, Dossier.procedure_id == offering.procedure_id))
    if n:
        yield ngettext("%(num)d dossier filed under the procedure at this unit",
                       "%(num)d dossiers filed under the procedure at this unit", n)


register_references("unit_procedures", _dossiers_at_offering)
