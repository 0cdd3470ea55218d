"""The JSON Schema (draft 2020-12) of procedure definition files: the one source of their limits.

The file check (`definitions.check_definition`), the admin's procedure-details form and its
server-side check all read their lengths, ranges and choices from here. String lengths are
those of the database columns (`models.py`); texts stored in `Text` columns get a sane cap.
Titles are the labels of error messages (Vietnamese, English in `x-i18n` as in form schemas).
"""
from __future__ import annotations

import copy
from typing import Any

from app.procedures.models import LEVELS, TIERS, Field, Procedure

DRAFT = "https://json-schema.org/draft/2020-12/schema"
DELIVERY_METHODS = ("office", "post", "online")
CODE_PATTERN = r"^[A-Za-z0-9._-]+$"
KEY_PATTERN = r"^[A-Za-z0-9_.-]+$"
NOT_BLANK = r"\S"
MAX_DAYS = 365
MAX_FEE = 100_000_000
NOTE_LENGTH = 4000  # fee notes (Text column)
RESULT_LENGTH = 2000  # results, processing notes (Text columns)
STEP_LENGTH = 2000
LEGAL_LENGTH = 1000
MAX_LIST_ITEMS = 50
FORM_KEYS = ("schema", "ui_schema", "required_documents")
REQUIRED_KEYS = ("code", "name", "field", "tier", "level", "processing_days", "fee")


def column_length(model: Any, name: str) -> int:
    """The declared length of a String column."""
    return model.__table__.c[name].type.length


def _titled(node: dict, vi: str, en: str) -> dict:
    node.update({"title": vi, "x-i18n": {"en": {"title": en}}})
    return node


def _text(vi: str, en: str, max_length: int, *, blank: bool = True) -> dict:
    node: dict[str, Any] = {"type": ["string", "null"] if blank else "string", "maxLength": max_length}
    if not blank:
        node.update(minLength=1, pattern=NOT_BLANK)
    return _titled(node, vi, en)


def _days(vi: str, en: str, nullable: bool = False) -> dict:
    return _titled({"type": ["integer", "null"] if nullable else "integer", "minimum": 0,
                    "maximum": MAX_DAYS}, vi, en)


def _lines(vi: str, en: str, item_vi: str, item_en: str, max_length: int) -> dict:
    item = _titled({"type": "string", "minLength": 1, "maxLength": max_length}, item_vi, item_en)
    return _titled({"type": "array", "maxItems": MAX_LIST_ITEMS, "items": item}, vi, en)


def _i18n() -> dict:
    return _titled({"type": "object", "additionalProperties": {"type": "object"}},
                   "Bản dịch", "Translations")


def _code(vi: str, en: str) -> dict:
    return _titled({"type": "string", "minLength": 1, "maxLength": column_length(Procedure, "code"),
                    "pattern": CODE_PATTERN}, vi, en)


def _documents() -> dict:
    document = _titled({
        "type": "object", "required": ["key", "title"],
        "properties": {
            "key": _titled({"type": "string", "minLength": 1, "maxLength": 100,
                            "pattern": KEY_PATTERN}, "Mã giấy tờ", "Document key"),
            "title": _text("Tên giấy tờ", "Document title", 1000, blank=False),
            "description": _text("Hướng dẫn", "Guidance", RESULT_LENGTH),
            "required": _titled({"type": "boolean"}, "Bắt buộc", "Required"),
            "accept": _titled({"type": "array", "maxItems": 20, "uniqueItems": True, "items": {
                "type": "string", "minLength": 3, "maxLength": 100, "pattern": r"^[a-z]+/[\w.+-]+$",
                "title": "Kiểu tệp", "x-i18n": {"en": {"title": "File type"}}}},
                "Kiểu tệp được nhận", "Accepted file types"),
            "required_when": _titled({"type": "object"}, "Bắt buộc khi", "Required when"),
            "x-i18n": _i18n(),
        },
    }, "Giấy tờ", "Document")
    return _titled({"type": "array", "maxItems": MAX_LIST_ITEMS, "items": document},
                   "Thành phần hồ sơ", "Required documents")


def _extra_fees() -> dict:
    fee = _titled({
        "type": "object", "required": ["key", "title", "amount"],
        "properties": {
            "key": _titled({"type": "string", "minLength": 1, "maxLength": 100,
                            "pattern": KEY_PATTERN}, "Mã khoản phí", "Fee key"),
            "title": _text("Tên khoản phí", "Fee title", 500, blank=False),
            "amount": _titled({"type": "integer", "minimum": 0, "maximum": MAX_FEE},
                              "Số tiền (đồng)", "Amount (VND)"),
            "quantity_field": _text("Trường số lượng", "Quantity field", 100),
            "x-i18n": _i18n(),
        },
    }, "Khoản phí", "Fee")
    return _titled({"type": "array", "maxItems": 20, "items": fee},
                   "Các khoản phí khác", "Other fees")


def _linked_after() -> dict:
    waits = _titled({"type": "array", "maxItems": 20, "uniqueItems": True,
                     "items": _code("Mã thủ tục phải xong trước", "Procedure code to finish first")},
                    "Chờ các thủ tục", "Waits for")
    return _titled({"type": "object", "maxProperties": 20, "propertyNames": {"pattern": CODE_PATTERN},
                    "additionalProperties": waits},
                   "Thứ tự thủ tục liên thông", "Order of the linked procedures")


def _linked_data() -> dict:
    field = _titled({"type": "string", "minLength": 1, "maxLength": 64},
                    "Trường của tờ khai liên thông", "Field of the linked form")
    fields = _titled({"type": "object", "maxProperties": 50, "additionalProperties": field},
                     "Trường của thủ tục thành phần", "Fields of the linked part")
    return _titled({"type": "object", "maxProperties": 20, "propertyNames": {"pattern": CODE_PATTERN},
                    "additionalProperties": fields},
                   "Dữ liệu chuyển cho thủ tục thành phần", "Data handed to the linked parts")


def _build() -> dict:
    name_length = column_length(Procedure, "name")
    field_length = column_length(Field, "name")
    agency_length = column_length(Procedure, "agency")
    properties: dict[str, Any] = {
        "$schema": {"type": "string"},
        "code": _code("Mã thủ tục", "Procedure code"),
        "name": _text("Tên thủ tục", "Procedure name", name_length, blank=False),
        "name_en": _text("Tên thủ tục (tiếng Anh)", "Procedure name (English)", name_length),
        "field": _text("Lĩnh vực", "Field", field_length, blank=False),
        "field_en": _text("Lĩnh vực (tiếng Anh)", "Field (English)", field_length),
        "tier": _titled({"type": "string", "enum": list(TIERS)}, "Cấp thực hiện", "Tier"),
        "level": _titled({"type": "integer", "enum": list(LEVELS)},
                         "Mức độ dịch vụ công", "Service level"),
        "online_service": _text("Dịch vụ công trực tuyến", "Online service", 50),
        "processing_days": _days("Thời hạn giải quyết (ngày làm việc)",
                                 "Processing time (working days)"),
        "verification_days": _days("Thời hạn khi cần xác minh (ngày làm việc)",
                                   "Time when verification is needed (working days)", True),
        "processing_note": _text("Ghi chú thời hạn", "Processing note", RESULT_LENGTH),
        "processing_note_en": _text("Ghi chú thời hạn (tiếng Anh)", "Processing note (English)",
                                    RESULT_LENGTH),
        "verification_note": _text("Khi nào cần xác minh", "When verification is needed", RESULT_LENGTH),
        "verification_note_en": _text("Khi nào cần xác minh (tiếng Anh)",
                                      "When verification is needed (English)", RESULT_LENGTH),
        "fee": _titled({"type": "integer", "minimum": 0, "maximum": MAX_FEE},
                       "Lệ phí (đồng)", "Fee (VND)"),
        "fee_quantity_field": _text("Trường nhân số lượng lệ phí", "Fee quantity field", 100),
        "extra_fees": _extra_fees(),
        "fee_note": _text("Ghi chú lệ phí", "Fee note", NOTE_LENGTH),
        "fee_note_en": _text("Ghi chú lệ phí (tiếng Anh)", "Fee note (English)", NOTE_LENGTH),
        "agency": _text("Cơ quan thực hiện", "Agency", agency_length),
        "agency_en": _text("Cơ quan thực hiện (tiếng Anh)", "Agency (English)", agency_length),
        "result": _text("Kết quả thực hiện", "Result", RESULT_LENGTH),
        "result_en": _text("Kết quả thực hiện (tiếng Anh)", "Result (English)", RESULT_LENGTH),
        "applicants": _text("Đối tượng thực hiện", "Who may file", NOTE_LENGTH),
        "applicants_en": _text("Đối tượng thực hiện (tiếng Anh)", "Who may file (English)",
                               NOTE_LENGTH),
        "requirements": _lines("Yêu cầu, điều kiện", "Requirements and conditions", "Điều kiện",
                               "Condition", STEP_LENGTH),
        "requirements_en": _lines("Yêu cầu, điều kiện (tiếng Anh)",
                                  "Requirements and conditions (English)", "Điều kiện", "Condition",
                                  STEP_LENGTH),
        "steps": _lines("Trình tự thực hiện", "Steps", "Bước", "Step", STEP_LENGTH),
        "steps_en": _lines("Trình tự thực hiện (tiếng Anh)", "Steps (English)", "Bước", "Step",
                           STEP_LENGTH),
        "legal_basis": _lines("Căn cứ pháp lý", "Legal basis", "Văn bản", "Document",
                              LEGAL_LENGTH),
        "legal_basis_en": _lines("Căn cứ pháp lý (tiếng Anh)", "Legal basis (English)", "Văn bản",
                                 "Document", LEGAL_LENGTH),
        "delivery_methods": _titled({
            "type": "array", "minItems": 1, "uniqueItems": True,
            "items": {"type": "string", "enum": list(DELIVERY_METHODS)}},
            "Cách nhận kết quả", "How the result is delivered"),
        "linked_procedures": _titled({
            "type": "array", "maxItems": 20, "uniqueItems": True,
            "items": _code("Mã thủ tục liên thông", "Linked procedure code")},
            "Thủ tục liên thông", "Linked procedures"),
        "linked_after": _linked_after(),
        "linked_data": _linked_data(),
        "templates": _titled({"type": "array", "maxItems": MAX_LIST_ITEMS},
                             "Mẫu đơn, tờ khai", "Templates"),
        "required_documents": _documents(),
        "schema": _titled({"type": "object"}, "Biểu mẫu tờ khai", "Declaration form"),
        "ui_schema": _titled({"type": ["object", "null"]}, "Cách hiển thị biểu mẫu", "Form layout"),
        "x-i18n": _i18n(),
    }
    # Other keys are allowed and kept in Procedure.extra (CONTRACT.md).
    return _titled({"$schema": DRAFT, "type": "object", "required": [*REQUIRED_KEYS, "schema"],
                    "properties": properties}, "Tệp định nghĩa thủ tục", "Procedure definition")


DEFINITION_SCHEMA: dict[str, Any] = _build()


def metadata_schema() -> dict[str, Any]:
    """The catalogue information alone (no form): what the admin's details form edits."""
    schema = copy.deepcopy(DEFINITION_SCHEMA)
    for key in FORM_KEYS:
        del schema["properties"][key]
    schema["required"] = list(REQUIRED_KEYS)
    return schema


METADATA_SCHEMA: dict[str, Any] = metadata_schema()


def rule(key: str) -> dict[str, Any]:
    """The schema of one top-level key (for form limits): e.g. rule("fee")["maximum"]."""
    return DEFINITION_SCHEMA["properties"][key]


def choices(key: str) -> list[Any]:
    """The allowed values of an enumerated key or list of enumerated items."""
    node = rule(key)
    return list(node.get("enum") or node.get("items", {}).get("enum") or [])
