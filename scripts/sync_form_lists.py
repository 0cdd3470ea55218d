"""Write the current official lists into the `$defs` of the shipped definition files.

Each file keeps its lists in `$defs/ethnic_group` and `$defs/nationality` (the form engine resolves
local references only). After changing app/procedures/lists/*.json, run from the repository root:
    .venv/bin/python scripts/sync_form_lists.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.procedures.reference_lists import stale_lists, with_current_lists  # noqa: E402


def main() -> int:
    for path in sorted((ROOT / "forms_schema").glob("*.json")):
        definition = json.loads(path.read_text(encoding="utf-8"))
        if stale_lists(definition["schema"]):
            definition["schema"] = with_current_lists(definition["schema"])
            path.write_text(json.dumps(definition, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            print(f"updated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
