"""Field types: one small class per type, registered by type name."""

from . import choice, group, scalar, unit  # noqa: F401 - registers the classes
from .base import FIELD_TYPES, MISSING, Field, RenderContext, register

__all__ = ["FIELD_TYPES", "MISSING", "Field", "RenderContext", "register"]
