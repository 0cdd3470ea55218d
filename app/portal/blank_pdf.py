"""The printable blank declaration of a procedure (level 2), generated from its schema."""
from __future__ import annotations

from typing import Any

from app.documents.pdf import Fields, Heading, Paragraph, Signature, Spacer, render_pdf
from app.procedures.forms import compiled_form_for

BLANK = "." * 60


def blank_declaration(procedure: Any, unit: Any = None, locale: str = "vi") -> bytes:
    """A PDF with every field of the current version's form and room to write by hand."""
    version = procedure.current_version
    compiled = compiled_form_for(version)
    schema = version.schema or {}
    title = (schema.get("title") or procedure.name).upper()
    blocks: list[Any] = []
    if schema.get("description"):
        blocks.append(Paragraph(schema["description"], align="L"))
    rows: list[tuple[str, str]] = []
    for label, _text, depth in compiled.readonly_rows({}, locale):
        if depth == 0 and _text == "":
            if rows:
                blocks.append(Fields(rows))
                rows = []
            blocks.append(Heading(label))
        else:
            rows.append((("   " * max(0, depth - 1)) + label, BLANK))
    if rows:
        blocks.append(Fields(rows))
    documents = [d.get("title", d.get("key")) for d in version.required_documents or []]
    if documents:
        blocks.append(Heading("Giấy tờ kèm theo"))
        blocks.append(Paragraph("\n".join(f"- {d}" for d in documents), align="L"))
    blocks += [Spacer(6), Paragraph("Tôi xin chịu trách nhiệm trước pháp luật về lời khai trên.", bold=True),
               Signature("NGƯỜI YÊU CẦU", "(Ký, ghi rõ họ, chữ đệm, tên)", "......, ngày ..... tháng ..... năm ......")]
    return render_pdf(title, unit, blocks, subtitle=f"Mã thủ tục: {procedure.code} — {procedure.name}")
