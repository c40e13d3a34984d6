#!/usr/bin/env bash
# Serve Thi đua for development: the background worker beside the development server.
#
#   scripts/serve.sh [ADDR:PORT]      (default 127.0.0.1:8000; `make run` calls it)
#
# Long jobs (the province-wide dossier) are queued in the database and run by
# `manage.py db_worker`, a separate process. Here it runs beside `runserver`; when the
# server stops (Ctrl-C, or it fails to start) the worker is stopped too: it is given
# a few seconds to end a job it is running, then killed. A job cut short is marked
# failed (or, if the worker was killed, counts as abandoned after 30 minutes without
# progress) and can be started again from its page. The worker does not reload on
# code changes (its reloader would kill a job without a trace): restart the script
# after editing a task. In production the worker is a service of its own, next to
# the web server.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PY:-$PWD/.venv/bin/python}
ADDRPORT=${1:-127.0.0.1:8000}

# Both run as background jobs and the script waits for the server: a signal to the
# script (Ctrl-C, or a TERM from whoever started it) runs the traps at once, which
# stop both processes (a wait on a foreground command would delay them).
WORKER=""
SERVER=""

stop() {
    trap - EXIT INT TERM
    local pid
    for pid in $SERVER $WORKER; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for _ in $(seq 50); do
        local alive=""
        for pid in $SERVER $WORKER; do
            if kill -0 "$pid" 2>/dev/null; then alive=1; fi
        done
        [ -n "$alive" ] || return 0
        sleep 0.2
    done
    echo "serve.sh: the server or the worker did not stop; killing them." >&2
    for pid in $SERVER $WORKER; do
        kill -KILL "$pid" 2>/dev/null || true
    done
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$PY" manage.py db_worker --no-reload &
WORKER=$!
"$PY" manage.py runserver "$ADDRPORT" &
SERVER=$!
wait "$SERVER"
