"""Working days and due dates for Vietnamese public services (pure functions, no database).

A working day is Monday to Friday, minus the Vietnamese public holidays and days off
in lieu listed by the ``holidays`` package, plus the Saturdays worked in lieu that the
package lists (``HolidayBase.is_working_day`` handles both). A ``WorkingCalendar`` adds
per-province overrides on top of that national calendar. See ``docs/deadlines.md``.
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
import sys
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Literal

__all__ = [
    "DEFAULT_CUTOFF",
    "LOCAL_TZ",
    "NATIONAL_CALENDAR",
    "SUPPLEMENT_POLICIES",
    "SupplementPolicy",
    "WorkingCalendar",
    "add_working_days",
    "due_date",
    "due_date_after_supplement",
    "effective_receipt_day",
    "is_working_day",
    "next_working_day",
    "remaining_working_days",
    "working_days_between",
]

DEFAULT_CUTOFF = _dt.time(15, 0)

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        LOCAL_TZ: _dt.tzinfo = ZoneInfo("Asia/Ho_Chi_Minh")
    except ZoneInfoNotFoundError:  # no tz database (e.g. Windows without tzdata)
        LOCAL_TZ = _dt.timezone(_dt.timedelta(hours=7), "ICT")
except ImportError:  # pragma: no cover - zoneinfo exists on Python >= 3.9
    LOCAL_TZ = _dt.timezone(_dt.timedelta(hours=7), "ICT")

SupplementPolicy = Literal["restart", "resume"]
SUPPLEMENT_POLICIES: tuple[str, ...] = ("restart", "resume")

# Years outside this range cannot be handled by date arithmetic anyway.
_MIN_YEAR = _dt.MINYEAR
_MAX_YEAR = _dt.MAXYEAR


_VIETNAM_MODULE = "holidays.countries.vietnam"


def _vietnam_holidays(year: int) -> Any:
    """The holidays package's calendar of Vietnam for ``year``.

    ``holidays.country_holidays("VN")`` imports the package ``holidays.countries``, whose
    ``__init__`` imports each of its 250 countries: ≈ 8 MB in every process that computes a due
    date. The Vietnam module is loaded alone instead, from where the package keeps it and under
    its own name (so that the package, if something imports it later, uses that same module);
    through the package as usual when the file is not there or the package is already loaded.
    The package itself is imported by the first year asked for, not when the app starts."""
    import holidays

    module = sys.modules.get(_VIETNAM_MODULE)
    if module is None and "holidays.countries" not in sys.modules:
        path = Path(holidays.__file__).with_name("countries") / "vietnam.py"
        spec = importlib.util.spec_from_file_location(_VIETNAM_MODULE, path)
        if path.is_file() and spec is not None and spec.loader is not None:
            module = importlib.util.module_from_spec(spec)
            sys.modules[_VIETNAM_MODULE] = module
            try:
                spec.loader.exec_module(module)
            except Exception:  # noqa: BLE001 - another layout of the package: use it as it is
                del sys.modules[_VIETNAM_MODULE]
                module = None
    if module is None or not hasattr(module, "Vietnam"):
        return holidays.country_holidays("VN", years=year)
    return module.Vietnam(years=year)


@lru_cache(maxsize=256)
def _national_flags(year: int) -> bytes:
    """One byte per day of ``year`` (1 = working day) from the holidays package."""
    calendar = _vietnam_holidays(year)
    first = _dt.date(year, 1, 1).toordinal()
    last = _dt.date(year, 12, 31).toordinal()
    return bytes(
        calendar.is_working_day(_dt.date.fromordinal(o)) for o in range(first, last + 1)
    )


class _YearTable:
    """Precomputed working days of one year for one calendar."""

    __slots__ = ("first", "flags", "cum", "working")

    def __init__(self, year: int, flags: bytes) -> None:
        """Build the cumulative counts and the list of working-day ordinals."""
        self.first = _dt.date(year, 1, 1).toordinal()
        self.flags = flags
        cum: list[int] = []
        working: list[int] = []
        count = 0
        for i, flag in enumerate(flags):
            if flag:
                count += 1
                working.append(self.first + i)
            cum.append(count)
        self.cum = tuple(cum)  # cum[i] = working days on or before day index i
        self.working = tuple(working)  # ordinals of the working days, ascending


@lru_cache(maxsize=1024)
def _year_table(calendar: WorkingCalendar, year: int) -> _YearTable:
    """Year table of ``calendar`` for ``year`` (national flags plus overrides)."""
    flags = bytearray(_national_flags(year))
    first = _dt.date(year, 1, 1).toordinal()
    for d in calendar.extra_days_off:
        if d.year == year:
            flags[d.toordinal() - first] = 0
    for d in calendar.extra_working_days:
        if d.year == year:
            flags[d.toordinal() - first] = 1
    return _YearTable(year, bytes(flags))


def _as_date(value: _dt.date, name: str) -> _dt.date:
    """Return ``value`` as a plain date (a datetime is cut to its date)."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")


def _as_days(n: int, name: str) -> int:
    """Validate a non-negative whole number of working days."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{name} must be an int, not {type(n).__name__}")
    if n < 0:
        raise ValueError(f"{name} must not be negative (got {n})")
    return n


def _date_set(values: Iterable[_dt.date], name: str) -> frozenset[_dt.date]:
    """Normalise an iterable of dates into a frozenset of plain dates."""
    return frozenset(_as_date(v, name) for v in values)


@dataclass(frozen=True)
class WorkingCalendar:
    """National working-day calendar plus per-province days off and worked days."""

    extra_days_off: frozenset[_dt.date] = field(default_factory=frozenset)
    extra_working_days: frozenset[_dt.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        """Normalise the override sets and reject a date listed in both."""
        off = _date_set(self.extra_days_off, "extra_days_off")
        on = _date_set(self.extra_working_days, "extra_working_days")
        if both := off & on:
            listed = ", ".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"dates both off and working: {listed}")
        object.__setattr__(self, "extra_days_off", off)
        object.__setattr__(self, "extra_working_days", on)

    def is_working_day(self, d: _dt.date) -> bool:
        """True if ``d`` is a working day in this calendar."""
        d = _as_date(d, "d")
        table = _year_table(self, d.year)
        return bool(table.flags[d.toordinal() - table.first])

    def add_working_days(self, start: _dt.date, n: int) -> _dt.date:
        """The ``n``-th working day after ``start`` (n=0: start if working, else the next one)."""
        start = _as_date(start, "start")
        n = _as_days(n, "n")
        year = start.year
        table = _year_table(self, year)
        idx = start.toordinal() - table.first
        rank = table.cum[idx] + n  # 1-based rank of the target among the year's working days
        if n == 0 and not table.flags[idx]:
            rank += 1
        while rank > len(table.working):
            rank -= len(table.working)
            year += 1
            if year > _MAX_YEAR:
                raise OverflowError("date out of range")
            table = _year_table(self, year)
        return _dt.date.fromordinal(table.working[rank - 1])

    def next_working_day(self, d: _dt.date) -> _dt.date:
        """The first working day strictly after ``d``."""
        return self.add_working_days(d, 1)

    def previous_working_day(self, d: _dt.date) -> _dt.date:
        """The last working day strictly before ``d``."""
        d = _as_date(d, "d")
        year = d.year
        table = _year_table(self, year)
        pos = bisect_right(table.working, d.toordinal() - 1)
        while pos == 0:
            year -= 1
            if year < _MIN_YEAR:
                raise OverflowError("date out of range")
            table = _year_table(self, year)
            pos = len(table.working)
        return _dt.date.fromordinal(table.working[pos - 1])

    def working_days_between(self, a: _dt.date, b: _dt.date) -> int:
        """Working days in (a, b]; minus the working days in (b, a] when b < a."""
        a = _as_date(a, "a")
        b = _as_date(b, "b")
        if b < a:
            return -self.working_days_between(b, a)
        ta = _year_table(self, a.year)
        tb = _year_table(self, b.year)
        count = tb.cum[b.toordinal() - tb.first] - ta.cum[a.toordinal() - ta.first]
        for year in range(a.year, b.year):
            count += len(_year_table(self, year).working)
        return count

    def with_overrides(
        self,
        extra_days_off: Iterable[_dt.date] = (),
        extra_working_days: Iterable[_dt.date] = (),
    ) -> WorkingCalendar:
        """A new calendar with more days off / worked days (the new lists win over the old)."""
        off = _date_set(extra_days_off, "extra_days_off")
        on = _date_set(extra_working_days, "extra_working_days")
        return WorkingCalendar(
            extra_days_off=(self.extra_days_off - on) | off,
            extra_working_days=(self.extra_working_days - off) | on,
        )


NATIONAL_CALENDAR = WorkingCalendar()


def is_working_day(d: _dt.date) -> bool:
    """True if ``d`` is a working day in the national calendar."""
    return NATIONAL_CALENDAR.is_working_day(d)


def add_working_days(start: _dt.date, n: int) -> _dt.date:
    """The ``n``-th working day after ``start`` in the national calendar (start not counted)."""
    return NATIONAL_CALENDAR.add_working_days(start, n)


def next_working_day(d: _dt.date) -> _dt.date:
    """The first working day strictly after ``d`` in the national calendar."""
    return NATIONAL_CALENDAR.add_working_days(d, 1)


def working_days_between(a: _dt.date, b: _dt.date) -> int:
    """Working days in (a, b] in the national calendar (negative if b < a)."""
    return NATIONAL_CALENDAR.working_days_between(a, b)


def _to_local(received_at: _dt.datetime) -> _dt.datetime:
    """Naive datetimes are local (Asia/Ho_Chi_Minh); aware ones are converted to it."""
    if not isinstance(received_at, _dt.datetime):
        raise TypeError(f"received_at must be a datetime, not {type(received_at).__name__}")
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        return received_at
    return received_at.astimezone(LOCAL_TZ)


def effective_receipt_day(
    received_at: _dt.datetime,
    *,
    cutoff: _dt.time = DEFAULT_CUTOFF,
    calendar: WorkingCalendar | None = None,
) -> _dt.date:
    """The day a receipt counts from: next working day if after the cut-off or on a day off."""
    cal = calendar or NATIONAL_CALENDAR
    local = _to_local(received_at)
    day = local.date()
    late = local.time().replace(tzinfo=None) > cutoff.replace(tzinfo=None)
    if late or not cal.is_working_day(day):
        return cal.next_working_day(day)
    return day


def due_date(
    received_at: _dt.datetime,
    processing_days: int,
    *,
    cutoff: _dt.time = DEFAULT_CUTOFF,
    calendar: WorkingCalendar | None = None,
) -> _dt.date:
    """Appointment date: ``processing_days`` working days after the effective receipt day."""
    processing_days = _as_days(processing_days, "processing_days")
    cal = calendar or NATIONAL_CALENDAR
    start = effective_receipt_day(received_at, cutoff=cutoff, calendar=cal)
    return cal.add_working_days(start, processing_days)


def remaining_working_days(
    due: _dt.date, today: _dt.date, calendar: WorkingCalendar | None = None
) -> int:
    """Working days left until ``due`` (0 = due today, negative = overdue by that many)."""
    cal = calendar or NATIONAL_CALENDAR
    due = _as_date(due, "due")
    today = _as_date(today, "today")
    remaining = cal.working_days_between(today, due)
    if today > due and remaining == 0:
        # Past the due date on a day off: already overdue, so never report "due today".
        return -1
    return remaining


def due_date_after_supplement(
    resubmitted_at: _dt.datetime,
    processing_days: int,
    *,
    policy: SupplementPolicy = "restart",
    remaining_days: int | None = None,
    cutoff: _dt.time = DEFAULT_CUTOFF,
    calendar: WorkingCalendar | None = None,
) -> _dt.date:
    """Due date on resubmission: restart the full time, or resume with ``remaining_days``."""
    if policy == "restart":
        return due_date(resubmitted_at, processing_days, cutoff=cutoff, calendar=calendar)
    if policy == "resume":
        if remaining_days is None:
            raise ValueError(
                "policy 'resume' needs remaining_days (working days left when the clock stopped)"
            )
        left = max(0, min(remaining_days, _as_days(processing_days, "processing_days")))
        return due_date(resubmitted_at, left, cutoff=cutoff, calendar=calendar)
    raise ValueError(f"unknown supplement policy {policy!r}; expected one of {SUPPLEMENT_POLICIES}")
