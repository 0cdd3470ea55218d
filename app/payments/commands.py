"""`flask payments …`: reconcile attempts with dossiers; record refunds of unneeded payments."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from app.core.uow import transaction

payments_cli = AppGroup("payments", help="Online payments of dossier fees.")


@payments_cli.command("reconcile")
def reconcile() -> None:
    """List payment attempts and dossiers that disagree; exit 1 when any do."""
    from app.payments.operations import expire_stale
    from app.payments.reconcile import disagreements

    with transaction():
        expired = expire_stale()
    found = disagreements()
    if expired:
        click.echo(f"{expired} pending attempt(s) past their expiry marked expired")
    for item in found:
        click.echo(str(item))
    if found:
        click.echo(f"{len(found)} disagreement(s)", err=True)
        sys.exit(1)
    click.echo("payments and dossiers agree")


@payments_cli.command("refund")
@click.argument("payment_id")
@click.option("--reference", default="", help="The gateway's refund reference.")
def refund(payment_id: str, reference: str) -> None:
    """Record that a paid attempt the dossier did not need was refunded through the gateway."""
    from app.payments.operations import PaymentError, refund_uncredited

    try:
        with transaction():
            payment = refund_uncredited(payment_id, reference)
    except PaymentError as exc:
        click.echo(exc.message, err=True)
        sys.exit(1)
    click.echo(f"{payment.txn_ref} refunded")
