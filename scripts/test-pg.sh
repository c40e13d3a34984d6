#!/usr/bin/env bash
# Run the pytest suite against a private, throwaway PostgreSQL cluster.
#
#   scripts/test-pg.sh [PYTEST_ARGS...]
#
# The cluster lives in a temp dir, listens on 127.0.0.1 on a free port with its
# socket in that dir (never the system cluster's), and is stopped and deleted
# on exit, whatever happens (scripts/pg-cluster.sh). Needs .venv from
# `scripts/bootstrap.sh --dev`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
# shellcheck source=scripts/pg-cluster.sh
source "$ROOT/scripts/pg-cluster.sh"

if [ ! -x "$PY" ]; then
    echo "No .venv: run scripts/bootstrap.sh --dev (or make test-pg) first" >&2
    exit 1
fi

pg_cluster_tools

# Socket paths are limited to ~107 bytes, so stay directly under /tmp.
TMPDIR_PG=$(mktemp -d /tmp/thidua-pg.XXXXXX)

# shellcheck disable=SC2317  # invoked by the trap, not unreachable
cleanup() {
    local rc=$?
    pg_cluster_stop
    rm -rf "$TMPDIR_PG"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# No autovacuum: every test rolls its rows back, so tables fill with dead rows that
# autovacuum then vacuums, setting their planner row count to 0 while their pages stay.
# A later test filling such a table in its own transaction got plans for an empty table
# (nested loops over thousands of rows: a demo test ran 12+ minutes). Never-vacuumed
# tables are estimated from their current size instead.
PG_EXTRA_OPTIONS="-c autovacuum=off ${PG_EXTRA_OPTIONS:-}" pg_cluster_start "$TMPDIR_PG"
pg_cluster_createdb thidua
echo "PostgreSQL $("$INITDB" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT ($PGDIR)"

export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/thidua"
# Keep the exit code (5 = no tests collected is a failure too); the EXIT trap
# stops the cluster and passes the code on.
rc=0
DJANGO_SETTINGS_MODULE=config.settings.test "$PY" -m pytest "$@" || rc=$?
exit "$rc"
