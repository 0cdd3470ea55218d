"""`flask outbox run [--once]` and `flask outbox retry [--failed] [--id N]…`."""
from __future__ import annotations

import sys
import threading

import click
from flask import current_app
from flask.cli import AppGroup

from app.notifications.models import CHANNELS

outbox_cli = AppGroup("outbox", help="Email and SMS notification outbox.")


@outbox_cli.command("run")
@click.option("--once", is_flag=True, help="Deliver what is due, then exit.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
@click.option("--channel", "channels", multiple=True, type=click.Choice(CHANNELS),
              help="Only this channel (repeatable); default: all, side by side.")
def outbox_run(once: bool, interval: float, channels: tuple[str, ...]) -> None:
    """Deliver pending notifications; retries failures with exponential back-off."""
    from app.notifications.worker import run, stop_on_signals

    stop = threading.Event()
    stop_on_signals(stop)

    def report(channel, stats):
        click.echo(f"outbox {channel}: {stats}")

    results = run(current_app._get_current_object(), channels or CHANNELS, once=once,
                  interval=interval, stop=stop, report=None if once else report)
    if once:
        sent = sum(s.sent for s in results.values())
        retried = sum(s.retried for s in results.values())
        failed = sum(s.failed for s in results.values())
        down = [c for c, s in results.items() if s.unavailable]
        click.echo(f"outbox: sent {sent}, to retry {retried}, given up {failed}"
                   + "".join(f"; {c} unavailable" for c in down))


@outbox_cli.command("retry")
@click.option("--failed", "all_failed", is_flag=True,
              help="Every message given up (the default when no --id is given).")
@click.option("--id", "ids", multiple=True, type=int, help="This message (repeatable).")
def outbox_retry(all_failed: bool, ids: tuple[int, ...]) -> None:
    """Put given-up messages back in the queue, due now, with a fresh count of attempts."""
    from app.core.uow import transaction
    from app.notifications.operations import requeue

    with transaction():
        result = requeue(list(ids), all_failed=all_failed or not ids)
    for message_id, reason in result.refused:
        click.echo(f"message {message_id}: {reason}", err=True)
    click.echo(f"outbox: {len(result.requeued)} message(s) back in the queue")
    if result.refused:
        sys.exit(1)
