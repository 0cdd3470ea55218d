"""Definition keys beyond CONTRACT.md: the order of linked parts, the data they receive, documents
needed only in some cases; each mistake is named at its pointer and nothing is imported."""
from __future__ import annotations

import copy
import json

from app.admin_tools.forms import documents_to_text, text_to_documents
from app.procedures.definitions import check_definition
from app.procedures.linking import part_data, prerequisites, ready_parts
from app.procedures.models import Procedure
from app.procedures.operations import export_definition, get_procedure
from tests.factories import SIMPLE_SCHEMA, UnitFactory

LINKED = {
    "code": "9.100000", "name": "Liên thông kiểm thử", "field": "Hộ tịch", "tier": "commune", "level": 4,
    "processing_days": 3, "fee": 0, "schema": SIMPLE_SCHEMA,
    "linked_procedures": ["9.100001", "9.100002", "9.100003"],
    "linked_after": {"9.100002": ["9.100001"], "9.100003": ["9.100001"]},
    "linked_data": {"9.100002": {"registrant": "full_name"}},
    "required_documents": [{"key": "to_khai", "title": "Tờ khai", "required": False,
                            "required_when": {"required": ["full_name"]}}],
}


def problems(app, data) -> list[str]:
    with app.test_request_context("/?_l_=en"):
        return check_definition(data, "en")


def pointers(app, data) -> list[str]:
    return [p.split(": ")[0] for p in problems(app, data)]


def test_a_linked_definition_with_order_data_and_conditions_is_valid(app):
    assert problems(app, LINKED) == []


def test_the_order_names_only_linked_codes_and_has_no_circle(app):
    bad = copy.deepcopy(LINKED)
    bad["linked_after"] = {"9.100002": ["9.100002", "9.999999"], "9.100001": ["9.100003"],
                           "9.100003": ["9.100001"], "9.888888": []}
    found = problems(app, bad)
    assert any(p.startswith("/linked_after/9.100002/0: ") and "itself" in p for p in found)
    assert any(p.startswith("/linked_after/9.100002/1: ") and "9.999999" in p for p in found)
    assert any(p.startswith("/linked_after/9.888888: ") for p in found)
    assert any(p.startswith("/linked_after: ") and "9.100001 → 9.100003 → 9.100001" in p for p in found)


def test_handed_over_data_names_fields_of_the_form(app):
    bad = copy.deepcopy(LINKED)
    bad["linked_data"] = {"9.100002": {"registrant": "no_such_field"}, "9.777777": {}}
    assert set(pointers(app, bad)) == {"/linked_data/9.100002/registrant", "/linked_data/9.777777"}
    bad["linked_data"] = {"9.100002": {"registrant": 5}}
    assert pointers(app, bad) == ["/linked_data/9.100002/registrant"]


def test_a_document_condition_is_a_json_schema_over_fields_of_the_form(app):
    bad = copy.deepcopy(LINKED)
    bad["required_documents"] = [
        {"key": "a", "title": "A", "required": True, "required_when": {"required": ["full_name"]}},
        {"key": "b", "title": "B", "required_when": {"properties": {"nationalty": {"const": "VN"}}}},
        {"key": "c", "title": "C", "required_when": {"type": "objekt"}},
        {"key": "d", "title": "D", "required_when": "always"}]
    found = problems(app, bad)
    assert any(p.startswith("/required_documents/0/required_when: ") and "not both" in p for p in found)
    assert any(p.startswith("/required_documents/1/required_when: ") and "nationalty" in p for p in found)
    assert any(p.startswith("/required_documents/2/required_when/type: ") for p in found)
    assert any(p.startswith("/required_documents/3/required_when: ") for p in found)


def test_form_problems_in_a_definition_are_whole_sentences_in_the_language(app):
    bad = copy.deepcopy(LINKED)
    bad["schema"] = {"type": "object", "properties": {"a": {"type": "string", "title": 5}}}
    found = problems(app, bad)
    assert found and all("%(" not in p for p in found)


def test_the_keys_are_imported_and_exported_as_written(app, tmp_path):
    with app.app_context():
        UnitFactory(code="25279")
    files = []
    for data in [LINKED] + [dict(LINKED, code=c, linked_procedures=[], linked_after={}, linked_data={})
                            for c in LINKED["linked_procedures"]]:
        path = tmp_path / f"{data['code']}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        files.append(str(path))
    result = app.test_cli_runner().invoke(args=["procedures", "import", *files])
    assert result.exit_code == 0, result.output
    with app.app_context():
        exported = export_definition(get_procedure("9.100000"))
        assert exported["linked_after"] == LINKED["linked_after"]
        assert exported["linked_data"] == LINKED["linked_data"]
        assert exported["required_documents"][0]["required_when"] == {"required": ["full_name"]}


def test_a_part_starts_when_the_parts_it_waits_for_are_done(app):
    with app.app_context():
        procedure = Procedure(code="9.100000", linked_procedures=LINKED["linked_procedures"],
                              extra={"linked_after": {**LINKED["linked_after"], "9.100001": ["9.555555"]}})
        assert prerequisites(procedure, "9.100002") == ["9.100001"]
        assert prerequisites(procedure, "9.100001") == []  # codes that are not linked are ignored
        assert ready_parts(procedure, done=[]) == ["9.100001"]
        assert ready_parts(procedure, done=["9.100001"], started=["9.100001"]) == ["9.100002", "9.100003"]
        plain = Procedure(code="9.2", linked_procedures=["9.100001", "9.100002"], extra={})
        assert ready_parts(plain, done=[]) == ["9.100001", "9.100002"]  # the plain list: all at once


def test_a_part_receives_the_parents_data_renamed_where_mapped(app):
    with app.app_context():
        procedure = Procedure(code="9.100000", linked_procedures=LINKED["linked_procedures"],
                              extra={"linked_data": {"9.100002": {"registrant": "child", "gone": "none"}}})
        data = {"child": {"full_name": "Bé"}, "copies": 1, "gone": "x"}
        assert part_data(procedure, "9.100002", data) == {"child": {"full_name": "Bé"}, "copies": 1,
                                                          "registrant": {"full_name": "Bé"}}
        assert part_data(procedure, "9.100001", data) == data


def test_the_document_lines_of_the_editor_keep_the_condition(app):
    documents = [{"key": "gcn", "title": "Giấy chứng nhận", "required": False, "description": "Khi…",
                  "required_when": {"required": ["father"]}, "x-i18n": {"en": {"title": "Certificate"}}}]
    with app.test_request_context("/"):
        again, found = text_to_documents(documents_to_text(documents), documents)
        assert found == []
        assert again[0]["required_when"] == {"required": ["father"]}
        assert again[0]["description"] == "Khi…" and again[0]["x-i18n"] == {"en": {"title": "Certificate"}}
        always, _ = text_to_documents("gcn | Giấy chứng nhận | yes", documents)
        assert always[0]["required"] is True and "required_when" not in always[0]
