"""Public entry points of the form engine: validate, compile_schema, compile_cached."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from referencing import Registry

from . import problems as P
from . import validation
from .build import Builder
from .checks import keyword_problems, meta_problems
from .compiled import CompiledForm
from .errors import FieldError, Problem, SchemaError
from .i18n import resolve_locale, translate
from .messages import UNCHECKABLE
from .titles import Description, describe

__all__ = ["CompiledForm", "FieldError", "SchemaError", "cached_form", "compile_cached",
           "compile_schema", "matches", "validate"]

# A compiled form keeps its schema and field tree: 0.1–0.7 MB for the shipped forms (the birth
# registration 0.65 MB), so the bound is what a worker's memory can carry (docs/performance.md,
# "Worker memory"), not the number of procedures a portal offers: 128 would be up to ≈ 80 MB.
CACHE_SIZE = 32
_cache: OrderedDict[Hashable, CompiledForm] = OrderedDict()
_lock = threading.Lock()


def validate(schema: dict, instance: object, locale: str | None = None, *,
             registry: Registry = validation.NO_RETRIEVAL) -> list[FieldError]:
    """Validate an instance with full draft 2020-12 semantics; localized FieldErrors, never raises."""
    locale = resolve_locale(locale)
    try:
        validator = validation.make_validator(schema, registry)
    except Exception:  # noqa: BLE001 - a schema jsonschema cannot even load
        return [FieldError("", translate(UNCHECKABLE, locale), "schema")]

    def about(pointer: str, loc: str) -> Description:
        return describe(schema, pointer, loc) if isinstance(schema, dict) else Description(pointer, "", "text")

    return validation.run(validator, instance, about, locale)


def matches(schema: dict, instance: object, *, registry: Registry = validation.NO_RETRIEVAL) -> bool:
    """Whether the instance is valid under the schema — `not validate(...)` without building a
    localized message per error; False for a schema jsonschema cannot check or a too deep
    instance, as validate's errors would say."""
    if validation.too_deep(instance):
        return False
    try:
        return validation.make_validator(schema, registry).is_valid(instance)
    except Exception:  # noqa: BLE001 - an unresolvable $ref or a broken schema
        return False


def compile_schema(schema: dict, ui_schema: dict | None = None, *, locale: str | None = None) -> CompiledForm:
    """Check and compile a form definition; raises SchemaError listing every problem (texts in `locale`)."""
    problems: list[Problem] = meta_problems(schema)
    if not isinstance(schema, dict):
        raise SchemaError(problems or [Problem("schema", "", P.NOT_AN_OBJECT)], locale)
    problems += keyword_problems(schema)
    if ui_schema is not None and not isinstance(ui_schema, dict):
        problems.append(Problem("ui_schema", "", P.UI_NOT_AN_OBJECT))
        ui_schema = None
    try:  # even beside meta-schema violations, so that every problem is listed at once
        builder = Builder(schema, ui_schema)
        root = builder.build_root()
        problems += builder.problems
    except (TypeError, AttributeError, KeyError, ValueError, IndexError):
        if not meta_problems_block(problems):
            raise
    if problems:
        raise SchemaError(_unique(problems), locale)
    return CompiledForm(schema, ui_schema, root, builder.branches, builder.warnings)


def cached_form(key: Hashable) -> CompiledForm | None:
    """The form compile_cached holds for this key, if any (nothing is compiled)."""
    with _lock:
        form = _cache.get(key)
        if form is not None:
            _cache.move_to_end(key)
        return form


def compile_cached(key: Hashable, schema: dict, ui_schema: dict | None = None) -> CompiledForm:
    """compile_schema memoized by key, e.g. (procedure_code, version); LRU of CACHE_SIZE."""
    with _lock:
        form = _cache.get(key)
        if form is not None:
            _cache.move_to_end(key)
            return form
    form = compile_schema(schema, ui_schema)
    with _lock:
        _cache[key] = form
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return form


def clear_cache() -> None:
    """Forget every compiled form (tests, or after editing a procedure in place)."""
    with _lock:
        _cache.clear()


def meta_problems_block(problems: list[Problem]) -> bool:
    """Whether meta-schema violations make building the field tree pointless."""
    return any(p.message.startswith(P.META_PREFIX) for p in problems)


def _unique(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for problem in problems:
        if str(problem) not in seen:
            seen.add(str(problem))
            out.append(problem)
    return out
