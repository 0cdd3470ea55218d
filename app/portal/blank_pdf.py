"""The printable blank declaration of a procedure (level 2), generated from its schema.

It is the citizen's document: no issuer block (the national motto alone), every section and field
of the form — conditional ones included, marked "(nếu có)" — choices as tick boxes, the form's own
pledge and every signature it needs (both spouses for a marriage). A definition may set
`declaration: {"pledge": "…", "signers": ["Bên nữ", "Bên nam"]}` (kept in `Procedure.extra`).
"""
from __future__ import annotations

from typing import Any

from app.documents.pdf import Fields, Heading, Paragraph, Signature, Signatures, Spacer, render_pdf
from app.forms.fields.choice import ChoiceField
from app.forms.fields.group import ObjectField, RepeatField
from app.procedures.forms import compiled_form_for

BLANK = "." * 50
MAX_BOXES = 6  # longer lists (ethnic groups, nationalities) get a line to write on
PLEDGE = ("Tôi cam đoan nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật "
          "về cam đoan của mình.")


def _rows(field: Any, depth: int, blocks: list, rows: list) -> None:
    """Every field under `field`, conditional ones included; groups become headings."""
    for child in field.children:
        if child.hidden or getattr(child, "type_name", "") == "pledge":
            continue
        label = child.label("vi")
        if child.conditional or (not child.required and isinstance(child, (ObjectField, RepeatField))):
            label += " (nếu có)"
        if isinstance(child, ObjectField):
            _flush(blocks, rows)
            blocks.append(Heading(label) if depth == 0 else Paragraph(("   " * depth) + label, bold=True))
            _rows(child, depth + 1, blocks, rows)
        elif isinstance(child, RepeatField):
            _flush(blocks, rows)
            blocks.append(Heading(label) if depth == 0 else Paragraph(("   " * depth) + label, bold=True))
            if isinstance(child.item, ObjectField):
                _rows(child.item, depth + 1, blocks, rows)
            else:
                rows.append(("   " * (depth + 1) + child.item.label("vi"), BLANK))
        elif isinstance(child, ChoiceField) and 0 < len(child.options) <= MAX_BOXES:
            boxes = "    ".join(f"□ {child.option_label(v, labels, 'vi')}" for v, _c, labels in child.options)
            rows.append(("   " * depth + label, boxes))
        else:
            rows.append(("   " * depth + label, BLANK))


def _flush(blocks: list, rows: list) -> None:
    if rows:
        blocks.append(Fields(list(rows)))
        rows.clear()


def blank_declaration(procedure: Any, unit: Any = None, locale: str = "vi") -> bytes:
    """A PDF with every field of the current version's form and room to write by hand."""
    version = procedure.current_version
    compiled = compiled_form_for(version)
    schema = version.schema or {}
    declaration = (getattr(procedure, "extra", None) or {}).get("declaration") or {}
    title = (schema.get("title") or procedure.name).upper()
    addressee = f"Kính gửi: {getattr(unit, 'name', None) and 'Ủy ban nhân dân ' + _running(unit.name) or BLANK}"
    blocks: list[Any] = [Paragraph(addressee, align="C")]
    if schema.get("description"):
        blocks.append(Paragraph(schema["description"], align="L", italic=True, size=11))
    rows: list[tuple[str, str]] = []
    _rows(compiled.root, 0, blocks, rows)
    _flush(blocks, rows)
    documents = [d.get("title", d.get("key")) for d in version.required_documents or []]
    if documents:
        blocks.append(Heading("Giấy tờ kèm theo"))
        blocks.append(Paragraph("\n".join(f"- {d}" for d in documents), align="L"))
    signers = list(declaration.get("signers") or ["Người yêu cầu"])
    blocks += [Spacer(4), Paragraph(declaration.get("pledge") or PLEDGE, indent=True),
               Paragraph("Làm tại: ......................, ngày ..... tháng ..... năm ..........",
                         align="R", italic=True)]
    hint = "(Ký, ghi rõ họ, chữ đệm, tên)"
    pairs = [signers[i:i + 2] for i in range(0, len(signers), 2)]
    for pair in pairs:
        left = Signature(pair[0].upper(), "", hint=hint) if len(pair) == 2 else None
        right = Signature(pair[-1].upper(), "", hint=hint)
        blocks.append(Signatures(left, right))
    return render_pdf(title, None, blocks, subtitle=f"(Mã thủ tục: {procedure.code})")


def _running(name: str) -> str:
    for prefix in ("Xã ", "Phường ", "Đặc khu ", "Thị trấn "):
        if name.startswith(prefix):
            return prefix.lower() + name[len(prefix):]
    return name
