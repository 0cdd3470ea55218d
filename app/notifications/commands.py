"""`flask outbox run [--once]`: the notification delivery worker."""
from __future__ import annotations

import time

import click
from flask.cli import AppGroup

outbox_cli = AppGroup("outbox", help="Email and SMS notification outbox.")


@outbox_cli.command("run")
@click.option("--once", is_flag=True, help="Deliver what is due, then exit.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
def outbox_run(once: bool, interval: float) -> None:
    """Deliver pending notifications; retries failures with exponential back-off."""
    from app.extensions import db
    from app.notifications.delivery import deliver_pending

    while True:
        stats = deliver_pending()
        if once or stats.sent or stats.retried or stats.failed:
            click.echo(f"outbox: {stats}")
        if once:
            return
        db.session.remove()
        time.sleep(interval)
