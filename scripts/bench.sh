#!/usr/bin/env bash
# The benchmark (`make bench`): a private PostgreSQL cluster, then `manage.py bench`.
#
#   scripts/bench.sh [--keep-db] [BENCH_ARGS...]     (see `manage.py bench --help`)
#
# Without --keep-db the cluster lives in a temp dir and is stopped and deleted on exit,
# like scripts/test-pg.sh's (scripts/pg-cluster.sh). With --keep-db it lives in
# $BENCH_DIR (default /var/tmp/thidua-bench), is only stopped on exit, and the next run
# reuses the databases built there (the national one takes minutes to build); files the
# demo writes (issued PDFs, evidence) are kept beside it. Installs wrk as root if missing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
# shellcheck source=scripts/pg-cluster.sh
source "$ROOT/scripts/pg-cluster.sh"

if [ ! -x "$PY" ]; then
    echo "No .venv: run make setup-dev first" >&2
    exit 1
fi

keep=false
for arg in "$@"; do
    [ "$arg" = "--keep-db" ] && keep=true
done

bash "$ROOT/scripts/ensure-system-packages.sh" wrk
pg_cluster_tools

if $keep; then
    STATE=${BENCH_DIR:-/var/tmp/thidua-bench}
    mkdir -p "$STATE"
else
    # Socket paths are limited to ~107 bytes, so stay directly under /tmp.
    STATE=$(mktemp -d /tmp/thidua-bench.XXXXXX)
fi

# shellcheck disable=SC2317  # invoked by the trap, not unreachable
cleanup() {
    local rc=$?
    pg_cluster_stop
    $keep || rm -rf "$STATE"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The cluster's directory belongs to postgres (as root); the application's files do not.
mkdir -p "$STATE/pg" "$STATE/files/media" "$STATE/files/private"
chmod 0755 "$STATE"
pg_cluster_start "$STATE/pg"
echo "PostgreSQL $("$INITDB" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT ($PGDIR)"

export BENCH_CLUSTER_URL="postgres://postgres@127.0.0.1:$PG_PORT"
export BENCH_STATE_DIR="$STATE/files"
# The orchestrating process itself touches no application table.
export DATABASE_URL="$BENCH_CLUSTER_URL/postgres"
export DJANGO_SETTINGS_MODULE=config.settings.bench
export DJANGO_READ_DOT_ENV_FILE=false
export DJANGO_MEDIA_ROOT="$STATE/files/media"
export DJANGO_PRIVATE_MEDIA_ROOT="$STATE/files/private"
rc=0
"$PY" manage.py bench "$@" || rc=$?
exit "$rc"
