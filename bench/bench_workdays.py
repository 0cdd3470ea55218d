"""Time app.workdays (warm caches, median of many runs): python bench/bench_workdays.py."""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.workdays import (  # noqa: E402
    WorkingCalendar,
    add_working_days,
    due_date,
    remaining_working_days,
)

RUNS = 2001  # timed batches; the median is reported
BATCH = 100  # calls per batch


def bench(label: str, fn: Callable[[int], object], inputs: int) -> float:
    """Print and return the median µs per call of fn(i) over RUNS batches of BATCH calls."""
    for i in range(inputs):  # warm every input's year cache
        fn(i)
    samples = []
    for run in range(RUNS):
        base = (run * BATCH) % inputs
        t0 = time.perf_counter_ns()
        for i in range(base, base + BATCH):
            fn(i % inputs)
        samples.append((time.perf_counter_ns() - t0) / BATCH / 1000)
    median = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=20)[-1]
    print(f"{label:<48} median {median:6.2f} µs   p95 {p95:6.2f} µs")
    return median


def main() -> None:
    """Run the benchmarks and print the figures."""
    days = [date(2024, 1, 1) + timedelta(days=i) for i in range(3 * 365)]
    stamps = [datetime(2024, 1, 1, 8) + timedelta(hours=7 * i) for i in range(3 * 365)]
    aware = [s.replace(tzinfo=timezone.utc) for s in stamps]
    province = WorkingCalendar(
        extra_days_off=frozenset({date(2025, 3, 11)}),
        extra_working_days=frozenset({date(2025, 3, 15)}),
    )
    print(f"Python {sys.version.split()[0]}; {RUNS} batches x {BATCH} calls, warm caches")
    bench("add_working_days(d, 30)", lambda i: add_working_days(days[i], 30), len(days))
    bench("add_working_days(d, 1)", lambda i: add_working_days(days[i], 1), len(days))
    bench("add_working_days(d, 250)", lambda i: add_working_days(days[i], 250), len(days))
    bench("due_date(naive dt, 5)", lambda i: due_date(stamps[i], 5), len(stamps))
    bench("due_date(aware UTC dt, 5)", lambda i: due_date(aware[i], 5), len(aware))
    bench(
        "due_date(naive dt, 5, calendar=province)",
        lambda i: due_date(stamps[i], 5, calendar=province),
        len(stamps),
    )
    due = date(2025, 6, 30)
    bench(
        "remaining_working_days(due, d)",
        lambda i: remaining_working_days(due, days[i]),
        len(days),
    )


if __name__ == "__main__":
    main()
