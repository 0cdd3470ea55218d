"""Base field class, the type registry and the render context."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, ClassVar

from markupsafe import Markup, escape

from ..i18n import node_text
from ..messages import ui_text
from ..templating import macro

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING", "__bool__": lambda self: False})()
FIELD_TYPES: dict[str, type[Field]] = {}
_STARS: dict[str, Markup] = {}

AUTOCOMPLETE = {
    "full_name": "name",
    "phone": "tel",
    "email": "email",
    "date_of_birth": "bday",
    "address": "street-address",
    "gender": "sex",
    "citizen_id": "off",
}


def register(cls: type[Field]) -> type[Field]:
    """Class decorator adding a field type to the registry under its type_name."""
    FIELD_TYPES[cls.type_name] = cls
    return cls


class View:
    """The values one macro reads as attributes (a missing one reads as None)."""

    def __init__(self, **values: Any):
        self.__dict__.update(values)

    def __getattr__(self, key: str) -> Any:  # only called for names never set
        return None

    def update(self, **values: Any) -> None:
        """Set several values."""
        self.__dict__.update(values)


class RenderContext:
    """Per-render state: locale, errors by form name, name prefix, rendered names (in the order
    they appear on the page: a group before the fields inside it)."""

    def __init__(self, locale: str, errors: dict[str, list[str]], prefix: str = ""):
        self.locale = locale
        self.errors = errors
        self.prefix = prefix
        self.rendered: dict[str, int] = {}  # name → its place on the page
        self._texts: dict[str, str] = {}
        self._values: dict[str, Any] = {}

    def text(self, key: str) -> str:
        """A cached UI text in this render's locale."""
        if key not in self._texts:
            self._texts[key] = ui_text(key, self.locale)
        return self._texts[key]

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        """A value computed once per render (e.g. a list of units shared by several fields)."""
        if key not in self._values:
            self._values[key] = compute()
        return self._values[key]

    def star(self) -> Markup:
        """The required marker, rendered once per locale."""
        text = self.text("required")
        if text not in _STARS:
            _STARS[text] = macro("star")(text)
        return _STARS[text]

    def mark_rendered(self, name: str) -> None:
        """Note that the field (or group, or list item) of this name is on the page, here."""
        self.rendered.setdefault(name, len(self.rendered))

    def id_for(self, name: str) -> str:
        """The HTML id of a field's control (stable, prefix-aware)."""
        return "mcf-" + (self.prefix + name).replace(".", "-").replace(" ", "_")

    def input_name(self, name: str) -> str:
        """The submitted name of a field (prefix + dotted path)."""
        return self.prefix + name


class Field:
    """A form field generated from one schema node; subclasses per type."""

    type_name: ClassVar[str] = ""
    widgets: ClassVar[tuple[str, ...]] = ("hidden",)
    input_type: ClassVar[str] = "text"
    inputmode: ClassVar[str | None] = None
    autocomplete: ClassVar[str | None] = None

    def __init__(self, key: str | None, node: dict, ui: dict, pointer: str):
        self.key = key
        self.node = node
        self.ui = ui
        self.pointer = pointer
        self.required = False
        self.cond_required = False
        self.html_required = False
        self.when: list | None = None
        self.conditional = False
        self.ui_pointer = ""
        self.read_only = node.get("readOnly") is True
        self.prefill_key = node.get("x-prefill")
        options = ui.get("ui:options") or {}
        self.widget = ui.get("ui:widget") or options.get("widget")
        self.hidden = self.widget == "hidden"
        self.children: list[Field] = []
        self._memo: dict = {}

    def setup(self, problems: list) -> None:
        """Hook for subclasses to prepare options and report definition problems."""

    # texts
    def ui_value(self, key: str, locale: str) -> Any:
        """A ui: text in the locale (ui x-i18n, then the ui node, then ui:options); memoized."""
        memo_key = (key, locale)
        if memo_key not in self._memo:
            self._memo[memo_key] = self._ui_value(key, locale)
        return self._memo[memo_key]

    def _ui_value(self, key: str, locale: str) -> Any:
        value = node_text(self.ui, key, locale)
        if value is None:
            value = (self.ui.get("ui:options") or {}).get(key.removeprefix("ui:"))
        return value

    def label(self, locale: str) -> str:
        """The field title in the locale."""
        memo_key = ("label", locale)
        if memo_key not in self._memo:
            self._memo[memo_key] = self.ui_value("ui:title", locale) or node_text(self.node, "title", locale) or self.key or ""
        return self._memo[memo_key]

    def description(self, locale: str) -> str | None:
        """The schema description (or ui:description) in the locale."""
        memo_key = ("description", locale)
        if memo_key not in self._memo:
            self._memo[memo_key] = self.ui_value("ui:description", locale) or node_text(self.node, "description", locale)
        return self._memo[memo_key]

    # values
    def default(self) -> Any:
        """The schema default, or MISSING."""
        return self.node.get("default", MISSING)

    def input_text(self, value: Any) -> str:
        """The value as shown in a text input."""
        if value is None or value is MISSING:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    def parse(self, raw: str) -> Any:
        """Turn one non-empty submitted string into the JSON value (keep it if it does not convert)."""
        return raw.strip()

    def convert(self, form: Any, name: str, ctx: Any) -> Any:
        """Read this field from flattened form data; MISSING when left empty."""
        values = form.getlist(ctx.input_name(name))
        if not values or not values[-1].strip():
            return MISSING
        return self.parse(values[-1])

    def display(self, value: Any, locale: str) -> str:
        """The value as plain text for read-only views and PDFs."""
        if value is None or value is MISSING or value == "":
            return ui_text("empty", locale)
        return self.input_text(value)

    def readonly_html(self, value: Any, ctx: RenderContext) -> Markup:
        """The value as escaped HTML for read-only views."""
        return escape(self.display(value, ctx.locale))

    def rows(self, value: Any, locale: str, depth: int) -> list[tuple[str, str, int]]:
        """(label, text, depth) rows for plain-text read-only output."""
        return [(self.label(locale), self.display(value, locale), depth)]

    # rendering
    macro_name: ClassVar[str] = "field"

    def render(self, ctx: RenderContext, value: Any, name: str) -> Markup:
        """The field's HTML (label, hints, errors and control) from its macro."""
        ctx.mark_rendered(name)
        if self.hidden:
            return macro("hidden")(ctx.id_for(name), ctx.input_name(name), self.input_text(value))
        return macro(self.macro_name)(self.macro_view(ctx, value, name))

    def macro_view(self, ctx: RenderContext, value: Any, name: str) -> View:
        """What the macro shows: the memoized static part, then what depends on value and errors."""
        key = ("view", ctx.locale, ctx.prefix, name)
        static = self._memo.get(key)
        if static is None:
            static = self._memo[key] = self.static_view(ctx, name)
        v = View(**static)
        errors = ctx.errors.get(name)
        if errors:
            v.update(errors=errors, invalid=True, hinted=True, css=v.css + " mcf-field--error",
                     described=f"{v.described} {v.fid}-error" if v.described else f"{v.fid}-error")
        self.control_view(v, ctx, value)
        return v

    def static_view(self, ctx: RenderContext, name: str) -> dict:
        """Ids, names, texts and flags of the field at `name` (the same on every render)."""
        locale = ctx.locale
        fid = ctx.id_for(name)
        desc = self.description(locale)
        help_text = self.ui_value("ui:help", locale)
        described = " ".join(f"{fid}-{suffix}" for suffix, text in (("desc", desc), ("help", help_text)) if text)
        required = self.required or self.cond_required
        static = dict(fid=fid, input_name=ctx.input_name(name), name=name, label=self.label(locale),
                      css=f"mcf-field mcf-field--{self.type_name}", when=self.when_json(ctx, name),
                      star=ctx.star() if required else "", desc=desc, help=help_text,
                      hinted=bool(described), described=described or None,
                      html_required=self.html_required, aria_required=required, readonly=self.read_only)
        static.update(self.static_control(ctx, fid))
        return static

    def static_control(self, ctx: RenderContext, fid: str) -> dict:
        """The <input> element's fixed attributes."""
        extra = dict(inputmode=self.inputmode, placeholder=self.ui_value("ui:placeholder", ctx.locale),
                     autocomplete=self.ui.get("ui:autocomplete") or AUTOCOMPLETE.get(self.prefill_key) or self.autocomplete)
        extra.update(self.extra_view())
        return dict(control="input", input_type=self.input_type, extra=any(v is not None for v in extra.values()), **extra)

    def control_view(self, v: View, ctx: RenderContext, value: Any) -> None:
        """The control's current value."""
        v.value = self.input_text(value)

    def extra_view(self) -> dict:
        """Type-specific attributes (maxlength, min, max…)."""
        return {}

    def when_json(self, ctx: RenderContext, name: str) -> str | None:
        """The show-if conditions forms.js evaluates, with prefixed sibling names."""
        if not self.when:
            return None
        clauses = [
            {**c, "all": [{**t, "name": ctx.input_name(_sibling(name, t["name"]))} for t in c["all"]]}
            for c in self.when
        ]
        return json.dumps(clauses, ensure_ascii=False, separators=(",", ":"))


def _sibling(name: str, key: str) -> str:
    """The dotted name of a sibling property of the field `name`."""
    head, _, _ = name.rpartition(".")
    return f"{head}.{key}" if head else key
