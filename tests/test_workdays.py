"""Tests for app.workdays: working days, due dates and remaining days (concrete dates)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import holidays
import pytest

from app.workdays import (
    NATIONAL_CALENDAR,
    WorkingCalendar,
    add_working_days,
    due_date,
    due_date_after_supplement,
    is_working_day,
    next_working_day,
    remaining_working_days,
    working_days_between,
)

D = date


# --- The national calendar as the holidays package lists it -----------------------------


def test_tet_2026_days_off() -> None:
    """Tết Bính Ngọ 2026: Mon 16 Feb (eve) to Fri 20 Feb, i.e. off Sat 14 to Sun 22 Feb."""
    # The package lists Giao thừa (16/2) and mùng 1-4 Tết (17-20/2); with the weekends this is
    # the 9-day break announced by the government (14/2-22/2/2026).
    for day in range(14, 23):
        assert not is_working_day(D(2026, 2, day)), day
    assert is_working_day(D(2026, 2, 13))  # Friday before Tết
    assert is_working_day(D(2026, 2, 23))  # first working day after Tết


def test_add_across_tet_2026() -> None:
    """Friday 13 Feb 2026 + 1 working day jumps the whole Tết break to Monday 23 Feb."""
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    # Thu 12 Feb + 3: Fri 13 (1), Mon 23 (2), Tue 24 (3).
    assert add_working_days(D(2026, 2, 12), 3) == D(2026, 2, 24)


def test_tet_2025_with_compensatory_monday() -> None:
    """Tết Ất Tỵ 2025: mùng 4 fell on Sat 1 Feb, so Mon 27 Jan (29 Tết) was given off instead."""
    # Official break: Sat 25 Jan - Sun 2 Feb 2025 (9 days).
    assert not is_working_day(D(2025, 1, 27))  # compensatory day for Saturday 1 Feb
    for day in (27, 28, 29, 30, 31):
        assert not is_working_day(D(2025, 1, day)), day
    assert is_working_day(D(2025, 1, 24))
    assert is_working_day(D(2025, 2, 3))
    # Fri 24 Jan + 1 -> Mon 3 Feb.
    assert add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)
    # Wed 22 Jan + 5: Thu 23, Fri 24, Mon 3 Feb, Tue 4, Wed 5.
    assert add_working_days(D(2025, 1, 22), 5) == D(2025, 2, 5)


def test_tet_2024() -> None:
    """Tết 2024: Thu 8 Feb (compensatory for Sat 10 Feb) to Wed 14 Feb off."""
    assert add_working_days(D(2024, 2, 7), 1) == D(2024, 2, 15)


def test_hung_kings_day_2025() -> None:
    """Hùng Kings' day 2025 (10/3 lunar) was Monday 7 April."""
    assert not is_working_day(D(2025, 4, 7))
    assert add_working_days(D(2025, 4, 4), 1) == D(2025, 4, 8)  # Fri -> Tue


def test_hung_kings_day_2026_moved_from_sunday() -> None:
    """Hùng Kings' day 2026 falls on Sunday 26 April, so Monday 27 April is off instead."""
    assert not is_working_day(D(2026, 4, 27))
    assert add_working_days(D(2026, 4, 24), 1) == D(2026, 4, 28)  # Fri -> Tue


def test_new_year_2023_moved_from_sunday() -> None:
    """1 Jan 2023 was a Sunday: Monday 2 Jan 2023 was the day off in lieu."""
    assert add_working_days(D(2022, 12, 30), 1) == D(2023, 1, 3)


def test_reunification_and_labour_day_2025_with_bridge_and_worked_saturday() -> None:
    """2025: 30/4 Wed, 1/5 Thu, bridge Fri 2 May off in exchange for working Sat 26 April."""
    assert not is_working_day(D(2025, 4, 30))
    assert not is_working_day(D(2025, 5, 1))
    assert not is_working_day(D(2025, 5, 2))  # bridge day (substituted)
    assert is_working_day(D(2025, 4, 26))  # Saturday worked in lieu
    assert not is_working_day(D(2025, 4, 19))  # an ordinary Saturday
    # Tue 29 April + 1 -> Mon 5 May (30/4, 1/5, 2/5 and the weekend skipped).
    assert add_working_days(D(2025, 4, 29), 1) == D(2025, 5, 5)
    # Fri 25 April + 1 -> the worked Saturday 26 April counts.
    assert add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 26)
    assert add_working_days(D(2025, 4, 25), 2) == D(2025, 4, 28)


def test_reunification_day_2024_with_worked_saturday() -> None:
    """2024: Mon 29 April off in exchange for working Sat 4 May; 30/4 Tue, 1/5 Wed."""
    assert add_working_days(D(2024, 4, 26), 1) == D(2024, 5, 2)  # Fri -> Thu
    assert add_working_days(D(2024, 5, 3), 1) == D(2024, 5, 4)  # Fri -> worked Saturday
    assert add_working_days(D(2024, 5, 3), 2) == D(2024, 5, 6)


def test_cross_year_swap_2018_2019() -> None:
    """Mon 31 Dec 2018 was off in exchange for working Sat 5 Jan 2019 (swap across years)."""
    assert not is_working_day(D(2018, 12, 31))
    assert is_working_day(D(2019, 1, 5))
    # Fri 28 Dec 2018 + 1: Mon 31/12 (swap) and Tue 1/1 (New Year) skipped -> Wed 2 Jan 2019.
    assert add_working_days(D(2018, 12, 28), 1) == D(2019, 1, 2)
    assert add_working_days(D(2019, 1, 4), 1) == D(2019, 1, 5)  # Fri -> worked Saturday


def test_national_day_2025() -> None:
    """National Day 2025: Mon 1 and Tue 2 September off."""
    assert not is_working_day(D(2025, 9, 1))
    assert not is_working_day(D(2025, 9, 2))
    assert add_working_days(D(2025, 8, 29), 1) == D(2025, 9, 3)  # Fri -> Wed


def test_national_day_2026_with_worked_saturday() -> None:
    """2026: 2/9 Wed, 1/9 Tue, bridge Mon 31 Aug off in exchange for working Sat 22 Aug."""
    assert not is_working_day(D(2026, 8, 31))
    assert is_working_day(D(2026, 8, 22))
    assert add_working_days(D(2026, 8, 28), 1) == D(2026, 9, 3)  # Fri -> Thu
    assert add_working_days(D(2026, 8, 21), 1) == D(2026, 8, 22)  # Fri -> worked Saturday


def test_year_boundary() -> None:
    """Wed 31 Dec 2025 + 1 skips New Year's Day (Thu) to Fri 2 Jan 2026."""
    assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 2)
    assert next_working_day(D(2025, 12, 31)) == D(2026, 1, 2)


def test_zero_days() -> None:
    """n=0 keeps a working day and moves a day off to the next working day."""
    assert add_working_days(D(2025, 3, 10), 0) == D(2025, 3, 10)  # Monday
    assert add_working_days(D(2025, 3, 8), 0) == D(2025, 3, 10)  # Saturday -> Monday
    assert add_working_days(D(2026, 2, 16), 0) == D(2026, 2, 23)  # inside Tết
    assert add_working_days(D(2025, 4, 26), 0) == D(2025, 4, 26)  # worked Saturday


def test_start_on_weekend_not_counted() -> None:
    """From Saturday 8 March 2025, the first working day is Monday 10 March."""
    assert add_working_days(D(2025, 3, 8), 1) == D(2025, 3, 10)
    assert add_working_days(D(2025, 3, 9), 3) == D(2025, 3, 12)


def test_negative_n_raises() -> None:
    """Negative working-day counts are rejected."""
    with pytest.raises(ValueError):
        add_working_days(D(2025, 3, 10), -1)
    with pytest.raises(ValueError):
        due_date(datetime(2025, 3, 10, 9), -2)
    with pytest.raises(TypeError):
        add_working_days(D(2025, 3, 10), 1.5)  # type: ignore[arg-type]


def test_working_days_in_2025() -> None:
    """2025: 261 weekdays - 12 weekday holidays + 1 worked Saturday = 250 working days."""
    assert working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 250


# --- due_date ---------------------------------------------------------------------------


def test_due_date_monday_morning() -> None:
    """Received Monday 10 March 2025 10:00 with 3 days -> Thursday 13 March."""
    assert due_date(datetime(2025, 3, 10, 10, 0), 3) == D(2025, 3, 13)


def test_due_date_cutoff() -> None:
    """15:00 is the last on-time minute; 15:01 counts from Tuesday."""
    assert due_date(datetime(2025, 3, 10, 14, 59), 3) == D(2025, 3, 13)
    assert due_date(datetime(2025, 3, 10, 15, 0), 3) == D(2025, 3, 13)  # exactly 15:00: on time
    assert due_date(datetime(2025, 3, 10, 15, 1), 3) == D(2025, 3, 14)
    assert due_date(datetime(2025, 3, 10, 15, 0, 1), 3) == D(2025, 3, 14)  # strictly after
    # A custom cut-off (e.g. a province using 16:30).
    assert due_date(datetime(2025, 3, 10, 16, 0), 3, cutoff=time(16, 30)) == D(2025, 3, 13)


def test_due_date_weekend_receipt() -> None:
    """Received at the weekend -> counts from Monday (Monday itself not counted)."""
    assert due_date(datetime(2025, 3, 8, 10, 0), 3) == D(2025, 3, 13)  # Saturday
    assert due_date(datetime(2025, 3, 9, 22, 0), 3) == D(2025, 3, 13)  # Sunday evening


def test_due_date_zero_days() -> None:
    """0 processing days: same working day, else the next working day."""
    assert due_date(datetime(2025, 3, 10, 9, 0), 0) == D(2025, 3, 10)  # Monday morning
    assert due_date(datetime(2025, 3, 10, 16, 0), 0) == D(2025, 3, 11)  # Monday after 15:00
    assert due_date(datetime(2025, 3, 8, 9, 0), 0) == D(2025, 3, 10)  # Saturday
    assert due_date(datetime(2025, 3, 7, 16, 0), 0) == D(2025, 3, 10)  # Friday after 15:00
    assert due_date(datetime(2025, 4, 26, 9, 0), 0) == D(2025, 4, 26)  # worked Saturday


def test_due_date_across_tet_2026_after_cutoff() -> None:
    """Received Fri 13 Feb 2026 at 16:00 with 1 day: counts from Mon 23 Feb -> Tue 24 Feb."""
    assert due_date(datetime(2026, 2, 13, 16, 0), 1) == D(2026, 2, 24)
    assert due_date(datetime(2026, 2, 13, 9, 0), 1) == D(2026, 2, 23)


def test_due_date_aware_datetimes() -> None:
    """Aware datetimes are converted to Asia/Ho_Chi_Minh (UTC+7) first."""
    utc = timezone.utc
    assert due_date(datetime(2025, 3, 10, 3, 30, tzinfo=utc), 3) == D(2025, 3, 13)  # 10:30 local
    assert due_date(datetime(2025, 3, 10, 8, 30, tzinfo=utc), 3) == D(2025, 3, 14)  # 15:30 local
    # Sunday 20:00 UTC is Monday 03:00 in Vietnam: a Monday receipt.
    assert due_date(datetime(2025, 3, 9, 20, 0, tzinfo=utc), 3) == D(2025, 3, 13)
    plus7 = timezone(timedelta(hours=7))
    assert due_date(datetime(2025, 3, 10, 15, 0, tzinfo=plus7), 3) == D(2025, 3, 13)


def test_due_date_rejects_plain_date() -> None:
    """received_at must carry a time."""
    with pytest.raises(TypeError):
        due_date(D(2025, 3, 10), 3)  # type: ignore[arg-type]


# --- Province overrides -----------------------------------------------------------------


def test_extra_day_off() -> None:
    """A province gives Tue 11 March 2025 off: Monday + 1 -> Wednesday."""
    cal = WorkingCalendar(extra_days_off=frozenset({D(2025, 3, 11)}))
    assert not cal.is_working_day(D(2025, 3, 11))
    assert cal.add_working_days(D(2025, 3, 10), 1) == D(2025, 3, 12)
    assert add_working_days(D(2025, 3, 10), 1) == D(2025, 3, 11)  # national calendar unchanged
    assert due_date(datetime(2025, 3, 10, 10), 3, calendar=cal) == D(2025, 3, 14)


def test_extra_working_day() -> None:
    """A province works Sat 15 March 2025: Friday + 1 -> that Saturday."""
    cal = WorkingCalendar(extra_working_days=frozenset({D(2025, 3, 15)}))
    assert cal.is_working_day(D(2025, 3, 15))
    assert cal.add_working_days(D(2025, 3, 14), 1) == D(2025, 3, 15)
    assert cal.add_working_days(D(2025, 3, 14), 2) == D(2025, 3, 17)
    assert cal.working_days_between(D(2025, 3, 14), D(2025, 3, 17)) == 2


def test_overrides_accept_any_iterable_and_are_hashable() -> None:
    """Overrides are normalised to frozensets; equal configs are equal and hash alike."""
    a = WorkingCalendar(extra_days_off=[D(2025, 3, 11)])  # type: ignore[arg-type]
    b = WorkingCalendar(extra_days_off=frozenset({D(2025, 3, 11)}))
    assert a == b and hash(a) == hash(b)
    assert isinstance(a.extra_days_off, frozenset)
    assert WorkingCalendar() == NATIONAL_CALENDAR
    with pytest.raises(ValueError):
        WorkingCalendar(
            extra_days_off=frozenset({D(2025, 3, 11)}),
            extra_working_days=frozenset({D(2025, 3, 11)}),
        )
    with pytest.raises(AttributeError):
        a.extra_days_off = frozenset()  # type: ignore[misc]


def test_with_overrides() -> None:
    """with_overrides returns a new calendar; the later list wins."""
    base = WorkingCalendar(extra_days_off=frozenset({D(2025, 3, 11)}))
    cal = base.with_overrides(extra_working_days=[D(2025, 3, 11), D(2025, 3, 15)])
    assert cal.is_working_day(D(2025, 3, 11)) and cal.is_working_day(D(2025, 3, 15))
    assert not base.is_working_day(D(2025, 3, 11))


# --- working_days_between / remaining_working_days -------------------------------------


def test_working_days_between_both_directions() -> None:
    """Counts working days after a up to and including b; negative when b < a."""
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2  # Mon 23, Tue 24
    assert working_days_between(D(2026, 2, 24), D(2026, 2, 13)) == -2
    assert working_days_between(D(2025, 3, 10), D(2025, 3, 10)) == 0
    assert working_days_between(D(2025, 3, 7), D(2025, 3, 8)) == 0  # Fri -> Sat
    assert working_days_between(D(2025, 3, 7), D(2025, 3, 10)) == 1  # Fri -> Mon
    assert working_days_between(D(2025, 12, 31), D(2026, 1, 5)) == 2  # Fri 2 Jan, Mon 5 Jan


def test_remaining_working_days() -> None:
    """Due Thu 13 March 2025: 3 left on Monday, 0 on the day, negative afterwards."""
    due = D(2025, 3, 13)
    assert remaining_working_days(due, D(2025, 3, 10)) == 3
    assert remaining_working_days(due, D(2025, 3, 13)) == 0
    assert remaining_working_days(due, D(2025, 3, 14)) == -1  # Friday: one working day late
    assert remaining_working_days(D(2025, 3, 14), D(2025, 3, 15)) == -1  # Saturday after due Friday
    assert remaining_working_days(due, D(2025, 3, 17)) == -2  # Monday
    cal = WorkingCalendar(extra_days_off=frozenset({D(2025, 3, 11)}))
    assert remaining_working_days(due, D(2025, 3, 10), calendar=cal) == 2


# --- Supplement clock -------------------------------------------------------------------


def test_supplement_restart_and_resume() -> None:
    """Received Mon 10 Mar (5 days, due Mon 17); stopped Wed 12 with 3 left; back Tue 18."""
    assert due_date(datetime(2025, 3, 10, 9), 5) == D(2025, 3, 17)
    left = remaining_working_days(D(2025, 3, 17), D(2025, 3, 12))
    assert left == 3  # Thu 13, Fri 14, Mon 17
    back = datetime(2025, 3, 18, 9)
    assert due_date_after_supplement(back, 5) == D(2025, 3, 25)  # restart: 5 full days
    resumed = due_date_after_supplement(back, 5, policy="resume", remaining_days=left)
    assert resumed == D(2025, 3, 21)  # resume: the 3 days left (Wed 19, Thu 20, Fri 21)
    with pytest.raises(ValueError):
        due_date_after_supplement(back, 5, policy="resume")
    with pytest.raises(ValueError):
        due_date_after_supplement(back, 5, policy="pause")  # type: ignore[arg-type]


# --- Cross-check against the holidays package's own (slow) working-day arithmetic -------


def test_matches_holidays_package_nth_working_day() -> None:
    """The cached tables agree with HolidayBase.get_nth_working_day for 2024-2026."""
    vn = holidays.country_holidays("VN", years=range(2023, 2028))
    start = D(2024, 1, 1)
    for offset in range(0, 3 * 366, 3):
        d = start + timedelta(days=offset)
        for n in (0, 1, 2, 5, 15, 30):
            assert add_working_days(d, n) == vn.get_nth_working_day(d, n), (d, n)
        assert is_working_day(d) == vn.is_working_day(d), d
