"""Moments and dates as Vietnamese administrative texts write them (Decree 30/2020/NĐ-CP)."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(moment: dt.datetime) -> dt.datetime:
    """An aware or naive-UTC moment in Vietnam's time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(LOCAL_TZ)


def day_text(day: dt.date) -> str:
    """"ngày 05 tháng 02 năm 2026", "ngày 13 tháng 3 năm 2025": days under 10 and the months
    1 and 2 with a leading zero, other months not (Decree 30/2020, appendix I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def clock_text(moment: dt.datetime | None) -> str:
    """"14 giờ 30 phút, ngày 13 tháng 3 năm 2025" (local time), or "" without a moment."""
    if moment is None:
        return ""
    when = local(moment)
    return f"{when.hour:02d} giờ {when.minute:02d} phút, {day_text(when.date())}"
