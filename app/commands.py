"""Flask CLI commands (CONTRACT.md): units, procedures, roles, demo data, audit, doctor."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, ScriptInfo, with_appcontext
from flask_babel import gettext as _

from app.core.uow import transaction
from app.extensions import db, init_migrate

units_cli = AppGroup("units", help="Administrative units.")
procedures_cli = AppGroup("procedures", help="Procedure definitions.")
roles_cli = AppGroup("roles", help="Roles and permissions.")
audit_cli = AppGroup("audit", help="Audit of the dossier history.")
stats_cli = AppGroup("stats", help="The public log and statistics.")
retention_cli = AppGroup("retention", help="Retention of personal data.")
bench_cli = AppGroup("bench", help="Benchmark data (docs/performance.md).")


@units_cli.command("import")
@click.option("--province", "provinces", multiple=True, help="Province code, e.g. 75 (repeatable).")
def units_import(provinces: tuple[str, ...]) -> None:
    """Load or update units from the vietnam-provinces package."""
    from app.units.operations import import_units

    with transaction():
        result = import_units(list(provinces) or None)
    click.echo(f"units: {result.created} created, {result.updated} updated, "
               f"{result.deactivated} deactivated")


@procedures_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--unit", "units", multiple=True, help="Offer at this unit code (repeatable).")
def procedures_import(paths: tuple[Path, ...], units: tuple[str, ...]) -> None:
    """Create procedures or publish new versions from definition files (all or nothing)."""
    from app.procedures.imports import (
        ImportRefused,
        import_definitions,
        outcome_details,
        outcome_summary,
    )

    try:
        outcomes = import_definitions([(str(p), p) for p in paths], units, via="cli")
    except ImportRefused as exc:
        db.session.rollback()
        for problem in exc.problems:
            click.echo(problem, err=True)
        click.echo(_("Nothing was imported."), err=True)
        sys.exit(1)
    db.session.commit()
    for outcome in outcomes:
        click.echo(outcome_summary(outcome))
        for line in outcome_details(outcome):
            click.echo(f"  - {line}")


@procedures_cli.command("export")
@click.argument("code")
def procedures_export(code: str) -> None:
    """Print a procedure's current definition as JSON."""
    from app.procedures.operations import export_definition, get_procedure

    procedure = get_procedure(code)
    if procedure is None:
        click.echo(f"no procedure with code {code}", err=True)
        sys.exit(1)
    click.echo(json.dumps(export_definition(procedure), ensure_ascii=False, indent=2))


@procedures_cli.command("schema")
def procedures_schema() -> None:
    """Print the JSON Schema of definition files (for editors that check JSON as you type)."""
    from app.procedures.definition_schema import DEFINITION_SCHEMA

    click.echo(json.dumps(DEFINITION_SCHEMA, ensure_ascii=False, indent=2))


@roles_cli.command("sync")
def roles_sync() -> None:
    """Create all permissions and give each role its set."""
    from app.security.roles import sync_roles

    with transaction():
        counts = sync_roles()
    for role, count in counts.items():
        click.echo(f"{role}: {count} permissions")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Exit 0 if the event hash chains, their heads and the published digests are intact, else
    1 naming the first broken event (altered, inserted or deleted, the last one included)."""
    from app.dossiers.history import verify_chain
    from app.transparency.digests import verify_digests

    checked, broken = verify_chain()
    if broken is not None:
        click.echo(f"broken at {broken.describe()} ({checked} events verified before it)", err=True)
        sys.exit(1)
    days, problem = verify_digests()
    if problem is not None:
        click.echo(f"broken: {problem} ({checked} events and {days} digests verified)", err=True)
        sys.exit(1)
    click.echo(f"audit chain intact: {checked} events, {days} published digests")


@audit_cli.command("digest")
@click.option("--date", "day", default=None, metavar="YYYY-MM-DD",
              help="The day to publish (default: yesterday, and any day missed since the last).")
def audit_digest(day: str | None) -> None:
    """Compute and publish the daily digest of the history (idempotent)."""
    import datetime as dt

    from app.transparency.digests import DigestError, publish

    try:
        when = dt.date.fromisoformat(day) if day else None
    except ValueError:
        click.echo(f"not a date: {day} (YYYY-MM-DD)", err=True)
        sys.exit(2)
    try:
        with transaction():
            published = publish(when)
    except DigestError as exc:
        click.echo(f"digest refused: {exc}", err=True)
        sys.exit(1)
    for item in published:
        d = item.digest
        state = "published" if item.created else "already published, unchanged"
        click.echo(f"{d.day.isoformat()} {d.digest} ({d.events} events) {state}")


@stats_cli.command("rebuild")
def stats_rebuild() -> None:
    """Recount the public log and the statistics from the dossiers."""
    from app.transparency.counts import analyze, rebuild

    with transaction():
        count = rebuild(progress=lambda n: click.echo(f"  {n} dossiers", err=True))
    analyze()
    click.echo(f"public log and statistics rebuilt from {count} dossiers")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="List what would be anonymised; change nothing.")
def retention_run(dry_run: bool) -> None:
    """Anonymise what each procedure's retention period says is due."""
    from app.transparency.retention import run

    with transaction():
        due = run(dry_run=dry_run)
    verb = "would anonymise" if dry_run else "anonymised"
    for item in due:
        click.echo(f"{verb} {item.code} ({item.procedure}, ended {item.ended_at:%Y-%m-%d}, kept "
                   f"{item.months} months, {item.attachments} attachment(s))")
    click.echo(f"retention: {len(due)} dossier(s) {verb}")


@click.command("doctor")
@with_appcontext
@click.option("--fix", is_flag=True, help="Remove orphaned and temporary files older than --older-than.")
@click.option("--older-than", type=float, default=None, metavar="SECONDS",
              help="Age after which --fix removes an orphan (default DOCTOR_ORPHAN_AGE_SECONDS, 3600).")
@click.option("--no-hash", is_flag=True, help="Skip reading every file to compare its SHA-256.")
def doctor(fix: bool, older_than: float | None, no_hash: bool) -> None:
    """Files and rows agree: exit 1 listing orphans, leftovers, missing files, mismatches, broken references."""
    from app.storage.doctor import check

    findings = check(fix=fix, older_than=older_than, hashes=not no_hash)
    for finding in findings:
        click.echo(str(finding))
    left = [f for f in findings if not f.fixed]
    fixed = len(findings) - len(left)
    click.echo(f"doctor: {len(findings)} problem(s) found" + (f", {fixed} fixed" if fix else "")
               + ("" if left else "; all consistent" if not findings else "; nothing left"))
    if left:
        sys.exit(1)


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has units.")
def seed_demo(if_empty: bool) -> None:
    """Idempotent demo data: units, procedures of forms_schema/, demo users."""
    from sqlalchemy import select

    from app.demo import seed
    from app.units.models import AdministrativeUnit

    if current_app.config.get("ENV_NAME") == "production":
        # Demo users share one known password: never in production.
        raise click.ClickException("seed-demo refuses to run in production (MOTCUA_ENV=production)")
    if if_empty and db.session.scalar(select(AdministrativeUnit.id).limit(1)) is not None:
        click.echo("database already has data; demo seeding skipped")
        return
    with transaction():
        summary = seed()
    click.echo(", ".join(f"{k}: {v}" for k, v in summary.items()))


@bench_cli.command("seed")
@click.option("--dossiers", "count", type=click.IntRange(min=1), required=True,
              help="How many synthetic dossiers to add.")
@click.option("--batch", type=click.IntRange(min=100), default=10_000, show_default=True,
              help="Dossiers written and committed at a time.")
@click.option("--seed", "random_seed", type=int, default=15, show_default=True,
              help="Random seed (the same seed gives the same data).")
def bench_seed(count: int, batch: int, random_seed: int) -> None:
    """Add N realistic synthetic dossiers with their events and outbox rows, in bulk."""
    import time

    from app.synthetic import describe, seed_dossiers

    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        elapsed = time.monotonic() - started
        click.echo(f"  {done:>10,}/{total:,} dossiers  {done / max(elapsed, 1e-6):8,.0f}/s  "
                   f"{elapsed:7.1f} s", err=True)

    result = seed_dossiers(count, batch=batch, seed=random_seed, progress=progress)
    for line in describe(result):
        click.echo(line)
    click.echo(f"in {time.monotonic() - started:.1f} s")


class MigrationCommands(click.Command):
    """`flask db …`: Flask-Migrate's commands, with Alembic loaded only when one of them runs
    (app.extensions.init_migrate). Every argument after `db`, `--help` included, goes to
    Flask-Migrate's own group."""

    def __init__(self) -> None:
        super().__init__("db", help="Perform database migrations (Flask-Migrate).",
                         add_help_option=False,
                         context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                           "allow_interspersed_args": False})

    def invoke(self, ctx: click.Context):
        from flask_migrate.cli import db as migrate_group

        init_migrate(ctx.ensure_object(ScriptInfo).load_app())
        return migrate_group.main(ctx.args, prog_name=ctx.command_path, obj=ctx.obj,
                                  standalone_mode=False)


def register(app: Flask) -> None:
    from app.notifications.commands import outbox_cli
    from app.payments.commands import payments_cli

    for command in (units_cli, procedures_cli, roles_cli, audit_cli, stats_cli, retention_cli,
                    bench_cli, seed_demo, outbox_cli, payments_cli, doctor, MigrationCommands()):
        app.cli.add_command(command)
