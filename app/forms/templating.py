"""The engine's own Jinja environment: field macros rendered with autoescape."""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")
_BETWEEN_LINES = re.compile(r"\n[ \t]*")


class CompactLoader(FileSystemLoader):
    """Drops each line break and the indentation after it, so templates stay readable
    while the fragment has no stray text nodes (attributes carry their own leading space)."""

    def get_source(self, environment: Environment, template: str):
        source, filename, uptodate = super().get_source(environment, template)
        return _BETWEEN_LINES.sub("", source), filename, uptodate


ENV = Environment(  # noqa: S701 - autoescape is on
    loader=CompactLoader(TEMPLATES),
    autoescape=True,
    auto_reload=False,
    keep_trailing_newline=False,
)
_module = None


def macro(name: str) -> Callable[..., Markup]:
    """A macro of templates/mcf/fields.html (the template is compiled once)."""
    global _module
    if _module is None:
        _module = ENV.get_template("mcf/fields.html").module
    return getattr(_module, name)


def join(parts) -> Markup:
    """Concatenate rendered pieces (plain strings among them are escaped)."""
    return Markup("").join(parts)
