#!/usr/bin/env bash
# Restore a backup of scripts/backup.sh: scripts/restore.sh SRC
# Into DATABASE_URL (an existing, empty PostgreSQL database) and UPLOAD_DIR (empty or absent).
set -euo pipefail
src=${1:?usage: scripts/restore.sh SRC_DIR}
: "${DATABASE_URL:?DATABASE_URL must name the (empty) PostgreSQL database to restore into}"
: "${UPLOAD_DIR:?UPLOAD_DIR must name the upload directory to restore into}"
url=${DATABASE_URL/postgresql+psycopg:/postgresql:}
url=${url/postgres:/postgresql:}
if [ -d "$UPLOAD_DIR" ] && [ -n "$(ls -A "$UPLOAD_DIR")" ]; then
  echo "restore: $UPLOAD_DIR is not empty; restore into an empty directory" >&2
  exit 1
fi
# 1. Check the copied files against the list made at backup time.
(cd "$src/files" && sha256sum --quiet --check "$src/files.sha256")
# 2. The database, all or nothing.
pg_restore --exit-on-error --single-transaction --no-owner --no-privileges --dbname="$url" \
  "$src/database.dump"
# 3. The files.
mkdir -p "$UPLOAD_DIR"
rsync -a "$src/files"/ "$UPLOAD_DIR"/
echo "restore: database and $(wc -l < "$src/files.sha256") files restored;" \
     "now run: flask db upgrade && flask audit verify && flask doctor --fix"
