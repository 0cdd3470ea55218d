"""`flask outbox run`: one delivery loop per channel, each surviving a lost database.

Channels run side by side, so a mail server that hangs never holds back the SMS. A database
error (a restart, a killed connection, a failover) costs a pause and a reconnection, never the
worker: it goes on until it is told to stop (SIGTERM/SIGINT, or `stop` in tests).
"""
from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from app.core.outage import reset_session
from app.notifications.delivery import DeliveryStats, deliver_pending
from app.notifications.models import CHANNELS

log = logging.getLogger(__name__)
MAX_PAUSE = 60.0


def channel_loop(app: Flask, channel: str, stop: threading.Event, *, once: bool = False,
                 interval: float = 5.0, report: Callable[[str, DeliveryStats], None] | None = None
                 ) -> DeliveryStats:
    """Deliver one channel's messages until `stop` (or, with `once`, until none is due)."""
    total = DeliveryStats()
    failures = 0
    with app.app_context():
        while not stop.is_set():
            try:
                stats = deliver_pending(channels=(channel,))
            except SQLAlchemyError as exc:
                failures += 1
                reset_session()
                pause = min(MAX_PAUSE, interval * 2 ** (failures - 1))
                log.warning("outbox %s: database unavailable (%s); reconnecting in %.1f s",
                            channel, str(exc).strip().splitlines()[0] if str(exc).strip() else exc, pause)
                if once and failures >= 3:
                    raise
                stop.wait(pause)
                continue
            except Exception:  # noqa: BLE001 - a bug in one message must not end the worker
                failures += 1
                reset_session()
                log.exception("outbox %s: delivery round failed", channel)
                if once and failures >= 3:
                    raise
                stop.wait(min(MAX_PAUSE, interval))
                continue
            failures = 0
            for name in ("sent", "retried", "failed"):
                setattr(total, name, getattr(total, name) + getattr(stats, name))
            total.unavailable += stats.unavailable
            if report is not None and (stats.total or stats.unavailable):
                report(channel, stats)
            reset_session()
            if once:
                break
            stop.wait(interval)
    return total


def run(app: Flask, channels: tuple[str, ...] = CHANNELS, *, once: bool = False,
        interval: float = 5.0, stop: threading.Event | None = None,
        report: Callable[[str, DeliveryStats], None] | None = None) -> dict[str, DeliveryStats]:
    """Run a loop per channel in its own thread and wait for all of them."""
    stop = stop or threading.Event()
    results: dict[str, DeliveryStats] = {}
    errors: list[BaseException] = []

    def target(channel: str) -> None:
        try:
            results[channel] = channel_loop(app, channel, stop, once=once, interval=interval,
                                            report=report)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller below
            errors.append(exc)

    threads = [threading.Thread(target=target, args=(c,), name=f"outbox-{c}", daemon=True)
               for c in channels]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        for thread in threads:
            thread.join(timeout=0.5)
    if errors:
        raise errors[0]
    return results


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT finish the message in hand, then stop (supervisors send SIGTERM)."""
    def handler(signum, _frame):
        log.info("outbox: signal %s, stopping after the current message", signum)
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)
