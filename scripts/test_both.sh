#!/usr/bin/env bash
# The whole suite on SQLite and, when TEST_DATABASE_URL is set, again on PostgreSQL — the two
# runs side by side (each is one process; together they use both cores), each with its own
# Redis database. Each run's output goes to var/test-<db>.log; both are printed at the end,
# and the exit status is the first failure's.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
mkdir -p var
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  echo "== tests on SQLite =="
  exec "$BIN/python" -m pytest "$@"
fi
echo "== tests on SQLite and on PostgreSQL ($TEST_DATABASE_URL), side by side =="
start=$(date +%s)
env -u TEST_DATABASE_URL TEST_REDIS_URL=redis://127.0.0.1:6379/15 \
  "$BIN/python" -m pytest "$@" >var/test-sqlite.log 2>&1 &
sqlite=$!
TEST_REDIS_URL=redis://127.0.0.1:6379/14 "$BIN/python" -m pytest "$@" >var/test-postgresql.log 2>&1 &
postgresql=$!
wait $sqlite; sqlite_rc=$?
wait $postgresql; postgresql_rc=$?
for run in sqlite postgresql; do
  echo; echo "== tests on $run =="; cat "var/test-$run.log"
done
echo; echo "== both runs in $(( $(date +%s) - start )) s: SQLite exit $sqlite_rc, PostgreSQL exit $postgresql_rc =="
[ $sqlite_rc -ne 0 ] && exit $sqlite_rc
exit $postgresql_rc
