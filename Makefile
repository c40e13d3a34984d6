# Thi đua: developer commands. `make` (or `make help`) lists them.
#
# Every recipe runs in the repository root ($(CURDIR)), so use `make` there or
# `make -C <repo>`; `make -f <repo>/Makefile` from elsewhere is refused below.

MAKEFILE_DIR := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
ifneq ($(MAKEFILE_DIR),$(CURDIR))
$(error Run make from the repository root, e.g. make -C $(MAKEFILE_DIR) $(MAKECMDGOALS))
endif

# bash with -e/pipefail: a failing command in a recipe line fails the target.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PY := $(CURDIR)/.venv/bin/python
RUFF := $(CURDIR)/.venv/bin/ruff
# Scripts are run through bash so a lost executable bit cannot break them.
ENSURE := bash $(CURDIR)/scripts/ensure-system-packages.sh
BOOTSTRAP := bash $(CURDIR)/scripts/bootstrap.sh
# Tests never read a developer's .env (it could point them at another database).
TEST_ENV := DJANGO_SETTINGS_MODULE=config.settings.test DJANGO_READ_DOT_ENV_FILE=false

# Debian packages: msgfmt/xgettext and WeasyPrint's pango for the app; PDF text
# extraction, Chromium and Liberation 2.x fonts (Vietnamese glyphs) for tests.
RUN_PKGS := gettext libpango-1.0-0 libpangoft2-1.0-0
TEST_PKGS := $(RUN_PKGS) poppler-utils chromium fonts-liberation2

PYTEST_ARGS ?=
# Browser tests write their screenshots here.
export TEST_OUTPUT_DIR := $(CURDIR)/test-results

.PHONY: help setup setup-dev run test test-pg bench lint fmt messages lock clean

help: ## List the targets
	@echo "Thi đua - make targets:"
	@awk 'BEGIN { FS = ":.*## " } /^[a-z][a-z-]*:.*## / { printf "  make %-10s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)
	@echo "Pass pytest options with PYTEST_ARGS, e.g. make test PYTEST_ARGS='-k ranking -x'"

setup: ## Install system packages, .venv, Bootstrap (npm) and compile translations
	$(ENSURE) $(RUN_PKGS)
	$(BOOTSTRAP)

setup-dev: ## Like setup, plus test tools, Chromium and PDF utilities
	$(ENSURE) $(TEST_PKGS)
	$(TEST_ENV) $(BOOTSTRAP) --dev

run: setup ## Migrate, load demo data, serve on http://127.0.0.1:8000 with the task worker
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo
	@echo "  Thi đua is running at http://127.0.0.1:8000"
	@echo "  Demo logins: admin, board, secretariat, leader (password: thidua-demo)"
	@echo "  Background jobs run in a worker beside the server (scripts/serve.sh)."
	@echo "  Stop with Ctrl-C."
	@echo
	@exec bash $(CURDIR)/scripts/serve.sh 127.0.0.1:8000

test: setup-dev ## Lint, migration check, then the pytest suite on SQLite
	$(RUFF) check .
	$(RUFF) format --check .
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

# Browser flows and PDF layout checks exercise Chromium and WeasyPrint, not the
# database; the form fuzzing (hypothesis) and the URL × role matrices check the
# forms' and views' answers: `make test` runs them once (on SQLite); PostgreSQL
# runs the rest.
PG_MARKERS ?= not browser and not rendering and not fuzz and not matrix

test-pg: setup-dev ## The pytest suite on a throwaway PostgreSQL cluster (without browser/rendering/fuzz/matrix)
	$(TEST_ENV) bash $(CURDIR)/scripts/test-pg.sh -m "$(PG_MARKERS)" $(PYTEST_ARGS)

# Not part of `make test` or CI: minutes of PostgreSQL building and timing (docs/performance.md).
# Options go in BENCH_ARGS, e.g. make bench BENCH_ARGS='--keep-db --scale ci'.
BENCH_ARGS ?=

bench: setup-dev ## Benchmark on PostgreSQL vs issue 9's targets; writes docs/performance.md
	bash $(CURDIR)/scripts/bench.sh $(BENCH_ARGS)

# National-scale synthetic data (README "Scale data") in the database DATABASE_URL names,
# e.g. make seed-scale DATABASE_URL=postgres://user@127.0.0.1/thidua SCALE_ARGS=--reset
SCALE_PRESET ?= national
SCALE_ARGS ?=
.PHONY: seed-scale

seed-scale: setup ## National-scale synthetic data into DATABASE_URL (SCALE_PRESET=national)
	@if [ -z "$${DATABASE_URL:-}" ]; then \
		echo "Set DATABASE_URL to the PostgreSQL database to fill (it is not the demo's SQLite)" >&2; \
		exit 1; \
	fi
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_scale --preset $(SCALE_PRESET) $(SCALE_ARGS)

lint: ## ruff check + ruff format --check
	$(BOOTSTRAP) --dev
	$(RUFF) check .
	$(RUFF) format --check .

fmt: ## Format the code and apply ruff's safe fixes
	$(BOOTSTRAP) --dev
	$(RUFF) format .
	$(RUFF) check --fix .

messages: setup ## Update locale/{vi,en} .po files from the code, then compile them
	$(PY) manage.py makemessages -l vi -l en --ignore=.venv --ignore=node_modules --ignore=tests \
		--ignore=staticfiles --ignore=test-results
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

# Resolves pyproject.toml from scratch (no -c requirements.lock) in a temp venv,
# so the current .venv and lock cannot hold versions back. Uses .venv's Python
# when there is one: the pins depend on the Python minor version (on 3.12,
# typing_extensions is needed; on 3.13 it is not).
lock: ## Re-pin requirements.lock from a fresh venv (after editing pyproject.toml)
	@if [ -x $(PY) ]; then python=$(PY); else python=$$($(BOOTSTRAP) --find-python); fi; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	echo "Resolving with $$python ($$("$$python" -V)) in a fresh venv..."; \
	"$$python" -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install -q --disable-pip-version-check -e '.[dev]' 2>&1 \
		| { grep -v -E "Location '.*' is ignored" || true; }; \
	{ head -n 2 requirements.lock; "$$tmp/venv/bin/python" -m pip freeze --exclude-editable; } \
		>"$$tmp/requirements.lock"; \
	mv "$$tmp/requirements.lock" requirements.lock; \
	echo "requirements.lock updated (review with git diff); run make setup to apply it"

clean: ## Remove .venv, node_modules, db.sqlite3, staticfiles and test-results
	rm -rf .venv node_modules db.sqlite3 staticfiles test-results .ruff_cache *.egg-info
