"""Rows that point at rows which do not exist (foreign keys not enforced, a partial restore)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import MetaData, and_, exists, func, select
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class BrokenReference:
    table: str
    columns: tuple[str, ...]
    target: str
    count: int
    sample: tuple

    def __str__(self) -> str:
        columns = ", ".join(self.columns)
        ids = ", ".join(str(s) for s in self.sample)
        return f"{self.table}.{columns} → {self.target}: {self.count} row(s) point nowhere (e.g. {ids})"


def broken_references(session: Session, metadata: MetaData) -> list[BrokenReference]:
    """Every foreign key of the metadata checked with one anti-join each."""
    found = []
    for table in metadata.sorted_tables:
        for constraint in table.foreign_key_constraints:
            target = constraint.elements[0].column.table
            other = target.alias()  # an alias, so that a table pointing at itself works too
            pairs = [(e.parent, other.c[e.column.name]) for e in constraint.elements]
            points_nowhere = and_(*(child.isnot(None) for child, _ in pairs),
                                  ~exists().where(and_(*(parent == child for child, parent in pairs))))
            count = session.scalar(select(func.count()).select_from(table).where(points_nowhere)) or 0
            if not count:
                continue
            key = list(table.primary_key.columns) or [pairs[0][0]]
            sample = tuple(session.scalars(select(key[0]).where(points_nowhere).order_by(key[0]).limit(5)))
            found.append(BrokenReference(table.name, tuple(c.name for c, _ in pairs), target.name,
                                         count, sample))
    return found
