"""Deleting a row that other records point to is refused, saying what points to it.

The references are the schema's own foreign keys. A key that neither cascades nor sets NULL
(`NO ACTION`, the default) makes the database refuse the delete, on PostgreSQL and on SQLite
(`PRAGMA foreign_keys`, app/core/sqlite.py). Before deleting, `blockers` counts the rows behind
each such key, so the administrator reads what still points to the row and what to do instead
rather than a database error; a refusal the count missed is still caught (IntegrityError).

A row's owned children (relationships that cascade the delete: a procedure's versions) go
with it, so what points to them counts too; children the ORM would orphan (`passive_deletes`
unset on a nullable key) do not block. Packages name their referencing rows with
`describe_references` and add references that are no foreign key with `register_references`
(the dossiers filed at an offering).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Table, and_, func, inspect, not_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapper, RelationshipDirection

from app.core.refusal import Refused
from app.extensions import db

Label = Callable[[int], str]  # a count -> "3 hồ sơ đã nộp theo thủ tục"
NOT_BLOCKING = {"CASCADE", "SET NULL", "SET DEFAULT"}


@dataclass(frozen=True)
class Described:
    label: Label
    derived: bool  # kept by other rows that block too (statistics of dossiers): said only alone
    first: bool  # said before the others (the dossiers)


LABELS: dict[tuple[str, str | None], Described] = {}
EXTRA: dict[str, list[Callable[[Any], Iterable[str]]]] = {}


def describe_references(table: str, label: Label, target: str | None = None,
                        derived: bool = False, first: bool = False) -> None:
    """Name the rows of `table` that point to a row of `target` (any table when None)."""
    LABELS[(table, target)] = Described(label, derived, first)


def register_references(target: str, counter: Callable[[Any], Iterable[str]]) -> None:
    """Add references to rows of the table `target` that are no foreign key: `counter(row)`
    yields a text for each kind found ("2 hồ sơ đã nộp tại đơn vị này")."""
    EXTRA.setdefault(target, []).append(counter)


def _mapper_of(table: Table) -> Mapper | None:
    for mapper in db.Model.registry.mappers:
        if mapper.local_table is table:
            return mapper
    return None


def _owned(mapper: Mapper) -> list[tuple[Table, Any]]:
    """(child table, key column) of the relationships that delete their children with the row."""
    found = []
    for rel in mapper.relationships:
        if rel.direction is RelationshipDirection.ONETOMANY and rel.cascade.delete \
                and not rel.viewonly and len(rel.remote_side) == 1:
            found.append((rel.mapper.local_table, next(iter(rel.remote_side))))
    return found


def _orphaned(mapper: Mapper) -> set[Any]:
    """Key columns the ORM sets to NULL when the row goes (children it would orphan)."""
    columns = set()
    for rel in mapper.relationships:
        if rel.direction is RelationshipDirection.ONETOMANY and not rel.cascade.delete \
                and not rel.passive_deletes and not rel.viewonly:
            columns |= {c for c in rel.remote_side if c.nullable}
    return columns


def _targets(table: Table, where: Any, depth: int = 0) -> list[tuple[Table, Any]]:
    """The rows a delete removes: the row itself and, recursively, its owned children."""
    targets = [(table, where)]
    mapper = _mapper_of(table)
    if mapper is None or depth > 3 or len(table.primary_key.columns) != 1:
        return targets
    (pk,) = table.primary_key.columns
    for child, key in _owned(mapper):
        targets += _targets(child, key.in_(select(pk).where(where)), depth + 1)
    return targets


def _foreign_key_counts(item: Any) -> list[tuple[str, str, int]]:
    """(referencing table, target table, rows) of every key that would refuse the delete."""
    state = inspect(item)
    table = state.mapper.local_table
    where = and_(*(column == value for column, value in
                   zip(state.mapper.primary_key, state.identity, strict=True)))
    targets = _targets(table, where)
    removed = {t.name: where for t, where in targets}
    conditions: dict[str, list[Any]] = {}
    tables: dict[str, Table] = {}
    for target, where in targets:
        if len(target.primary_key.columns) != 1:  # no key of ours points to a composite one
            continue
        mapper = _mapper_of(target)
        orphaned = _orphaned(mapper) if mapper is not None else set()
        (target_pk,) = target.primary_key.columns
        for referencing in db.metadata.sorted_tables:
            for fk in referencing.foreign_key_constraints:
                if fk.referred_table is not target or len(fk.columns) != 1:
                    continue
                column = next(iter(fk.columns))
                if (fk.ondelete or "").upper() in NOT_BLOCKING or column in orphaned:
                    continue
                condition = column.in_(select(target_pk).where(where))
                if referencing.name in removed:  # rows going too point to each other freely
                    condition = and_(condition, not_(removed[referencing.name]))
                conditions.setdefault(referencing.name, []).append(condition)
                tables[referencing.name] = referencing
    counts = []
    for name, ors in conditions.items():
        n = db.session.scalar(select(func.count()).select_from(tables[name]).where(or_(*ors)))
        if n:
            counts.append((name, table.name, n))
    return counts


def blockers(item: Any) -> list[str]:
    """What still points to the row, each as a phrase ("3 hồ sơ đã nộp theo thủ tục")."""
    db.session.flush()
    first, main, derived = [], [], []
    for referencing, target, n in _foreign_key_counts(item):
        described = LABELS.get((referencing, target)) or LABELS.get((referencing, None))
        if described is None:
            main.append(ngettext("%(num)d row of %(table)s", "%(num)d rows of %(table)s", n,
                                 table=referencing))
        else:
            kind = derived if described.derived else first if described.first else main
            kind.append(described.label(n))
    main = first + main
    for counter in EXTRA.get(inspect(item).mapper.local_table.name, []):
        main += [text for text in counter(item) if text]
    return main or derived


def refusal(what: str, references: list[str], instead: str = "") -> str:
    """"Không thể xoá thủ tục …: 3 hồ sơ đã nộp theo thủ tục. Hãy ngừng cung cấp …"."""
    text = _("Cannot delete %(what)s: %(references)s.", what=what,
             references=", ".join(references))
    return f"{text} {instead}".strip()


def ensure_deletable(item: Any, what: str, instead: str = "") -> None:
    """Refused (nothing changed) when anything still points to the row."""
    found = blockers(item)
    if found:
        raise Refused([refusal(what, found, instead)])


def delete_row(item: Any, what: str, instead: str = "") -> None:
    """Delete the row (and its owned children) if nothing points to it; else Refused."""
    ensure_deletable(item, what, instead)
    try:
        with db.session.begin_nested():
            db.session.delete(item)
            db.session.flush()
    except IntegrityError as exc:  # a reference the count did not see: the database refused
        raise Refused([refusal(what, [_("other records still point to it")], instead)]) from exc


class GuardedDeleteMixin:
    """FAB's delete asks the domain (`delete_item`): a refused delete says what still points to
    the row and what to do instead, deletes nothing, leaves the session usable and goes to the
    row's page, where that alternative is offered as an action."""

    def delete_item(self, item: Any) -> None:
        """Delete through the domain's operation (override); Refused when it may not go."""
        delete_row(item, str(item))

    def _delete(self, pk: Any) -> None:
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            abort(404)
        session = self.datamodel.session
        try:
            self.pre_delete(item)  # the audit record, in the same transaction
            self.delete_item(item)
            self.post_delete(item)
            session.commit()
        except Refused as exc:
            session.rollback()
            flash(" ".join(exc.problems), "danger")
            g.refused_delete = pk
        else:
            flash(str(self.delete_row_message), "success")
        self.update_redirect()

    def post_delete_redirect(self):
        pk = getattr(g, "refused_delete", None)
        if pk is not None and self.actions:  # the row's page offers what to do instead
            self.get_redirect()  # the delete's own entry leaves the history
            return redirect(url_for(f"{self.endpoint}.show", pk=pk))
        return super().post_delete_redirect()


def run_action(view: Any, items: Any, operation: Callable[[Any], Any], done: Callable[[int], str]):
    """A FAB action (one row from its page, or the rows ticked in the list) through an
    operation; says how many rows it changed and goes back."""
    rows = [item for item in (items if isinstance(items, list) else [items]) if item is not None]
    changed = 0
    for row in rows:
        try:
            operation(row)
        except Refused as exc:  # this row is left as it was; the others go on
            flash(" ".join(exc.problems), "danger")
        else:
            changed += 1
    db.session.flush()
    if changed:
        flash(done(changed), "success")
    view.update_redirect()
    return redirect(view.get_redirect())
