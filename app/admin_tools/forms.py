"""WTForms of the admin screens; every message is localized and shown next to its field."""
from __future__ import annotations

import json
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.procedures.definition_schema import choices, rule
from app.procedures.definitions import json_syntax_message, metadata_problems
from app.units.operations import has_districts

TIER_LABELS = {"commune": _l("Commune"), "district": _l("District"), "province": _l("Province")}
LEVEL_LABELS = {3: _l("3 (partly online)"), 4: _l("4 (fully online)")}
DELIVERY_LABELS = {"office": _l("At the office"), "post": _l("By post"), "online": _l("Online")}
FILE_TYPES = {
    "pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def lines(text: str | None) -> list[str]:
    """Non-empty, stripped lines of a textarea."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _max(key: str) -> int:
    return rule(key)["maxLength"]


def _range(key: str) -> NumberRange:
    node = rule(key)
    return NumberRange(min=node["minimum"], max=node["maximum"], message=_l(
        "Between %(min)d and %(max)d.", min=node["minimum"], max=node["maximum"]))


class ProcedureMetaForm(FlaskForm):
    """A procedure's catalogue information (not versioned); limits from the definition schema."""

    code = StringField(_l("Procedure code"), validators=[
        DataRequired(_l("Enter the procedure code.")), Length(max=_max("code")),
        Regexp(rule("code")["pattern"], message=_l("Use letters, digits, dots, dashes only."))])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the name.")),
                                               Length(max=_max("name"))])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=_max("name_en"))])
    field = StringField(_l("Field"), validators=[DataRequired(_l("Enter the field.")),
                                                 Length(max=_max("field"))])
    field_en = StringField(_l("Field in English"), validators=[Optional(), Length(max=_max("field_en"))])
    tier = SelectField(_l("Tier"), choices=[(t, TIER_LABELS[t]) for t in choices("tier")],
                       default="commune")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Since 1 July 2025 there is no district tier: offered only where district units exist
        # or the procedure already has it (item 17 of issue 10).
        if self.tier.data != "district" and not has_districts():
            self.tier.choices = [(t, label) for t, label in self.tier.choices if t != "district"]
    level = SelectField(_l("Service level"), coerce=int, default=3,
                        choices=[(n, LEVEL_LABELS.get(n, str(n))) for n in choices("level")])
    processing_days = IntegerField(_l("Processing time (working days)"), default=0, validators=[
        Optional(), _range("processing_days")])
    verification_days = IntegerField(_l("Days when verification is needed"), validators=[
        Optional(), _range("verification_days")])
    fee = IntegerField(_l("Fee (VND)"), default=0, validators=[Optional(), _range("fee")])
    processing_note = TextAreaField(_l("Note on the processing time"),
                                    validators=[Optional(), Length(max=_max("processing_note"))])
    processing_note_en = TextAreaField(_l("Note on the processing time in English"), validators=[
        Optional(), Length(max=_max("processing_note_en"))])
    verification_note = TextAreaField(_l("When verification is needed"),
                                      validators=[Optional(), Length(max=_max("verification_note"))])
    verification_note_en = TextAreaField(_l("When verification is needed, in English"), validators=[
        Optional(), Length(max=_max("verification_note_en"))])
    fee_note = TextAreaField(_l("Fee note and exemptions"),
                             validators=[Optional(), Length(max=_max("fee_note"))])
    fee_note_en = TextAreaField(_l("Fee note and exemptions in English"),
                                validators=[Optional(), Length(max=_max("fee_note_en"))])
    agency = StringField(_l("Agency"), validators=[Optional(), Length(max=_max("agency"))])
    agency_en = StringField(_l("Agency in English"), validators=[Optional(), Length(max=_max("agency_en"))])
    result = TextAreaField(_l("Result"), validators=[Optional(), Length(max=_max("result"))])
    result_en = TextAreaField(_l("Result in English"), validators=[Optional(), Length(max=_max("result_en"))])
    applicants = TextAreaField(_l("Who may file"), validators=[Optional(), Length(max=_max("applicants"))])
    applicants_en = TextAreaField(_l("Who may file, in English"),
                                  validators=[Optional(), Length(max=_max("applicants_en"))])
    requirements = TextAreaField(_l("Requirements and conditions (one per line)"), validators=[Optional()])
    requirements_en = TextAreaField(_l("Requirements and conditions in English (one per line)"),
                                    validators=[Optional()])
    steps = TextAreaField(_l("Steps (one per line)"), validators=[Optional()])
    steps_en = TextAreaField(_l("Steps in English (one per line)"), validators=[Optional()])
    legal_basis = TextAreaField(_l("Legal basis (one per line)"), validators=[Optional()])
    legal_basis_en = TextAreaField(_l("Legal basis in English (one per line)"), validators=[Optional()])
    linked_procedures = StringField(_l("Linked procedure codes (separated by commas)"),
                                    validators=[Optional()])
    delivery_methods = MultiCheckboxField(
        _l("How the result is delivered"), default=["office"],
        choices=[(k, DELIVERY_LABELS[k]) for k in choices("delivery_methods")])
    forwardable = BooleanField(_l("Not bound by administrative boundaries: any centre of the "
                                  "province receives it and forwards it"))
    afternoon_cutoff = BooleanField(_l("Received after the cut-off (15:00): counts from the next "
                                       "working day"))
    active = BooleanField(_l("Shown in the catalogue"), default=True)

    def validate(self, extra_validators=None) -> bool:
        """WTForms' checks, then the definition schema on what the form would store."""
        valid = super().validate(extra_validators)
        for problem in metadata_problems(self.metadata()):
            name = problem.pointer.split("/")[1] if problem.pointer else ""
            target = getattr(self, name, None) if name in self._fields else None
            if target is None:
                self.form_errors.append(problem.message)
            elif not target.errors:  # one message per field: WTForms' own comes first
                target.errors = [*target.errors, problem.message]
            valid = False
        return valid

    def validate_delivery_methods(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one way."))

    def load(self, procedure: Any) -> None:
        """Fill the form from a procedure: its columns and the texts kept in `extra`."""
        extra = procedure.extra or {}
        self.field.data = procedure.field.name if procedure.field else ""
        self.field_en.data = procedure.field.name_en if procedure.field else ""
        for name in TEXT_KEYS:
            value = getattr(procedure, name, None) if name in COLUMN_TEXTS else extra.get(name)
            getattr(self, name).data = value or ""
        for name in LINE_KEYS:
            value = getattr(procedure, name, None) if name in COLUMN_TEXTS else extra.get(name)
            getattr(self, name).data = "\n".join(map(str, value or []))
        self.linked_procedures.data = ", ".join(map(str, procedure.linked_procedures or []))

    def metadata(self) -> dict[str, Any]:
        """The form as definition-file keys (English texts as their `*_en` keys)."""
        data: dict[str, Any] = {
            "code": self.code.data.strip(), "name": self.name.data.strip(),
            "name_en": (self.name_en.data or "").strip() or None,
            "field": self.field.data.strip(),
            "field_en": (self.field_en.data or "").strip() or None,
            "tier": self.tier.data, "level": self.level.data,
            "processing_days": self.processing_days.data or 0,
            "verification_days": self.verification_days.data, "fee": self.fee.data or 0,
            "linked_procedures": [c.strip() for c in (self.linked_procedures.data or "").split(",")
                                  if c.strip()],
            "delivery_methods": list(self.delivery_methods.data),
            "forwardable": bool(self.forwardable.data),
            "afternoon_cutoff": bool(self.afternoon_cutoff.data),
            "active": bool(self.active.data),
        }
        for name in TEXT_KEYS:
            data[name] = (getattr(self, name).data or "").strip() or None
        for name in LINE_KEYS:
            data[name] = lines(getattr(self, name).data)
        return data


# Texts of the details form, each with its English twin; the Procedure's own columns hold the
# Vietnamese of some, the rest (and every English text) lives in Procedure.extra.
TEXT_KEYS = ("processing_note", "processing_note_en", "verification_note", "verification_note_en",
             "fee_note", "fee_note_en", "agency", "agency_en", "result", "result_en",
             "applicants", "applicants_en")
LINE_KEYS = ("requirements", "requirements_en", "steps", "steps_en", "legal_basis", "legal_basis_en")
COLUMN_TEXTS = ("fee_note", "agency", "result", "steps", "legal_basis")


def json_problem(text: str, label: str) -> tuple[Any, str | None]:
    """Parse JSON text; the error names the line and column (localized)."""
    if not (text or "").strip():
        return None, None
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"{label}: {json_syntax_message(exc)}"


KEPT_DOCUMENT_KEYS = ("x-i18n", "description", "required_when")


def documents_to_text(documents: list[dict]) -> str:
    """Required documents as editable lines: key | title | required | types."""
    out = []
    for doc in documents or []:
        types = [k for k, v in FILE_TYPES.items() if v in (doc.get("accept") or [])]
        out.append(" | ".join([doc.get("key", ""), doc.get("title", ""),
                               "yes" if doc.get("required") else "no", ",".join(types)]))
    return "\n".join(out)


def text_to_documents(text: str, previous: list[dict] | None = None) -> tuple[list[dict], list[str]]:
    """Parse the document lines; (documents, localized problems).

    The lines say key, title, required and types; what they cannot say (English titles, the
    guidance, the `required_when` condition) is kept from the previous document of the same key.
    """
    known = {d.get("key"): d for d in previous or [] if isinstance(d, dict)}
    documents, problems = [], []
    for number, line in enumerate(lines(text), start=1):
        parts = [p.strip() for p in line.split("|")]
        while len(parts) < 4:
            parts.append("")
        key, title, required, types = parts[:4]
        if not key or not title:
            problems.append(str(_l("Document line %(n)d: write at least \"key | title\".", n=number)))
            continue
        accept = []
        for name in [t.strip().lower().lstrip(".") for t in types.split(",") if t.strip()]:
            if name not in FILE_TYPES:
                problems.append(str(_l("Document line %(n)d: unknown file type %(t)s; use %(all)s.",
                                       n=number, t=name, all=", ".join(FILE_TYPES))))
            else:
                accept.append(FILE_TYPES[name])
        doc = {k: v for k, v in known.get(key, {}).items() if k in KEPT_DOCUMENT_KEYS}
        doc.update({"key": key, "title": title,
                    "required": required.lower() in ("yes", "có", "co", "true", "1", "x")})
        if doc["required"]:
            doc.pop("required_when", None)  # always required: the condition no longer matters
        if accept:
            doc["accept"] = accept
        documents.append(doc)
    return documents, problems
