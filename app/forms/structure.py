"""The form view of an object schema: merged properties, required sets, conditional branches."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import pointer_join, pointer_parts
from .titles import resolve_ref


@dataclass
class Branch:
    """A part of an object schema that applies only under a condition."""

    kind: str  # "then" | "else" | "present"
    mentions: frozenset[str]
    pointer: str
    test: object = None  # the "if" schema for then/else
    key: str | None = None  # the property whose presence activates a "present" branch


@dataclass
class ObjectView:
    """Everything the builder needs to lay out an object's children."""

    properties: dict[str, dict] = field(default_factory=dict)
    pointers: dict[str, str] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    cond_required: set[str] = field(default_factory=set)
    branches: list[Branch] = field(default_factory=list)
    required_pointers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def conditional(self) -> set[str]:
        """Properties mentioned by a branch and not required unconditionally."""
        mentioned = set().union(*(b.mentions for b in self.branches)) if self.branches else set()
        return mentioned - set(self.required)


def ref_pointer(node: object, pointer: str) -> str:
    """The schema pointer of a node after following its local $ref."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
        return pointer_join("", *pointer_parts(node["$ref"][1:]))
    return pointer


def merge_nodes(base: dict, extra: dict) -> dict:
    """Overlay a branch's view of a property on the base one (properties merged, required united)."""
    out = dict(base)
    for key, value in extra.items():
        if key == "properties" and isinstance(value, dict) and isinstance(out.get(key), dict):
            props = dict(out[key])
            for name, sub in value.items():
                props[name] = merge_nodes(props[name], sub) if isinstance(props.get(name), dict) and isinstance(sub, dict) else props.get(name, sub)
            out[key] = props
        elif key == "required" and isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = out[key] + [v for v in value if v not in out[key]]
        elif key not in out:
            out[key] = value
    return out


def names_of(root: dict, node: object, depth: int = 0) -> set[str]:
    """Property names a branch mentions: its properties and required (through $ref and allOf)."""
    node = resolve_ref(root, node)
    if not isinstance(node, dict) or depth > 8:
        return set()
    props = node.get("properties") if isinstance(node.get("properties"), dict) else {}
    found = {k for k, v in props.items() if v is not False}  # "x": false forbids, not mentions
    if isinstance(node.get("required"), list):
        found |= {r for r in node["required"] if isinstance(r, str)}
    for sub in node.get("allOf") or () if isinstance(node.get("allOf"), list) else ():
        found |= names_of(root, sub, depth + 1)
    return found


def object_view(root: dict, node: dict, pointer: str) -> ObjectView:
    """Collect an object's view from the node, its allOf members and its branches."""
    view = ObjectView()
    _collect(root, node, pointer, view, conditional=False, depth=0)
    return view


def _add_properties(view: ObjectView, node: dict, pointer: str) -> None:
    props = node.get("properties")
    if not isinstance(props, dict):
        return
    for name, sub in props.items():
        sub_pointer = pointer_join(pointer, "properties", name)
        if not isinstance(sub, dict):
            sub = {} if sub is True else {"not": {}}
        if name in view.properties:
            view.properties[name] = merge_nodes(view.properties[name], sub)
        else:
            view.properties[name] = sub
            view.pointers[name] = sub_pointer


def _collect(root: dict, node: object, pointer: str, view: ObjectView, conditional: bool, depth: int) -> None:
    pointer = ref_pointer(node, pointer)
    node = resolve_ref(root, node)
    if not isinstance(node, dict) or depth > 8:
        return
    _add_properties(view, node, pointer)
    required = [r for r in node.get("required") or () if isinstance(r, str)] if isinstance(node.get("required"), list) else []
    for name in required:
        view.required_pointers.append((name, pointer_join(pointer, "required")))
        if conditional:
            view.cond_required.add(name)
        elif name not in view.required:
            view.required.append(name)
    for i, sub in enumerate(node.get("allOf") or () if isinstance(node.get("allOf"), list) else ()):
        _collect(root, sub, pointer_join(pointer, "allOf", i), view, conditional, depth + 1)
    if "if" in node:
        for kind in ("then", "else"):
            if kind in node:
                sub_pointer = pointer_join(pointer, kind)
                view.branches.append(Branch(kind, frozenset(names_of(root, node[kind])), sub_pointer, test=node["if"]))
                _collect(root, node[kind], sub_pointer, view, True, depth + 1)
    dependent = node.get("dependentSchemas")
    if isinstance(dependent, dict):
        for key, sub in dependent.items():
            sub_pointer = pointer_join(pointer, "dependentSchemas", key)
            view.branches.append(Branch("present", frozenset(names_of(root, sub)), sub_pointer, key=key))
            _collect(root, sub, sub_pointer, view, True, depth + 1)
    dep_required = node.get("dependentRequired")
    if isinstance(dep_required, dict):
        for key, names in dep_required.items():
            names = [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
            sub_pointer = pointer_join(pointer, "dependentRequired", key)
            view.branches.append(Branch("present", frozenset(names), sub_pointer, key=key))
            view.cond_required |= set(names)
            view.required_pointers += [(n, sub_pointer) for n in names]
