#!/usr/bin/env bash
# (Re)build the Vietnamese catalogue of Flask-AppBuilder's own strings.
#
#   1. extracts FAB's msgids from the installed package (Python + Jinja2 templates)
#      into translations/fab/messages.pot,
#   2. adds the msgids that FAB's own shipped catalogues
#      (flask_appbuilder/translations/*/LC_MESSAGES/messages.po) attribute to
#      flask_appbuilder/ but the extractor does not find (e.g. strings still
#      used by older templates or by apps that override them),
#   3. creates (first run) or updates translations/fab/vi/LC_MESSAGES/messages.po,
#      keeping every existing translation.
#
# Run from the repository root:  scripts/fab_catalog.sh
set -euo pipefail

cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PY="$VENV/bin/python"
PYBABEL="$VENV/bin/pybabel"
OUT=translations/fab
POT="$OUT/messages.pot"
LOCALE=vi
PO="$OUT/$LOCALE/LC_MESSAGES/messages.po"

FAB_DIR=$("$PY" -c 'import os, flask_appbuilder; print(os.path.dirname(flask_appbuilder.__file__))')
FAB_VERSION=$("$PY" -c 'from importlib.metadata import version; print(version("flask-appbuilder"))')

mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/babel.cfg" <<'CFG'
[python: **.py]
[jinja2: **/templates/**.html]
extensions=jinja2.ext.i18n
CFG

# 1. Extract from the installed package. Run from site-packages so that the
#    source references read "flask_appbuilder/...".
PYBABEL_ABS=$(cd "$(dirname "$PYBABEL")" && pwd)/$(basename "$PYBABEL")
(
    cd "$(dirname "$FAB_DIR")"
    "$PYBABEL_ABS" -q extract --sort-by-file \
        -F "$tmp/babel.cfg" \
        -k lazy_gettext -k __ -k lazy_formatter_gettext:1 \
        --project=MotCua --version="fab-$FAB_VERSION" \
        --copyright-holder="MotCua contributors" \
        --msgid-bugs-address="https://github.com/motcua/motcua/issues" \
        -o "$tmp/extracted.pot" flask_appbuilder
)

# 2. Merge in msgids only present in FAB's shipped catalogues.
"$PY" - "$tmp/extracted.pot" "$POT" "$FAB_DIR"/translations/*/LC_MESSAGES/messages.po <<'PYEOF'
import io
import os
import re
import sys
from babel.messages.pofile import read_po, write_po

extracted_path, out_path, *ref_paths = sys.argv[1:]
with open(extracted_path, "rb") as f:
    cat = read_po(f)

# FAB's shipped .po headers carry dates Babel cannot parse ("2025-01-21");
# drop the date headers before parsing, only the msgids matter here.
date_hdr = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date):.*\n', re.M)

added = 0
for ref_path in sorted(ref_paths):
    with open(ref_path, "rb") as f:
        data = date_hdr.sub(b"", f.read())
    ref = read_po(io.BytesIO(data))
    lang = ref_path.split(os.sep)[-3]
    for msg in ref:
        if not msg.id or msg.id in cat:
            continue
        # Only FAB's own strings (not its examples/ apps), and only English
        # msgids (one shipped catalogue has a stray Greek msgid).
        if not any(loc.startswith("flask_appbuilder/") for loc, _ in msg.locations):
            continue
        if not msg.id.isascii():
            continue
        cat.add(msg.id, context=msg.context,
                auto_comments=[f"not found by the extractor; from FAB's {lang} catalogue"])
        added += 1

cat.fuzzy = False
with open(out_path, "wb") as f:
    write_po(f, cat, sort_by_file=True, width=76)
print(f"{out_path}: {len(cat)} msgids ({added} taken from FAB's catalogue)")
PYEOF

# 3. Create or update the Vietnamese catalogue.
if [[ -f "$PO" ]]; then
    "$PYBABEL" update --no-fuzzy-matching --ignore-obsolete \
        -i "$POT" -d "$OUT" -D messages -l "$LOCALE"
else
    "$PYBABEL" init -i "$POT" -d "$OUT" -D messages -l "$LOCALE"
fi

# pybabel update keeps the .po's own Project-Id-Version; record the FAB version.
sed -i "s|^\"Project-Id-Version: .*|\"Project-Id-Version: MotCua fab-$FAB_VERSION\\\\n\"|" "$PO"

# Report what still needs translating.
if command -v msgfmt >/dev/null 2>&1; then
    msgfmt --statistics -c -o /dev/null "$PO"
fi
