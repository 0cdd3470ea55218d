"""The public projections kept by the transitions, the published digests of the history."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from flask_appbuilder import Model
from flask_babel import ngettext
from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.deletion import describe_references
from app.core.types import JSONType, utcnow


class PublicDossier(Model):
    """A filed dossier as the public log shows it: nothing personal is ever stored here.

    Written by the transitions themselves (app/transparency/counts.py), in their transaction;
    `counted` is what the dossier last added to the statistics, so the next change applies
    only the difference."""

    __tablename__ = "public_dossiers"
    __table_args__ = (
        Index("ix_public_dossiers_unit_order", "unit_id", "dossier_id"),
        Index("ix_public_dossiers_province_order", "province_id", "dossier_id"),
        Index("ix_public_dossiers_procedure_order", "procedure_id", "dossier_id"),
        Index("ix_public_dossiers_status_order", "status", "dossier_id"),
        Index("ix_public_dossiers_month_order", "month", "dossier_id"),
    )

    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="NO ACTION"), primary_key=True,
                                            autoincrement=False)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id", ondelete="NO ACTION"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("administrative_units.id", ondelete="NO ACTION"))
    province_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="NO ACTION"))
    channel: Mapped[str] = mapped_column(String(10), default="online")
    # The month the dossier was filed (first of the month, Vietnam time).
    month: Mapped[dt.date] = mapped_column(Date)
    applicant: Mapped[str] = mapped_column(String(60), default="")  # masked: "Nguyễn V. A."
    status: Mapped[str] = mapped_column(String(20))
    submitted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    due_date: Mapped[Optional[dt.date]] = mapped_column(Date)
    completed_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    on_time: Mapped[Optional[bool]] = mapped_column()
    late: Mapped[bool] = mapped_column(default=False)
    counted: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


class DossierStat(Model):
    """Counts per unit, procedure and month, kept up to date by every transition."""

    __tablename__ = "dossier_stats"
    __table_args__ = (Index("ix_dossier_stats_province_month", "province_id", "month"),
                      Index("ix_dossier_stats_month", "month"),
                      # A province's rows in the order of their groups: the API's keyset pages
                      # read one page of (unit, procedure) groups, not the whole province.
                      Index("ix_dossier_stats_province_unit_procedure", "province_id", "unit_id",
                            "procedure_id", "month"),
                      Index("ix_dossier_stats_procedure_unit", "procedure_id", "unit_id", "month"))

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="NO ACTION"), primary_key=True)
    procedure_id: Mapped[int] = mapped_column(
        ForeignKey("procedures.id", ondelete="NO ACTION"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    province_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="NO ACTION"))
    submitted: Mapped[int] = mapped_column(Integer, default=0)  # filed this month
    received: Mapped[int] = mapped_column(Integer, default=0)  # received this month
    received_online: Mapped[int] = mapped_column(Integer, default=0)  # of those, filed online
    completed: Mapped[int] = mapped_column(Integer, default=0)  # returned this month
    on_time: Mapped[int] = mapped_column(Integer, default=0)
    late: Mapped[int] = mapped_column(Integer, default=0)
    processing_days: Mapped[int] = mapped_column(BigInteger, default=0)  # working days, summed
    digital_results: Mapped[int] = mapped_column(Integer, default=0)  # returned with an e-result
    ended_other: Mapped[int] = mapped_column(Integer, default=0)  # refused, stopped, rejected…
    paid: Mapped[int] = mapped_column(Integer, default=0)  # dossiers that paid a fee
    paid_online: Mapped[int] = mapped_column(Integer, default=0)  # of those, through a gateway
    rated: Mapped[int] = mapped_column(Integer, default=0)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)
    satisfied: Mapped[int] = mapped_column(Integer, default=0)  # rated 4 or 5


STAT_COLUMNS = ("submitted", "received", "received_online", "completed", "on_time", "late",
                "processing_days", "digital_results", "ended_other", "paid", "paid_online",
                "rated", "rating_sum", "satisfied")


class _Counts:
    """The counts of DossierStat, summed over a coarser group (the rollups below)."""

    submitted: Mapped[int] = mapped_column(Integer, default=0)
    received: Mapped[int] = mapped_column(Integer, default=0)
    received_online: Mapped[int] = mapped_column(Integer, default=0)
    completed: Mapped[int] = mapped_column(Integer, default=0)
    on_time: Mapped[int] = mapped_column(Integer, default=0)
    late: Mapped[int] = mapped_column(Integer, default=0)
    processing_days: Mapped[int] = mapped_column(BigInteger, default=0)
    digital_results: Mapped[int] = mapped_column(Integer, default=0)
    ended_other: Mapped[int] = mapped_column(Integer, default=0)
    paid: Mapped[int] = mapped_column(Integer, default=0)
    paid_online: Mapped[int] = mapped_column(Integer, default=0)
    rated: Mapped[int] = mapped_column(Integer, default=0)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)
    satisfied: Mapped[int] = mapped_column(Integer, default=0)


class UnitMonthStat(_Counts, Model):
    """DossierStat summed over the procedures: per unit and month. Kept by the database itself
    from every insert and update of dossier_stats (app/transparency/rollups.py), in the same
    statement: a province's page of units reads units × months rows, not × procedures."""

    __tablename__ = "unit_month_stats"
    __table_args__ = (Index("ix_unit_month_stats_province_unit", "province_id", "unit_id", "month"),)

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="NO ACTION"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    province_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="NO ACTION"))


class ProvinceMonthStat(_Counts, Model):
    """DossierStat summed per province and month (kept like UnitMonthStat): the national page
    reads provinces × months rows."""

    __tablename__ = "province_month_stats"

    province_id: Mapped[int] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="NO ACTION"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)


class OpenDossierCount(Model):
    """Dossiers whose clock runs, per unit, procedure, month filed and due date: "overdue now"
    is the sum of the rows due before today, whatever the number of dossiers."""

    __tablename__ = "open_dossier_counts"
    __table_args__ = (Index("ix_open_dossier_counts_due", "due_date"),
                      Index("ix_open_dossier_counts_province_month", "province_id", "month"),
                      Index("ix_open_dossier_counts_procedure_month", "procedure_id", "month"))

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="NO ACTION"), primary_key=True)
    procedure_id: Mapped[int] = mapped_column(
        ForeignKey("procedures.id", ondelete="NO ACTION"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    due_date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    province_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="NO ACTION"))
    count: Mapped[int] = mapped_column(Integer, default=0)


class ProvinceOpenCount(Model):
    """OpenDossierCount summed per province, month filed and due date (kept by the database
    like UnitMonthStat)."""

    __tablename__ = "province_open_counts"
    __table_args__ = (Index("ix_province_open_counts_month", "month", "due_date"),)

    province_id: Mapped[int] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="NO ACTION"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    due_date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class HistoryDigest(Model):
    """The published digest of one day's history events, chained to the previous day's."""

    __tablename__ = "history_digests"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    events: Mapped[int] = mapped_column(Integer, default=0)
    first_event_id: Mapped[Optional[int]] = mapped_column(Integer)
    last_event_id: Mapped[Optional[int]] = mapped_column(Integer)
    merkle_root: Mapped[str] = mapped_column(String(64))
    previous: Mapped[str] = mapped_column(String(64), default="")
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# They only count dossiers (which block too): named only when nothing else blocks.
describe_references("public_dossiers", lambda n: ngettext(
    "%(num)d line of the public dossier log", "%(num)d lines of the public dossier log", n),
    derived=True)
for _table in ("dossier_stats", "open_dossier_counts", "unit_month_stats", "province_month_stats",
               "province_open_counts"):
    describe_references(_table, lambda n: ngettext(
        "%(num)d line of the statistics", "%(num)d lines of the statistics", n), derived=True)
