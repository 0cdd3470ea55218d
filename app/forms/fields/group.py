"""Grouping fields: an object as a fieldset, an array as a repeatable group."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from ..messages import ui_text
from ..templating import join, macro
from .base import MISSING, Field, RenderContext, View, register


@register
class ObjectField(Field):
    """A JSON object: a fieldset (or the whole form at the root) of child fields."""

    type_name = "object"
    widgets = ()
    is_root = False
    implied = False  # required by the group rule (it has required fields), not by the schema

    def default(self) -> Any:
        """Defaults of the children (or the object's own default)."""
        if "default" in self.node:
            return self.node["default"]
        out = {c.key: d for c in self.children if (d := c.default()) is not MISSING}
        return out if (out or self.required or self.is_root) else MISSING

    def child_name(self, name: str, key: str) -> str:
        """Dotted name of a child."""
        return f"{name}.{key}" if name else key

    macro_name = "group"

    def render_children(self, ctx: RenderContext, value: Any, name: str) -> Markup:
        """Every child, fed with its part of the value."""
        value = value if isinstance(value, dict) else {}
        return join(c.render(ctx, value.get(c.key, MISSING), self.child_name(name, c.key)) for c in self.children)

    def static_control(self, ctx: RenderContext, fid: str) -> dict:
        """An x-optional group with required fields says it may be left all empty."""
        if self.node.get("x-optional") is not True or not any(c.required for c in self.children):
            return {}
        return {"optional_hint": ctx.text("optional_group"), "hinted": True}

    def static_view(self, ctx: RenderContext, name: str) -> dict:
        """The optional-group hint is described first."""
        static = super().static_view(ctx, name)
        if static.get("optional_hint"):
            own = f"{static['fid']}-optional"
            static["described"] = f"{own} {static['described']}" if static["described"] else own
        return static

    def control_view(self, v: View, ctx: RenderContext, value: Any) -> None:
        """A fieldset with a legend around the children."""
        v.body = self.render_children(ctx, value, v.name)

    def convert(self, form: Any, name: str, ctx: Any) -> Any:
        """A dict of the converted children; MISSING when all are empty (unless required)."""
        out = {}
        for child in self.children:
            child_name = self.child_name(name, child.key)
            value = ctx.previous_value(child_name) if child.read_only and ctx.has_previous else child.convert(form, child_name, ctx)
            if value is not MISSING:
                out[child.key] = value
        return out if (out or self.required or self.is_root) else MISSING

    def readonly_html(self, value: Any, ctx: RenderContext) -> Markup:
        """A definition list of the children."""
        value = value if isinstance(value, dict) else {}
        rows = [(child.type_name, child.label(ctx.locale), child.readonly_html(value.get(child.key, MISSING), ctx))
                for child in self.children
                if not (child.hidden or (child.conditional and child.key not in value))]
        return macro("readonly")(rows)

    def rows(self, value: Any, locale: str, depth: int) -> list[tuple[str, str, int]]:
        """A heading row then the children one level deeper (the root adds no row)."""
        value = value if isinstance(value, dict) else {}
        out = [] if self.is_root else [(self.label(locale), "", depth)]
        inner = depth if self.is_root else depth + 1
        for child in self.children:
            if child.hidden or (child.conditional and child.key not in value):
                continue
            out += child.rows(value.get(child.key, MISSING), locale, inner)
        return out


@register
class RepeatField(Field):
    """An array of objects (or of single values): "add another" groups."""

    type_name = "repeat"
    widgets = ()

    @property
    def item(self) -> Field:
        """The field describing one item."""
        return self.children[0]

    def option(self, key: str, default: Any) -> Any:
        """A ui:options entry."""
        return (self.ui.get("ui:options") or {}).get(key, default)

    def empty_item(self) -> Any:
        """What "add another" appends."""
        return {} if isinstance(self.item, ObjectField) else ""

    def default(self) -> Any:
        """The schema default, else minItems empty items."""
        if "default" in self.node:
            return self.node["default"]
        count = self.node.get("minItems", 0)
        return [self.empty_item() for _ in range(count)] if count else MISSING

    def item_label(self, locale: str, num: int | str) -> str:
        """"Con 2" from the items' title, else "Item 2"."""
        title = self.item.label(locale) if (self.item.node.get("title") or self.item.ui.get("ui:title")) else ""
        return f"{title} {num}" if title else ui_text("item", locale, num=num)

    macro_name = "repeat"

    def control_view(self, v: View, ctx: RenderContext, value: Any) -> None:
        """Items, a no-JS add button, and a <template> for forms.js."""
        name = v.name
        items = value if isinstance(value, list) else []
        low, high = self.node.get("minItems", 0), self.node.get("maxItems")
        removable = self.option("removable", True) and len(items) > low
        add_label = None
        if self.option("addable", True) and not self.read_only:
            add_label = self.ui_value("ui:addLabel", ctx.locale) or ctx.text("add")
        memo_key = ("template", ctx.locale, ctx.prefix, name)
        template = self._memo.get(memo_key)
        if template is None:
            template = self.render_item(RenderContext(ctx.locale, {}, ctx.prefix), MISSING, name, "__i__", "__n__", True)
            self._memo[memo_key] = template
        v.update(body=join(self.render_item(ctx, item, name, i, i + 1, removable) for i, item in enumerate(items)),
                 template=template, add_label=add_label, full=high is not None and len(items) >= high,
                 next=len(items), low=low, high=high)

    def render_item(self, ctx: RenderContext, value: Any, name: str, index: Any, num: Any, removable: bool) -> Markup:
        """One item in its own fieldset, with its remove button."""
        item_name = f"{name}.{index}"
        if isinstance(self.item, ObjectField):
            ctx.mark_rendered(item_name)
            inner = self.item.render_children(ctx, value, item_name)
        else:
            inner = self.item.render(ctx, value, item_name)
        remove_label = None
        if removable and self.option("removable", True) and not self.read_only:
            remove_label = self.ui_value("ui:removeLabel", ctx.locale) or ctx.text("remove")
        return macro("repeat_item")(View(fid=ctx.id_for(item_name), index=index, name=item_name, body=inner,
                                         legend=self.item_label(ctx.locale, num), remove_label=remove_label))

    def indices(self, form: Any, name: str, ctx: Any) -> list[int]:
        """Item indices present in the submitted names, in numeric order."""
        start = ctx.input_name(name) + "."
        found = set()
        for key in form.keys():
            if key.startswith(start):
                head = key[len(start):].split(".", 1)[0]
                if head.isdigit():
                    found.add(int(head))
        return sorted(found)

    def convert(self, form: Any, name: str, ctx: Any) -> Any:
        """The list of converted items; empty items are dropped unless kept for "add"."""
        out = []
        for index in self.indices(form, name, ctx):
            item_name = f"{name}.{index}"
            if item_name in ctx.skip:
                continue
            value = self.item.convert(form, item_name, ctx)
            if value is MISSING:
                if not ctx.keep_empty:
                    continue
                value = self.empty_item()
            out.append(value)
        return out if (out or self.required) else MISSING

    def readonly_html(self, value: Any, ctx: RenderContext) -> Markup:
        """A numbered list of the items."""
        if not isinstance(value, list) or not value:
            return escape(ctx.text("empty"))
        return macro("readonly_items")([(self.item_label(ctx.locale, i + 1), self.item.readonly_html(item, ctx))
                                        for i, item in enumerate(value)])

    def rows(self, value: Any, locale: str, depth: int) -> list[tuple[str, str, int]]:
        """A heading row, then one row (or block) per item."""
        items = value if isinstance(value, list) else []
        if not items:
            return [(self.label(locale), ui_text("empty", locale), depth)]
        out = [(self.label(locale), "", depth)]
        for i, item in enumerate(items):
            label = self.item_label(locale, i + 1)
            if isinstance(self.item, ObjectField):
                out.append((label, "", depth + 1))
                out += [r for r in self.item.rows(item, locale, depth + 1)[1:]]
            else:
                out.append((label, self.item.display(item, locale), depth + 1))
        return out
