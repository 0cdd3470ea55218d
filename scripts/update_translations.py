"""Refresh the catalogues: extract messages, update vi/en, take translations from pending/*.po.

Run with `make extract-messages`. Prints the msgids still untranslated in Vietnamese.
"""
from __future__ import annotations

import subprocess
from datetime import datetime, timezone
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"


def load(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def save(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False)


def main() -> int:
    pybabel = str(Path(sys.executable).parent / "pybabel")
    subprocess.run([pybabel, "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
                    "--project", "MotCua", "-o", str(POT.relative_to(ROOT)), "app"],
                   check=True, cwd=ROOT)
    pending: dict = {}
    for po in sorted((TRANSLATIONS / "pending").glob("*.po")):
        for message in load(po, "vi"):
            if message.id and message.string and (not isinstance(message.string, tuple) or all(message.string)):
                pending.setdefault(message.id, message.string)
    missing = []
    for locale in ("vi", "en"):
        path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
        catalog = load(path, locale) if path.exists() else Catalog(locale=locale, project="MotCua")
        catalog.update(load(POT), no_fuzzy_matching=True)  # a fresh template: update() shares objects
        catalog.obsolete.clear()
        for message in catalog:
            if not message.id:
                continue
            message.flags.discard("fuzzy")
            # Our texts use %(name)s; braces in them are literal (notification placeholders).
            message.flags.discard("python-brace-format")
            if locale == "vi" and not (any(message.string) if isinstance(message.string, tuple) else message.string) and message.id in pending:
                message.string = pending[message.id]
            if locale == "vi" and (not message.string or (isinstance(message.string, tuple) and not all(message.string))):
                missing.append(message.id)
        catalog.last_translator = "MotCua contributors"
        catalog.language_team = "MotCua contributors"
        catalog.revision_date = datetime.now(timezone.utc)
        save(catalog, path)
    for msgid in missing:
        print(f"untranslated (vi): {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
