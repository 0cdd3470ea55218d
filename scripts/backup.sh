#!/usr/bin/env bash
# Back up the database and the uploaded files together: scripts/backup.sh DEST
# Reads DATABASE_URL (PostgreSQL) and UPLOAD_DIR, as the application does. See docs/operations.md.
set -euo pipefail
dest=${1:?usage: scripts/backup.sh DEST_DIR}
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database}"
: "${UPLOAD_DIR:?UPLOAD_DIR must name the upload directory}"
url=${DATABASE_URL/postgresql+psycopg:/postgresql:}
url=${url/postgres:/postgresql:}
mkdir -p "$dest/files"
# 1. The database first: one consistent snapshot (pg_dump runs in a single transaction).
pg_dump --format=custom --no-owner --no-privileges --file="$dest/database.dump" "$url"
# 2. Then the files. A file is written before its row commits and removed only after its row is
#    gone, so every file the snapshot names already exists now. Files newer than the snapshot
#    come along too; after a restore `flask doctor --fix` removes them as orphans.
#    No --delete: a backup directory reused from the last run keeps what was copied before.
if [ -d "$UPLOAD_DIR" ]; then
  rsync -a --exclude='.upload-*' "$UPLOAD_DIR"/ "$dest/files"/
fi
(cd "$dest/files" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) > "$dest/files.sha256"
date -u +%Y-%m-%dT%H:%M:%SZ > "$dest/CREATED"
echo "backup: $(wc -l < "$dest/files.sha256") files and the database in $dest"
