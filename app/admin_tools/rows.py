"""The builder page's flat rows: each field names its group by a dotted path; option lines."""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _

from app.admin_tools.builder import GROUPS, FieldSpec, Option
from app.core.types import fold_vietnamese


@dataclass
class Row:
    parent: str  # "" for the top level, "address" or "children" for a group's field
    spec: FieldSpec


def specs_to_rows(specs: list[FieldSpec], parent: str = "") -> list[Row]:
    """Depth-first rows (children right after their group)."""
    rows = []
    for spec in specs:
        rows.append(Row(parent, FieldSpec(**{**spec.__dict__, "children": []})))
        if spec.type in GROUPS:
            rows += specs_to_rows(spec.children, f"{parent}.{spec.key}" if parent else spec.key)
    return rows


def rows_to_specs(rows: list[Row]) -> tuple[list[FieldSpec], list[str]]:
    """Nest rows under their groups; problems name rows whose group does not exist."""
    top: list[FieldSpec] = []
    groups: dict[str, FieldSpec] = {}
    problems = []
    for number, row in enumerate(rows, start=1):
        spec = FieldSpec(**{**row.spec.__dict__, "children": []})
        if row.parent:
            group = groups.get(row.parent)
            if group is None:
                problems.append(_("%(field)s: the group %(group)s does not exist.",
                                  field=spec.label or spec.key or f"#{number}", group=row.parent))
                continue
            group.children.append(spec)
        else:
            top.append(spec)
        if spec.type in GROUPS:
            groups[f"{row.parent}.{spec.key}" if row.parent else spec.key] = spec
    return top, problems


def move_row(rows: list[Row], index: int, step: int) -> list[Row]:
    """Swap a row with its previous/next sibling, carrying group children along."""
    def block(i: int) -> range:
        path = f"{rows[i].parent}.{rows[i].spec.key}" if rows[i].parent else rows[i].spec.key
        end = i + 1
        while end < len(rows) and (rows[end].parent == path or rows[end].parent.startswith(path + ".")):
            end += 1
        return range(i, end)

    if not 0 <= index < len(rows):
        return rows
    siblings = [i for i, r in enumerate(rows) if r.parent == rows[index].parent]
    position = siblings.index(index) + step
    if not 0 <= position < len(siblings):
        return rows
    first, second = sorted((index, siblings[position]))
    a, b = block(first), block(second)
    return rows[:a.start] + rows[b.start:b.stop] + rows[a.stop:b.start] + rows[a.start:a.stop] \
        + rows[b.stop:]


def slug(text: str) -> str:
    """A key made from a Vietnamese label: 'Họ và tên' -> 'ho_va_ten'."""

    out = re.sub(r"[^a-z0-9]+", "_", fold_vietnamese(text)).strip("_")[:60]
    return out if out and out[0].isalpha() else f"f_{out}" if out else ""


def parse_options(text: str) -> list[Option]:
    """Option lines "value | Nhãn | Label" or just "Nhãn" (the value is made from it)."""
    options = []
    for line in (text or "").splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not parts[0]:
            continue
        if len(parts) == 1:
            options.append(Option(slug(parts[0]) or parts[0], parts[0]))
        else:
            options.append(Option(parts[0], parts[1] or parts[0], parts[2] if len(parts) > 2 else ""))
    return options


def options_text(options: list[Option]) -> str:
    return "\n".join(" | ".join(p for p in (o.value, o.label, o.label_en)).rstrip(" |")
                     for o in options)
