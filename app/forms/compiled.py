"""CompiledForm: the object views and the API call to render, convert, validate and display."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from . import validation
from .conditions import fill_implied_groups, prune
from .errors import FieldError, Problem, pointer_parts
from .fields import MISSING, Field, RenderContext
from .fields.group import ObjectField, RepeatField
from .i18n import resolve_locale
from .templating import macro
from .titles import Description, describe


class ConvertContext:
    """Options of one from_formdata call."""

    def __init__(self, prefix: str, previous: dict | None, keep_empty: bool, skip: Iterable[str]):
        self.prefix = prefix
        self.previous = previous
        self.has_previous = previous is not None
        self.keep_empty = keep_empty
        self.skip = set(skip)

    def input_name(self, name: str) -> str:
        """The submitted name of a field."""
        return self.prefix + name

    def previous_value(self, name: str) -> Any:
        """A value of the previous data by dotted name (read-only fields keep it)."""
        value: Any = self.previous
        for part in name.split("."):
            if isinstance(value, dict) and part in value:
                value = value[part]
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                return MISSING
        return value


class CompiledForm:
    """A form compiled from a schema and UI schema; immutable and shareable between threads."""

    def __init__(self, schema: dict, ui_schema: dict | None, root: ObjectField, branches: list,
                 warnings: list[Problem] | None = None):
        self.schema = schema
        self.warnings = list(warnings or ())  # Problems that do not stop the form (the group rule)
        self.ui_schema = ui_schema or {}
        self.root = root
        self.validator = validation.make_validator(validation.for_checking(schema))
        self._checkers = {id(b): self.validator.evolve(schema=b.test) for b in branches if b.kind != "present"}
        self._descriptions: dict[tuple[str, str], Description] = {}

    @property
    def fields(self) -> list[Field]:
        """The top-level fields (each with .children for groups)."""
        return self.root.children

    def walk(self) -> Iterable[tuple[str, Field]]:
        """(dotted name, field) for every field; array items appear as "name.*"."""
        stack = [("", f) for f in reversed(self.root.children)]
        while stack:
            base, field = stack.pop()
            name = f"{base}.{field.key}" if base else str(field.key)
            yield name, field
            if isinstance(field, RepeatField):
                item = field.item
                children = item.children if isinstance(item, ObjectField) else []
                stack += [(name + ".*", c) for c in reversed(children)]
            else:
                stack += [(name, c) for c in reversed(field.children)]

    # data
    def defaults(self) -> dict:
        """Initial data from the schema defaults (and minItems empty items)."""
        value = self.root.default()
        return value if isinstance(value, dict) else {}

    def prefill(self, profile: dict) -> dict:
        """Defaults plus x-prefill fields filled from the citizen's profile."""
        data = self.defaults()
        stack: list[tuple[ObjectField, dict]] = [(self.root, data)]
        while stack:
            group, target = stack.pop()
            for child in group.children:
                if child.prefill_key and profile.get(child.prefill_key) not in (None, ""):
                    target[child.key] = profile[child.prefill_key]
                elif isinstance(child, ObjectField):
                    sub = target.get(child.key)
                    sub = sub if isinstance(sub, dict) else {}
                    stack.append((child, sub))
                    target[child.key] = sub
        return _drop_empty_objects(data, self.root)

    def from_formdata(self, formdata: Any, prefix: str = "", previous: dict | None = None, *,
                      keep_empty: bool = False, skip: Iterable[str] = ()) -> dict:
        """Flattened form data (MultiDict) → JSON; unconvertible text is kept as typed."""
        ctx = ConvertContext(prefix, previous, keep_empty, skip)
        value = self.root.convert(formdata, "", ctx)
        return value if isinstance(value, dict) else {}

    def handle_array_buttons(self, formdata: Any, prefix: str = "", previous: dict | None = None) -> tuple[dict, bool]:
        """Apply a no-JS "_add"/"_remove"/"_refresh" button; handled=True means re-render instead of saving."""
        add, remove = formdata.get("_add"), formdata.get("_remove")
        if not add and not remove:
            # "_refresh" (the unit picker without JavaScript): show the chosen province's communes
            return self.from_formdata(formdata, prefix, previous), bool(formdata.get("_refresh"))
        data = self.from_formdata(formdata, prefix, previous, keep_empty=True, skip=[remove] if remove else ())
        if add:
            field, target = self._locate(add, data)
            if isinstance(field, RepeatField) and target is not None:
                high = field.node.get("maxItems")
                if high is None or len(target) < high:
                    target.append(field.empty_item())
        return data, True

    def _locate(self, name: str, data: dict) -> tuple[Field | None, list | None]:
        """The repeat field and its list in data for a dotted name such as "children.0.vaccines"."""
        field: Field = self.root
        container: Any = data
        parts = name.split(".")
        for i, part in enumerate(parts):
            if isinstance(field, RepeatField):
                if not part.isdigit() or not isinstance(container, list) or int(part) >= len(container):
                    return None, None
                field, container = field.item, container[int(part)]
                continue
            field = next((c for c in field.children if c.key == part), None)
            if field is None or not isinstance(container, dict):
                return None, None
            if i == len(parts) - 1:
                if not isinstance(container.get(part), list):
                    container[part] = []
                return field, container[part]
            container = container.setdefault(part, [] if isinstance(field, RepeatField) else {})
        return None, None

    def prune(self, data: dict) -> dict:
        """A copy of data without the values of fields whose condition does not hold."""
        return prune(self.root, data, self._checkers) if isinstance(data, dict) else data

    def check(self, data: Any, locale: str | None = None) -> tuple[Any, list[FieldError]]:
        """Prune, then validate with jsonschema: (pruned data, errors)."""
        locale = resolve_locale(locale)
        if validation.too_deep(data):
            return data, validation.run(self.validator, data, self.describe, locale)
        pruned = self.prune(data)
        checked = fill_implied_groups(self.root, pruned, self._checkers) if isinstance(pruned, dict) else pruned
        return pruned, validation.run(self.validator, checked, self.describe, locale)

    def warning_texts(self, locale: str | None = None) -> list[str]:
        """The warnings as "#/pointer: text" in the locale (for the editor and import)."""
        return [w.localized(locale) for w in self.warnings]

    def validate(self, data: Any, locale: str | None = None) -> list[FieldError]:
        """Errors of the pruned data (empty list = valid)."""
        return self.check(data, locale)[1]

    def describe(self, pointer: str, locale: str) -> Description:
        """Label, section path and kind of the field at an instance pointer (cached)."""
        key = (pointer, locale)
        if key not in self._descriptions:
            self._descriptions[key] = describe(self.schema, pointer, locale)
        return self._descriptions[key]

    # rendering
    def render(self, data: dict | None = None, errors: list[FieldError] | None = None,
               locale: str | None = None, prefix: str = "") -> Markup:
        """The form's HTML fragment (error summary, then the fields)."""
        locale = resolve_locale(locale)
        by_name: dict[str, list[str]] = {}
        for error in errors or ():
            by_name.setdefault(".".join(pointer_parts(error.path)), []).append(error.message)
        ctx = RenderContext(locale, by_name, prefix)
        value = self.defaults() if data is None else data
        body = self.root.render_children(ctx, value, "")
        if not errors:
            return macro("form")(ctx.id_for("_form"), body)
        return macro("form")(ctx.id_for("_form"), body, ctx.id_for("_summary"), ctx.text("summary"),
                             self._summary_links(ctx, errors))

    def _summary_links(self, ctx: RenderContext, errors: Iterable[FieldError]) -> list[tuple[str, str]]:
        """(target id, text) per error: the field itself, else its nearest rendered group, else the
        form — in the order the fields appear on the page (jsonschema reports them in the order of
        its keywords: a condition's `required` after every `properties` error, whatever the page)."""
        links = []
        for error in errors:
            name = ".".join(pointer_parts(error.path))
            while name and name not in ctx.rendered:
                name = name.rpartition(".")[0]
            place = ctx.rendered.get(name, -1) if name else -1
            links.append((place, ctx.id_for(name) if name else ctx.id_for("_form"), error.summary_text))
        links.sort(key=lambda link: link[0])  # stable: errors of one field keep their order
        return [(target, text) for _place, target, text in links]

    def render_readonly(self, data: dict, locale: str | None = None) -> Markup:
        """The filled form as a definition list (review page, officer screen)."""
        return self.root.readonly_html(data, RenderContext(resolve_locale(locale), {}))

    def readonly_rows(self, data: dict, locale: str | None = None) -> list[tuple[str, str, int]]:
        """(label, value text, depth) rows for PDFs and plain-text output."""
        return self.root.rows(data, resolve_locale(locale), 0)


def _drop_empty_objects(data: dict, root: ObjectField) -> dict:
    """Remove optional groups that prefill left empty."""
    for child in root.children:
        if isinstance(child, ObjectField) and isinstance(data.get(child.key), dict):
            _drop_empty_objects(data[child.key], child)
            if not data[child.key] and not child.required:
                del data[child.key]
    return data
