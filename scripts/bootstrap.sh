#!/usr/bin/env bash
# Prepare a checkout: .venv (Python >= 3.12), node_modules (Bootstrap), compiled
# translations.
#
#   scripts/bootstrap.sh          runtime dependencies
#   scripts/bootstrap.sh --dev    plus test/lint tools (pytest, playwright, ruff...)
#   scripts/bootstrap.sh --find-python   only print a Python >= 3.12 (for `make lock`)
#
# Idempotent and fast when nothing changed: stamp files record what pip and npm
# installed, keyed on a hash of their inputs.
set -euo pipefail

mode=runtime
case "${1:-}" in
    --dev) mode=dev ;;
    --find-python) mode=find-python ;;
    "") ;;
    *)
        echo "usage: $0 [--dev | --find-python]" >&2
        exit 2
        ;;
esac

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
VENV=$ROOT/.venv

# Prints the interpreter's real path if $1 runs and is Python >= 3.12.
# pyenv shims exist on PATH but may fail (no version selected), and a
# `python3` may be Debian's 3.11, so each candidate is actually executed.
python_ok() {
    local out
    out=$("$1" -c 'import sys; print(sys.version_info >= (3, 12), sys.executable)' 2>/dev/null) || return 1
    [ "${out%% *}" = True ] || return 1
    echo "${out#* }"
}

# The version in .python-version (the one requirements.lock was made with)
# comes first, so developers and CI run the same interpreter; any other
# Python >= 3.12 is the fallback.
find_python() {
    local wanted="" cand path real
    [ -f "$ROOT/.python-version" ] && wanted=$(tr -d '[:space:]' <"$ROOT/.python-version")
    for cand in ${wanted:+python$wanted} python3.13 python3.12 python3; do
        path=$(command -v "$cand" 2>/dev/null) || continue
        real=$(python_ok "$path") && { echo "$real"; return 0; }
    done
    # CI may run with a bare PATH, without pyenv: look at its versions directly.
    # HOME may be unset in a bare environment: fall back to the passwd entry.
    local home=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
    local pyenv_root=${PYENV_ROOT:-$home/.pyenv}
    local found=()
    shopt -s nullglob # an unmatched glob must expand to nothing, not to itself
    found=("$pyenv_root"/versions/*/bin/python3)
    shopt -u nullglob
    [ "${#found[@]}" -gt 0 ] || return 1
    while IFS= read -r path; do
        real=$(python_ok "$path") && { echo "$real"; return 0; }
    done < <(
        # wanted version first, then the others newest first
        printf '%s\n' "${found[@]}" | sort -r -V | grep -F "/versions/${wanted:-none}" || true
        printf '%s\n' "${found[@]}" | sort -r -V
    )
    return 1
}

if [ "$mode" = find-python ]; then
    find_python || {
        echo "Thi đua needs Python >= 3.12; install it (e.g. pyenv install 3.12) and run again" >&2
        exit 1
    }
    exit 0
fi

# --- Python virtualenv -------------------------------------------------------
# Reuse .venv only if its interpreter still runs and is new enough (a venv
# whose base Python was removed or upgraded is a dangling symlink).
if [ -e "$VENV" ] && ! python_ok "$VENV/bin/python" >/dev/null; then
    echo "Recreating .venv (its Python is missing, broken or older than 3.12)"
    rm -rf "$VENV"
fi
if [ ! -e "$VENV" ]; then
    if ! PYTHON=$(find_python); then
        echo "Thi đua needs Python >= 3.12; install it (e.g. pyenv install 3.12) and run again" >&2
        exit 1
    fi
    echo "Creating .venv with $PYTHON ($("$PYTHON" -c 'import platform; print(platform.python_version())'))"
    "$PYTHON" -m venv "$VENV"
fi

# One stamp per (pyproject.toml, requirements.lock) content and mode. A dev
# install is a superset, so it also satisfies a runtime request.
deps_hash=$(cat pyproject.toml requirements.lock | sha256sum | cut -c1-16)
stamp_dev=$VENV/.installed-$deps_hash-dev
stamp_runtime=$VENV/.installed-$deps_hash-runtime
if [ "$mode" = dev ]; then
    stamp=$stamp_dev target='.[dev]'
else
    stamp=$stamp_runtime target='.'
fi

if [ -e "$stamp" ] || { [ "$mode" = runtime ] && [ -e "$stamp_dev" ]; }; then
    : # dependencies already installed for these inputs
else
    echo "Installing Python dependencies ($mode)..."
    pip_log=$(mktemp)
    trap 'rm -f "$pip_log"' EXIT
    # pip warns about every unreachable find-links/index location in the
    # host's pip config ("Location ... is ignored"): hide those, keep the rest.
    if "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
        -c requirements.lock -e "$target" >"$pip_log" 2>&1; then
        grep -v -E "Location '.*' is ignored" "$pip_log" || true
    else
        rc=$?
        grep -v -E "Location '.*' is ignored" "$pip_log" >&2 || true
        echo "pip install failed (exit $rc); for details run:" >&2
        echo "  .venv/bin/python -m pip install -c requirements.lock -e '$target'" >&2
        exit "$rc"
    fi
    rm -f "$VENV"/.installed-*
    touch "$stamp"
fi

# --- Front-end assets (Bootstrap from npm, served from node_modules) ---------
if ! command -v npm >/dev/null 2>&1; then
    # Installs nodejs/npm as root, otherwise names them and exits 1.
    echo "npm is needed for Bootstrap's CSS/JS (Debian packages: nodejs npm)" >&2
    bash "$ROOT/scripts/ensure-system-packages.sh" nodejs npm
fi
npm_stamp=node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)
if [ ! -e "$npm_stamp" ]; then
    echo "Installing front-end packages (npm ci)..."
    npm ci --no-audit --no-fund
    touch "$npm_stamp" # after npm ci, which empties node_modules first
fi

# --- Translations ---------------------------------------------------------------
if [ ! -f manage.py ]; then
    echo "note: manage.py not found yet; skipping compilemessages"
    exit 0
fi
if ! command -v msgfmt >/dev/null 2>&1; then
    bash "$ROOT/scripts/ensure-system-packages.sh" gettext
fi
# .mo files are not committed; .venv and node_modules hold foreign catalogs.
"$VENV/bin/python" manage.py compilemessages -v 0 --ignore=.venv --ignore=node_modules
