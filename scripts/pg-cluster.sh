# A private PostgreSQL cluster on 127.0.0.1, for the test suite and the benchmark.
# Sourced, not run:
#
#   source scripts/pg-cluster.sh
#   pg_cluster_tools                 # find initdb/pg_ctl/createdb (installs them as root)
#   pg_cluster_start /tmp/thidua-pg.XXXX   # initdb unless DIR/data exists, start, set PG_PORT
#   pg_cluster_createdb NAME         # createdb on that cluster
#   pg_cluster_stop                  # fast stop (safe to call twice, or before a start)
#
# The cluster listens on a free loopback port with its socket in DIR (never the system
# cluster's), with fsync off: it holds throwaway data. Callers decide what happens to DIR:
# scripts/test-pg.sh deletes it on exit; scripts/bench.sh keeps it with --keep-db so the
# next run reuses the databases it built. Needs ROOT (the repository) and PY (.venv's
# Python) set by the caller; written for `set -euo pipefail`.

# A bare CI environment may have a minimal PATH (runuser lives in /usr/sbin).
PATH="${PATH:-/usr/bin:/bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

PGDIR=""
PG_PORT=""

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

pg_cluster_tools() {
    if ! find_pg_tools; then
        # Installs the server as root; otherwise names the package and exits 1.
        bash "$ROOT/scripts/ensure-system-packages.sh" postgresql
        find_pg_tools || {
            echo "PostgreSQL server binaries (initdb, pg_ctl) not found" >&2
            exit 1
        }
    fi
    # initdb and postgres refuse to run as root: run them as the postgres user.
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        echo "Running as root but there is no 'postgres' user to own the cluster" >&2
        exit 1
    fi
}

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd "$PGDIR" && runuser -u postgres -- "$@") # cwd: root's may be unreadable
    else
        "$@"
    fi
}

# pg_cluster_start DIR: DIR must exist (e.g. from mktemp -d). Socket paths are limited
# to ~107 bytes, so keep DIR short and directly under /tmp or /var/tmp.
pg_cluster_start() {
    PGDIR=$1
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$PGDIR"
        # mktemp made it 0700 under world-traversable /tmp; prove postgres can use it.
        if ! runuser -u postgres -- test -w "$PGDIR"; then
            echo "The postgres user cannot write to $PGDIR" >&2
            exit 1
        fi
    fi
    if [ ! -f "$PGDIR/data/PG_VERSION" ]; then
        if ! as_pg "$INITDB" -D "$PGDIR/data" -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
            -U postgres >"$PGDIR/initdb.log" 2>&1; then
            cat "$PGDIR/initdb.log" >&2
            echo "initdb failed" >&2
            exit 1
        fi
    fi
    # Ask the kernel for a free port (tiny race until postgres binds it; fine here).
    PG_PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # Durability is pointless for a throwaway cluster: fsync off makes it much faster.
    if ! as_pg "$PG_CTL" -D "$PGDIR/data" -l "$PGDIR/log" -s -w \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PGDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${PG_EXTRA_OPTIONS:-}" \
        start; then
        echo "PostgreSQL failed to start; end of its log:" >&2
        tail -n 30 "$PGDIR/log" >&2 || true
        exit 1
    fi
}

pg_cluster_createdb() {
    as_pg "$CREATEDB" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$1"
}

# Stop the server if it got as far as writing its pid file, even when `pg_ctl start`
# itself failed or timed out.
pg_cluster_stop() {
    if [ -n "$PGDIR" ] && [ -f "$PGDIR/data/postmaster.pid" ]; then
        as_pg "$PG_CTL" -D "$PGDIR/data" -m fast -s stop || true
    fi
}
