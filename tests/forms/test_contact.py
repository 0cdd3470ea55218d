"""app.core.contact: one rule for phones, email addresses and citizen IDs, used by forms and accounts alike."""

import pytest
from werkzeug.datastructures import MultiDict

from app.accounts.forms import ProfileForm, RegisterForm
from app.core import contact
from app.forms.engine import validate


@pytest.mark.parametrize("value", ["0912345678", "0987654321", "0312345678", "0592345678", "+84912345678"])
def test_mobile_numbers(value):
    assert contact.is_mobile_phone(value) and contact.is_phone(value)


@pytest.mark.parametrize("value", ["0112345678", "0712345678", "0012345678", "091234567", "+8491234567",
                                   "+840912345678", "02838123456", "0912 345 678", "", None, "09123456789"])
def test_not_mobile_numbers(value):
    assert not contact.is_mobile_phone(value)


@pytest.mark.parametrize("value", ["02838123456", "02431234567", "+842838123456"])
def test_landlines_are_phones_but_not_mobiles(value):
    assert contact.is_phone(value) and not contact.is_mobile_phone(value)


def test_normalize_phone_removes_what_people_type():
    assert contact.normalize_phone(" 091 234.56-78 ") == "0912345678"
    assert contact.normalize_phone("(+84) 912 345 678") == "+84912345678"


@pytest.mark.parametrize("value", ["a@example.vn", "a.b+c@example.com", "citizen@example.test", "nguyễn@ví-dụ.vn"])
def test_email_addresses(value):
    assert contact.is_email(value)


@pytest.mark.parametrize("value", ["a@b", "a..b@example.vn", "a@-example.vn", "a@example..vn", ".a@example.vn",
                                   "a b@example.vn", " a@example.vn", "a@example.local", "a@[127.0.0.1]",
                                   "x" * 250 + "@example.vn", "", None])
def test_not_email_addresses(value):
    assert not contact.is_email(value)


@pytest.mark.parametrize(("value", "ok"), [("001090123456", True), ("096399999999", True), ("000090123456", False),
                                           ("097090123456", False), ("001490123456", False), ("00109012345", False),
                                           ("٠٠١٠٩٠١٢٣٤٥٦", False)])
def test_citizen_ids(value, ok):
    assert contact.is_citizen_id(value) is ok


@pytest.mark.parametrize(("fmt", "good", "bad"), [
    ("vn-phone", "02838123456", "0112345678"),
    ("vn-mobile", "0912345678", "02838123456"),
    ("email", "a@example.vn", "a..b@example.vn"),
    ("vn-citizen-id", "001090123456", "000090123456"),
])
def test_the_form_engine_formats_are_the_contact_rules(fmt, good, bad):
    schema = {"type": "string", "format": fmt}
    assert validate(schema, good) == []
    assert [e.keyword for e in validate(schema, bad)] == ["format"]


def _form(babel_app, cls, data):
    babel_app.config.update(WTF_CSRF_ENABLED=False, SECRET_KEY="x" * 40)
    with babel_app.test_request_context("/", method="POST", data=data):
        form = cls(formdata=MultiDict(data))
        form.validate()
        return form.errors


def test_accounts_use_the_same_rules(babel_app):
    errors = _form(babel_app, ProfileForm, {"full_name": "Lê Văn B", "phone": "011 234 5678", "citizen_id": "000090123456"})
    assert set(errors) == {"phone", "citizen_id"}
    assert _form(babel_app, ProfileForm, {"full_name": "Lê Văn B", "phone": "091 234 5678", "citizen_id": "001090123456"}) == {}
    errors = _form(babel_app, RegisterForm, {"full_name": "Lê Văn B", "email": "a..b@example.vn", "phone": "0912345678"})
    assert "email" in errors and "phone" not in errors
