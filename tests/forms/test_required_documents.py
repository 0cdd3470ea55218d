"""Documents needed only in some cases: `required_when` is a JSON Schema over the declaration."""

from app.procedures.documents import document_required, missing_documents, required_document_keys

DOCUMENTS = [
    {"key": "always", "title": "Luôn nộp", "required": True},
    {"key": "never", "title": "Không bắt buộc", "required": False},
    {"key": "foreign", "title": "Khi cha là người nước ngoài", "required": False,
     "required_when": {"required": ["father"], "properties": {
         "father": {"required": ["nationality"], "properties": {"nationality": {"not": {"const": "VN"}}}}}}},
]


def test_a_conditional_document_is_needed_only_when_the_declaration_matches():
    assert required_document_keys(DOCUMENTS, {"father": {"nationality": "VN"}}) == ["always"]
    assert required_document_keys(DOCUMENTS, {"father": {"nationality": "FR"}}) == ["always", "foreign"]
    assert required_document_keys(DOCUMENTS, {}) == ["always"]
    assert not document_required(DOCUMENTS[2], "not a dict")


def test_missing_documents_are_the_needed_ones_without_a_file():
    data = {"father": {"nationality": "FR"}}
    assert missing_documents(DOCUMENTS, data, present=["always"]) == ["foreign"]
    assert missing_documents(DOCUMENTS, data, present={"always", "foreign"}) == []
    assert missing_documents(None, data, present=()) == []
