"""Choice fields: select, radio and checkboxes from enum or oneOf/anyOf consts."""

from __future__ import annotations

import json
import re
from typing import Any

from .. import problems as P
from ..errors import Problem
from ..messages import ui_text
from .base import MISSING, Field, RenderContext, View, register

_CAPITALIZED_WORD = re.compile(r"[A-ZÀ-Ỹ][a-zà-ỹ]+")


def self_explanatory(value: object) -> bool:
    """A value readable as text: has a space or a non-ASCII letter, or is a capitalized word."""
    if not isinstance(value, str) or not value.strip():
        return False
    if any(ch.isalpha() for ch in value) and (" " in value.strip() or not value.isascii()):
        return True
    return _CAPITALIZED_WORD.fullmatch(value) is not None


def encode(value: object) -> str:
    """An option's value attribute: strings as they are, other JSON as JSON text."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def choice_source(node: dict) -> dict | None:
    """The node holding the choices (itself, or the items of an array), if any."""
    consts = node.get("oneOf") or node.get("anyOf")
    if "enum" in node or (isinstance(consts, list) and consts and all(isinstance(c, dict) and "const" in c for c in consts)):
        return node
    return None


class ChoiceField(Field):
    """Common logic of the choice fields: options, labels, decoding."""

    def choice_node(self) -> dict:
        """Where the enum/consts live (items for checkboxes)."""
        return self.node

    def setup(self, problems: list) -> None:
        """Collect (value, labels-by-locale) and report missing titles."""
        node = self.choice_node()
        self.options: list[tuple[Any, str, dict[str, str]]] = []
        if node.get("type") == "boolean" and "enum" not in node and "oneOf" not in node and "anyOf" not in node:
            self.options = [(True, "true", {}), (False, "false", {})]
            self.by_code = {"true": True, "false": False}
            return
        consts = node.get("oneOf") or node.get("anyOf")
        if consts and "enum" not in node:
            for member in consts:
                labels = {"vi": member.get("title")} if isinstance(member.get("title"), str) else {}
                en = ((member.get("x-i18n") or {}).get("en") or {}).get("title")
                if en:
                    labels["en"] = en
                self.options.append((member["const"], encode(member["const"]), labels))
        else:
            values = node.get("enum") or []
            vi = self.ui_list("ui:enumNames", "vi")
            en = self.ui_list("ui:enumNames", "en") or ((node.get("x-i18n") or {}).get("en") or {}).get("enumNames")
            for where, names in (("ui:enumNames", vi), ("x-i18n/en/enumNames", en)):
                if names is not None and (not isinstance(names, list) or len(names) != len(values)):
                    problems.append(Problem("ui_schema" if where.startswith("ui") else "schema",
                                            self.ui_pointer if where.startswith("ui") else self.pointer,
                                            P.TITLE_COUNT, {"where": where, "count": len(values)}))
                    names = None
            for i, value in enumerate(values):
                labels = {}
                if isinstance(vi, list) and len(vi) == len(values):
                    labels["vi"] = str(vi[i])
                if isinstance(en, list) and len(en) == len(values):
                    labels["en"] = str(en[i])
                self.options.append((value, encode(value), labels))
        for value, _, labels in self.options:
            if "vi" not in labels and not self_explanatory(value):
                problems.append(Problem("schema", self.pointer, P.CHOICE_TITLE, {"value": P.quoted(value)}))
                break
        self.by_code = {code: value for value, code, _ in self.options}

    def ui_list(self, key: str, locale: str) -> Any:
        """A list-valued ui text for one locale only (no fallback)."""
        if locale == "vi":
            return self.ui.get(key, (self.ui.get("ui:options") or {}).get(key.removeprefix("ui:")))
        return ((self.ui.get("x-i18n") or {}).get(locale) or {}).get(key)

    def option_label(self, value: Any, labels: dict[str, str], locale: str) -> str:
        """An option's label in the locale (Vietnamese, then the raw value as fallback)."""
        if isinstance(value, bool) and not labels:
            return ui_text("yes" if value else "no", locale)
        return labels.get(locale) or labels.get("vi") or encode(value)

    def decode(self, raw: str) -> Any:
        """The JSON value of a submitted option; unknown text is kept as is."""
        return self.by_code.get(raw, raw)

    def parse(self, raw: str) -> Any:
        """Submitted code → enum value."""
        return self.decode(raw)

    def display(self, value: Any, locale: str) -> str:
        """The chosen option's label."""
        for option, _, labels in self.options:
            if option == value and type(option) is type(value):
                return self.option_label(option, labels, locale)
        return super().display(value, locale)


@register
class SelectField(ChoiceField):
    """A drop-down list (default for enums)."""

    type_name = "select"
    widgets = ("select", "hidden")

    def static_control(self, ctx: RenderContext, fid: str) -> dict:
        """The <select>'s options as (code, label)."""
        return {"control": "select", "labels": [(code, self.option_label(option, labels, ctx.locale))
                                                for option, code, labels in self.options]}

    def control_view(self, v: View, ctx: RenderContext, value: Any) -> None:
        """An empty first option, the options with the current one selected; an unknown value is kept."""
        current = None if value is MISSING or value is None else encode(value)
        choices = [("", False, ctx.text("choose"))]
        if current is not None and current not in self.by_code:
            choices.append((current, True, current))
        choices += [(code, code == current, text) for code, text in v.labels]
        v.choices = choices


@register
class RadioField(ChoiceField):
    """Radio buttons in a fieldset (ui:widget radio, ui:options inline)."""

    type_name = "radio"
    widgets = ("radio", "hidden")
    input_kind = "radio"

    macro_name = "choices"

    def static_control(self, ctx: RenderContext, fid: str) -> dict:
        """A fieldset/legend group; the first option carries the field id."""
        return dict(radio=self.input_kind == "radio", input_kind=self.input_kind,
                    inline=bool((self.ui.get("ui:options") or {}).get("inline")),
                    labels=[(fid if i == 0 else f"{fid}-{i}", code, self.option_label(option, labels, ctx.locale))
                            for i, (option, code, labels) in enumerate(self.options)])

    def control_view(self, v: View, ctx: RenderContext, value: Any) -> None:
        """Each option's id, code, ticked flag and label."""
        chosen = self.chosen(value)
        v.choices = [(oid, code, code in chosen, text) for oid, code, text in v.labels]

    def chosen(self, value: Any) -> set[str]:
        """Codes of the selected options."""
        return set() if value is MISSING or value is None else {encode(value)}


@register
class CheckboxesField(RadioField):
    """Several choices (array of enum items) as checkboxes."""

    type_name = "checkboxes"
    widgets = ("checkboxes",)
    input_kind = "checkbox"

    def choice_node(self) -> dict:
        """Choices come from the array's items."""
        return self.node.get("items") or {}

    def chosen(self, value: Any) -> set[str]:
        """Codes of all selected options."""
        return {encode(v) for v in value} if isinstance(value, list) else set()

    def convert(self, form: Any, name: str, ctx: Any) -> Any:
        """All ticked values, decoded; MISSING when none."""
        values = [v for v in form.getlist(ctx.input_name(name)) if v.strip()]
        return [self.decode(v) for v in values] if values else MISSING

    def input_text(self, value: Any) -> str:
        """Hidden rendering keeps a JSON list."""
        return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else super().input_text(value)

    def display(self, value: Any, locale: str) -> str:
        """Labels of the chosen options, comma-separated."""
        if not isinstance(value, list) or not value:
            return super().display(value, locale)
        return ", ".join(ChoiceField.display(self, item, locale) for item in value)
