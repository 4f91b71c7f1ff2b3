# The README's commands.
#   make install       .venv with the pinned dependencies (re-run only when pyproject.toml changes)
#   make run           migrate, import the seed reports, sync the search index, serve :8000
#   make run-postgres  the same on a throw-away PostgreSQL (or on $DATABASE_URL if set)
#   make test          every test: SQLite (with browser tests), again on PostgreSQL, CI guards
#   make bench         search benchmark over REPORTS synthetic reports
#   make load          load test: gunicorn (production settings), LOAD_REPORTS, 32 clients, 60 s
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PYTEST := $(PY) -m pytest -p no:cacheprovider --durations=10
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0

export ARCHIVE_DATA_DIR ?= $(CURDIR)/var
SEEDS ?= fixtures/seeds
REPORTS ?= 10000
# Files linted by `make test`: the whole repository (settings: pyproject.toml's [tool.ruff]).
LINT_PATHS ?= .

.PHONY: help install intake-deps run run-postgres prepare serve test test-deps guards lint \
	migrations-check deploy-check dockerfile-lint test-sqlite test-postgres bench load slowest

help:
	@sed -n '2,7s/^# *//p' Makefile

# --- install -------------------------------------------------------------------------------

install: $(STAMP) intake-deps

$(STAMP): pyproject.toml
	@if ! $(VENV)/bin/python -c '' 2>/dev/null; then \
	  rm -rf $(VENV); \
	  $(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	    echo "make: installing python3.11-venv (apt-get)"; rm -rf $(VENV); \
	    $(APT_GET) update >/dev/null && $(APT_GET) install python3.11-venv >/dev/null; \
	    $(PYTHON) -m venv $(VENV); }; \
	fi
	@echo "make: installing pinned dependencies into $(VENV)"
	@PYTHONWARNINGS=ignore $(PY) -m pip install -qq --disable-pip-version-check -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $@

# System packages intake needs (README "Formats"): Tesseract with its Chinese models (OCR of
# scans and images), LibreOffice Writer without GUI (.doc/.wps), and the CJK font the OCR tests
# render seed text with.  Installed only when missing, with apt-get (as root); otherwise a note.
INTAKE_PKGS_CHECK = \
	tesseract-ocr:/usr/bin/tesseract \
	tesseract-ocr-chi-sim:/usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata \
	tesseract-ocr-chi-tra:/usr/share/tesseract-ocr/5/tessdata/chi_tra.traineddata \
	libreoffice-writer-nogui:/usr/bin/soffice \
	fonts-wqy-zenhei:/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc

intake-deps:
	@pkgs=""; \
	for pair in $(INTAKE_PKGS_CHECK); do \
	  [ -e "$${pair#*:}" ] || pkgs="$$pkgs $${pair%%:*}"; \
	done; \
	if [ -n "$$pkgs" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "make: installing$$pkgs (apt-get)"; \
	    $(APT_GET) update >/dev/null; \
	    $(APT_GET) install --no-install-recommends $$pkgs >/dev/null; \
	  else \
	    echo "make: WARNING: missing system packages for OCR/.doc intake:$$pkgs (install them with apt-get)"; \
	  fi; \
	fi

# System packages the tests need: Debian's Chromium (browser tests) and a PostgreSQL server
# (the PostgreSQL pass).  Installed only when missing.
test-deps: intake-deps
	@pkgs=""; \
	[ -x /usr/bin/chromium ] || pkgs="$$pkgs chromium"; \
	[ -x /usr/bin/chromedriver ] || pkgs="$$pkgs chromium-driver"; \
	if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  pkgs="$$pkgs postgresql"; \
	  if [ ! -e /etc/postgresql-common/createcluster.conf ]; then \
	    mkdir -p /etc/postgresql-common; \
	    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf; \
	  fi; \
	fi; \
	if [ -n "$$pkgs" ]; then \
	  echo "make: installing$$pkgs (apt-get)"; \
	  $(APT_GET) update >/dev/null; \
	  $(APT_GET) install --no-install-recommends $$pkgs >/dev/null; \
	fi

# --- run -----------------------------------------------------------------------------------

run: install
	@mkdir -p "$(ARCHIVE_DATA_DIR)"
	@DEBUG=1 $(MAKE) --no-print-directory prepare serve

run-postgres: install
	@mkdir -p "$(ARCHIVE_DATA_DIR)"
	@DEBUG=1 $(PY) -m tests.pg.run --if-unset --ephemeral-data -- \
	  $(MAKE) --no-print-directory prepare serve

# Database, seed reports and search index in step; every step is idempotent.
prepare:
	@$(PY) manage.py migrate --noinput
	@if $(PY) manage.py help import_reports >/dev/null 2>&1; then \
	  $(PY) manage.py import_reports $(SEEDS) \
	    || echo "make: import_reports exited non-zero (seed reports already imported?); continuing"; \
	else echo "make: import_reports is not available; skipping the seed reports"; fi
	@if $(PY) manage.py help check_index >/dev/null 2>&1; then \
	  $(PY) manage.py check_index --fix \
	    || echo "make: WARNING: check_index --fix failed; search may be out of date"; \
	else \
	  $(PY) manage.py rebuild_index --noinput \
	    || echo "make: WARNING: rebuild_index failed; search will not work"; \
	fi

serve:
	@echo "make: serving on http://$${GUNICORN_BIND:-127.0.0.1:8000}/ (Ctrl-C stops)"
	@exec $(VENV)/bin/gunicorn -c gunicorn.conf.py config.wsgi

# --- test ----------------------------------------------------------------------------------

# Every part runs even when an earlier one fails; the exit status is non-zero if any failed.
# The PostgreSQL pass runs alongside the SQLite pass (2 cores: about halves the wall time); its
# output is printed when it ends.  pytest's exit status 5 (nothing collected) is a failure.
test: install test-deps
	@failed=""; pglog=$$(mktemp); \
	$(PG_PYTEST) > "$$pglog" 2>&1 & pg=$$!; \
	trap 'kill -TERM $$pg 2>/dev/null || true; rm -f "$$pglog"' EXIT; \
	trap 'exit 130' INT TERM; \
	for part in guards test-sqlite; do \
	  echo "==== make $$part"; \
	  $(MAKE) --no-print-directory $$part || failed="$$failed $$part"; \
	done; \
	echo "==== make test-postgres (ran alongside; waiting for it)"; \
	wait $$pg || failed="$$failed test-postgres"; \
	cat "$$pglog"; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed"; exit 1; fi; \
	echo "make test: all parts passed"

SQLITE_PYTEST = env -u DATABASE_URL $(PYTEST) --continue-on-collection-errors
# The database-touching tests again, on a real PostgreSQL server started for this run.
PG_PYTEST = $(PY) -m tests.pg.run -- $(PYTEST) --continue-on-collection-errors --db-only -m "not browser"

test-sqlite:
	@$(SQLITE_PYTEST)

test-postgres:
	@$(PG_PYTEST)

guards: lint migrations-check deploy-check dockerfile-lint

lint:
	@$(VENV)/bin/ruff check --quiet $(LINT_PATHS) && echo "ruff: ok"

migrations-check:
	@env -u DATABASE_URL $(PY) manage.py makemigrations --check --dry-run --settings=config.test_settings

# Production-like environment; any message at all (even DEBUG level) fails.
deploy-check:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	env -u DATABASE_URL DEBUG=0 ALLOWED_HOSTS=archive.example.org ARCHIVE_DATA_DIR="$$tmp" \
	  SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	  $(PY) manage.py check --deploy --fail-level DEBUG

dockerfile-lint:
	@$(VENV)/bin/hadolint Dockerfile && echo "hadolint: ok"

# --- bench ---------------------------------------------------------------------------------

# The peers need the optional `bench` extra (tantivy); without it that peer is skipped.
bench: install
	@$(PY) -c 'import tantivy' 2>/dev/null || \
	  PYTHONWARNINGS=ignore $(PY) -m pip install -qq --disable-pip-version-check -e '.[test,bench]' || \
	  echo "make: the bench extra (tantivy) could not be installed; that peer is skipped"
	$(PY) -m search.bench --reports $(REPORTS)

# --- load ----------------------------------------------------------------------------------

# Not part of `make test` (about two minutes): tests/load/run.py.  Exit status 1 on any error.
LOAD_REPORTS ?= 2000
LOAD_CLIENTS ?= 32
LOAD_SECONDS ?= 60

load: install
	$(PY) -m tests.load.run --reports $(LOAD_REPORTS) --clients $(LOAD_CLIENTS) --seconds $(LOAD_SECONDS)

# The slowest requests (tests/load/slowest.py): the hostile requests of the README's reliability
# section against gunicorn, one at a time, slowest first.  Exit status 1 on any 5xx.
SLOWEST_REPORTS ?= 2000

slowest: install
	$(PY) -m tests.load.slowest --reports $(SLOWEST_REPORTS)
