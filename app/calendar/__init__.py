"""Per-province working calendars: extra days off, worked days, cut-off, supplement policy."""
from app.calendar.operations import calendar_for, cutoff_for, supplement_policy  # noqa: F401
