"""Benchmark of the form engine on the birth-registration definition: python bench/bench_forms.py."""

from __future__ import annotations

import glob
import json
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from werkzeug.datastructures import MultiDict  # noqa: E402

from app.forms.engine import compile_schema  # noqa: E402


def load_definition() -> tuple[str, dict]:
    """forms_schema/1.001193*.json if present, else the test fixture."""
    found = sorted(glob.glob(os.path.join(ROOT, "forms_schema", "1.001193*.json")))
    path = found[0] if found else os.path.join(ROOT, "tests", "forms", "data", "birth_registration.json")
    with open(path, encoding="utf-8") as handle:
        return os.path.relpath(path, ROOT), json.load(handle)


SAMPLES = {"text": "Nguyễn Văn A", "textarea": "Ghi chú", "date": "2020-01-02", "email": "a@example.vn",
           "datetime": "2024-05-01T08:30", "phone": "0912345678", "citizen_id": "001090123456", "unit": "25123"}


def fill(field, name: str, pairs: list) -> None:
    """Append what a citizen filling every field (one item per group) would post."""
    kind = field.type_name
    if kind == "object":
        for child in field.children:
            fill(child, f"{name}.{child.key}" if name else child.key, pairs)
    elif kind == "repeat":
        fill(field.item, f"{name}.0", pairs)
    elif kind in ("select", "radio", "checkboxes"):
        pairs.append((name, field.options[0][1]))
    elif kind == "boolean":
        pairs += [(name, "false"), (name, "true")]
    elif kind in ("integer", "number"):
        pairs.append((name, str(int(field.node.get("minimum", 1)))))
    else:
        pairs.append((name, SAMPLES[kind][: field.node.get("maxLength", 100)]))


def sample_formdata(form) -> MultiDict:
    """A filled-in post for every field of the form."""
    pairs: list = []
    fill(form.root, "", pairs)
    return MultiDict(pairs)


def measure(fn, repeat: int) -> list[float]:
    """Wall times in milliseconds."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    """Print a table of median / p95 timings."""
    name, definition = load_definition()
    schema, ui = definition["schema"], definition.get("ui_schema")
    cold = measure(lambda: compile_schema(schema, ui), 20)
    form = compile_schema(schema, ui)
    formdata = sample_formdata(form)
    data = form.from_formdata(formdata)
    errors = form.validate(data)
    rows = [
        ("compile (cold)", cold),
        ("render (warm)", measure(lambda: form.render(data), 500)),
        ("render with errors", measure(lambda: form.render(data, errors), 500)),
        ("convert formdata", measure(lambda: form.from_formdata(formdata), 500)),
        ("validate (prune + jsonschema)", measure(lambda: form.validate(data), 500)),
        ("convert + validate", measure(lambda: form.validate(form.from_formdata(formdata)), 500)),
        ("render + validate", measure(lambda: (form.render(data), form.validate(data)), 500)),
        ("render read-only", measure(lambda: form.render_readonly(data), 500)),
    ]
    fields = sum(1 for _ in form.walk())
    print(f"definition: {name} ({fields} fields), {len(errors)} validation errors on the sample")
    print(f"{'operation':32} {'median ms':>10} {'p95 ms':>10}")
    for label, times in rows:
        p95 = sorted(times)[int(len(times) * 0.95) - 1]
        print(f"{label:32} {statistics.median(times):10.3f} {p95:10.3f}")


if __name__ == "__main__":
    main()
