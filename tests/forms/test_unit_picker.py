"""The vn-unit field is picked by name (province, then commune or ward) and stores the code."""

import pytest
from conftest import form_of, soup
from werkzeug.datastructures import MultiDict

from app.forms import formats
from app.forms.errors import FieldError

UNITS = {"75": ("Tỉnh Đồng Nai", None), "24": ("Tỉnh Bắc Ninh", None), "25279": ("Xã Lộc Tấn", "75"),
         "25123": ("Xã Tân Lợi", "75"), "07798": ("Xã Tam Đa", "24"), "750": ("Huyện Cũ", "75"),
         "26001": ("Xã Thuộc Huyện", "750")}


@pytest.fixture(autouse=True)
def _directory():
    formats.set_unit_lister(lambda parent: [(c, n) for c, (n, p) in UNITS.items() if p == parent],
                            lambda code: UNITS.get(code, (None, None))[1])
    formats.set_unit_resolver(lambda code: code in UNITS)
    formats.set_unit_namer(lambda code: UNITS.get(code, (None,))[0])
    yield
    formats.set_unit_lister(None)


def _form():
    return form_of({"place": {"type": "string", "format": "vn-unit", "title": "Xã/phường nơi sinh",
                              "description": "Chọn tỉnh rồi chọn xã"}}, required=["place"])


def _options(select):
    return [(o["value"], o.get_text()) for o in select.select("option")]


def test_the_unit_is_chosen_by_name_in_two_labelled_lists(in_vi):
    html = soup(_form().render(locale="vi"))
    box = html.select_one("fieldset#mcf-place-group")
    assert box.select_one("legend").get_text().startswith("Xã/phường nơi sinh")
    province = box.select_one("select#mcf-place-province")
    commune = box.select_one("select#mcf-place")
    assert html.select_one("label[for=mcf-place-province]").get_text() == "Tỉnh/thành phố"
    assert html.select_one("label[for=mcf-place]").get_text() == "Xã/phường"
    assert _options(province) == [("", "— Chọn —"), ("75", "Tỉnh Đồng Nai"), ("24", "Tỉnh Bắc Ninh")]
    assert _options(commune) == [("", "— Chọn —")]
    assert commune["name"] == "place" and commune["aria-describedby"] == "mcf-place-desc"
    assert commune["aria-required"] == "true"
    button = box.select_one("button[name=_refresh]")
    assert button["value"] == "place" and button.has_attr("formnovalidate") and button["type"] == "submit"
    assert not box.select("input[type=text]")


def test_without_javascript_the_province_shows_its_communes_then_the_code_is_stored():
    form = _form()
    data, handled = form.handle_array_buttons(MultiDict([("place._province", "75"), ("place", ""), ("_refresh", "place")]))
    assert handled and data == {"place": "75"}
    html = soup(form.render(data))
    assert html.select_one("#mcf-place-province option[selected]")["value"] == "75"
    assert _options(html.select_one("#mcf-place"))[1:] == [("25279", "Xã Lộc Tấn"), ("25123", "Xã Tân Lợi"),
                                                          ("750", "Huyện Cũ")]
    data, handled = form.handle_array_buttons(MultiDict([("place._province", "75"), ("place", "25279")]))
    assert not handled and data == {"place": "25279"} and form.validate(data) == []
    html = soup(form.render(data))
    assert html.select_one("#mcf-place-province option[selected]")["value"] == "75"
    assert html.select_one("#mcf-place option[selected]")["value"] == "25279"
    assert form.render_readonly(data).count("Xã Lộc Tấn (25279)") == 1


def test_changing_the_province_drops_a_commune_of_the_old_one():
    form = _form()
    assert form.from_formdata(MultiDict([("place._province", "24"), ("place", "25279")])) == {"place": "24"}
    assert form.from_formdata(MultiDict([("place._province", ""), ("place", "")])) == {}


def test_errors_point_at_the_commune_list():
    form = _form()
    errors = [FieldError("/place", "Xã/phường nơi sinh: vui lòng chọn")]
    html = soup(form.render({}, errors))
    commune = html.select_one("#mcf-place")
    assert commune["aria-invalid"] == "true" and "mcf-place-error" in commune["aria-describedby"]
    assert html.select_one(".mcf-error-summary a")["href"] == "#mcf-place"


def test_a_commune_under_an_old_district_keeps_its_province_and_itself():
    html = soup(_form().render({"place": "26001"}))
    assert html.select_one("#mcf-place-province option[selected]")["value"] == "75"
    assert html.select_one("#mcf-place option[selected]")["value"] == "26001"


def test_without_a_unit_lister_the_field_is_a_code_input():
    formats.set_unit_lister(None)
    html = soup(_form().render())
    assert html.select_one("input#mcf-place[data-mcf-unit]") is not None
    assert html.select_one("select") is None
