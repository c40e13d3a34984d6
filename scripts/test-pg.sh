#!/usr/bin/env bash
# Run the pytest suite against a private, throwaway PostgreSQL cluster.
#
#   scripts/test-pg.sh [PYTEST_ARGS...]
#
# The cluster lives in a temp dir, listens on 127.0.0.1 on a free port with its
# socket in that dir (never the system cluster's), and is stopped and deleted
# on exit, whatever happens. Needs .venv from `scripts/bootstrap.sh --dev`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
# A bare CI environment may have a minimal PATH (runuser lives in /usr/sbin).
PATH="${PATH:-/usr/bin:/bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

if [ ! -x "$PY" ]; then
    echo "No .venv: run scripts/bootstrap.sh --dev (or make test-pg) first" >&2
    exit 1
fi

# Sets INITDB/PG_CTL/CREATEDB: PATH first, then Debian's newest
# /usr/lib/postgresql/<version>/bin. Tools come from one bin dir, so versions match.
find_pg_tools() {
    local bindir="" dirs=() d
    if command -v initdb >/dev/null 2>&1; then
        bindir=$(dirname "$(readlink -f "$(command -v initdb)")")
    else
        shopt -s nullglob # no match must give an empty list, not the pattern
        dirs=(/usr/lib/postgresql/*/bin)
        shopt -u nullglob
        if [ "${#dirs[@]}" -gt 0 ]; then
            d=$(printf '%s\n' "${dirs[@]}" | sort -r -V | head -n 1)
            [ -x "$d/initdb" ] && bindir=$d
        fi
    fi
    [ -n "$bindir" ] || return 1
    INITDB=$bindir/initdb
    PG_CTL=$bindir/pg_ctl
    CREATEDB=$bindir/createdb
    [ -x "$PG_CTL" ] || PG_CTL=$(command -v pg_ctl) || return 1
    [ -x "$CREATEDB" ] || CREATEDB=$(command -v createdb) || return 1
}

if ! find_pg_tools; then
    # Installs the server as root; otherwise names the package and exits 1.
    bash "$ROOT/scripts/ensure-system-packages.sh" postgresql
    find_pg_tools || {
        echo "PostgreSQL server binaries (initdb, pg_ctl) not found" >&2
        exit 1
    }
fi

# initdb and postgres refuse to run as root: run them as the postgres user.
if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        echo "Running as root but there is no 'postgres' user to own the cluster" >&2
        exit 1
    fi
    as_pg() { (cd "$PGDIR" && runuser -u postgres -- "$@"); } # cwd: root's may be unreadable
else
    as_pg() { "$@"; }
fi

# Socket paths are limited to ~107 bytes, so stay directly under /tmp.
PGDIR=$(mktemp -d /tmp/thidua-pg.XXXXXX)

# shellcheck disable=SC2317  # invoked by the trap, not unreachable
cleanup() {
    local rc=$?
    # Stop the server if it got as far as writing its pid file, even when
    # `pg_ctl start` itself failed or timed out.
    if [ -f "$PGDIR/data/postmaster.pid" ]; then
        as_pg "$PG_CTL" -D "$PGDIR/data" -m fast -s stop || true
    fi
    rm -rf "$PGDIR"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$PGDIR"
    # mktemp made it 0700 under world-traversable /tmp; prove postgres can use it.
    if ! runuser -u postgres -- test -w "$PGDIR"; then
        echo "The postgres user cannot write to $PGDIR" >&2
        exit 1
    fi
fi

if ! as_pg "$INITDB" -D "$PGDIR/data" -A trust -E UTF8 --locale=C.UTF-8 --no-sync -U postgres \
    >"$PGDIR/initdb.log" 2>&1; then
    cat "$PGDIR/initdb.log" >&2
    echo "initdb failed" >&2
    exit 1
fi

# Ask the kernel for a free port (tiny race until postgres binds it; fine here).
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# Durability is pointless for a throwaway cluster: fsync off makes it much faster.
if ! as_pg "$PG_CTL" -D "$PGDIR/data" -l "$PGDIR/log" -s -w \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -k $PGDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start; then
    echo "PostgreSQL failed to start; end of its log:" >&2
    tail -n 30 "$PGDIR/log" >&2 || true
    exit 1
fi

as_pg "$CREATEDB" -h 127.0.0.1 -p "$PORT" -U postgres thidua
echo "PostgreSQL $("$INITDB" --version | awk '{print $3}') on 127.0.0.1:$PORT ($PGDIR)"

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/thidua"
# Keep the exit code (5 = no tests collected is a failure too); the EXIT trap
# stops the cluster and passes the code on.
rc=0
DJANGO_SETTINGS_MODULE=config.settings.test "$PY" -m pytest "$@" || rc=$?
exit "$rc"
