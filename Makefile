# Developer tasks. Needs only Python 3.11+ (and GNU make); everything else goes into .venv.
#
#   make run               set up, then serve http://127.0.0.1:8000/ with a Celery worker + beat
#                          on SQLite and the file-system broker (HOST=... PORT=... to change)
#   make test              the whole test suite (PYTEST_ARGS="-k lifecycle -x" to narrow it);
#                          uses DATABASE_URL / CELERY_BROKER_URL from the environment if set
#   make lint              ruff check + ruff format --check + import contracts (layers)
#   make typecheck         mypy with django-stubs (strict on the kernel and the services)
#   make migrations-check  fail when a model change has no migration
#   make lock              refresh requirements/*.txt from pyproject.toml, keeping current pins
#                          (UPGRADE=1: newest allowed versions; UPGRADE_PACKAGE="django ...")
#   make lock-check        fail when requirements/*.txt is not what `make lock` would write
#   make audit             pip-audit the locked packages (says so plainly when it cannot)
#   make deploy-check      manage.py check --deploy with production-like settings
#   make smoke             production-like smoke run: DEBUG=0, gunicorn, worker, PostgreSQL, Redis
#   make security          the security tests (tests/security) with DEBUG=0; CI runs them on
#                          PostgreSQL + Redis (DATABASE_URL, CELERY_BROKER_URL, CACHE_URL)
#   make messages          update and compile the zh_Hans translations
#   make clean             remove .venv, collected static files and caches (var/ is kept)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# The same defaults as blacklist_portal/settings.py, so that the directories made here are
# the ones the settings use when VAR_DIR / STATIC_ROOT are set in the environment.
VAR := $(or $(VAR_DIR),var)
STATIC_OUT := $(or $(STATIC_ROOT),staticfiles)

# The locks: every package of the runtime (and of the dev extra) pinned with its hashes.
# Installs are hash-checked; the project itself goes in editable with --no-deps (a local
# directory has no hash to check, and its dependencies are all in the lock).
LOCK := requirements/runtime.txt
LOCK_DEV := requirements/dev.txt

# Install stamps: a reinstall happens only when a lock or pyproject.toml is newer than the
# stamp. .ci/run installs by hand and touches both stamps afterwards.
INSTALLED := $(VENV)/.installed
INSTALLED_DEV := $(VENV)/.installed-dev

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install install-dev run setup test lint typecheck migrations-check deploy-check \
	lock lock-check audit smoke security messages clean

help:
	@sed -n 's/^#   make /make /p' $(MAKEFILE_LIST)

$(VPY):
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): $(LOCK) pyproject.toml | $(VPY)
	$(VPY) -m pip install --require-hashes -r $(LOCK)
	$(VPY) -m pip install --no-deps -e .
	touch $@

$(INSTALLED_DEV): $(LOCK_DEV) pyproject.toml | $(VPY)
	$(VPY) -m pip install --require-hashes -r $(LOCK_DEV)
	$(VPY) -m pip install --no-deps -e .
	touch $@ $(INSTALLED)

install: $(INSTALLED)
install-dev: $(INSTALLED_DEV)

$(VAR)/celery-broker:
	mkdir -p $@

# collectstatic only when a static source or the installed packages changed since last time.
STATIC_SOURCES := $(shell find static */static -type f 2>/dev/null)
$(STATIC_OUT)/.collected: $(STATIC_SOURCES) $(INSTALLED)
	DEBUG=1 $(VPY) manage.py collectstatic --noinput --verbosity 0
	touch $@

# The local set-up of `make run`: DEBUG on, SQLite under var/ and the file-system broker
# unless DATABASE_URL / CELERY_BROKER_URL say otherwise. Every step is idempotent.
setup: $(INSTALLED) | $(VAR)/celery-broker
	DEBUG=1 $(VPY) manage.py migrate --noinput
	DEBUG=1 $(VPY) manage.py load_bureaus
	DEBUG=1 $(VPY) manage.py load_calendar
	DEBUG=1 $(VPY) manage.py seed_demo

# runserver + Celery worker with embedded beat; Ctrl-C stops both (see scripts/run_portal.py).
run: setup $(STATIC_OUT)/.collected
	DEBUG=1 HOST=$(HOST) PORT=$(PORT) $(VPY) scripts/run_portal.py

test: $(INSTALLED_DEV)
	$(VPY) -m pytest $(PYTEST_ARGS)

lint: $(INSTALLED_DEV)
	$(VPY) -m ruff check .
	$(VPY) -m ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(INSTALLED_DEV)
	$(VPY) -m mypy .

migrations-check: $(INSTALLED) | $(VAR)/celery-broker
	DEBUG=1 $(VPY) manage.py makemigrations --check --dry-run

# Checks the shipped production defaults: the variables that relax them for a plain-HTTP
# trial are removed from the environment for this one command.
deploy-check: $(INSTALLED)
	env -u SECURE_SSL_REDIRECT -u SECURE_COOKIES -u SECURE_HSTS_SECONDS -u BEHIND_TLS_PROXY \
		DEBUG=0 ALLOWED_HOSTS=example.org \
		SECRET_KEY="$$($(VPY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
		IDENTITY_NUMBER_KEYS="$$($(VPY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
		IDENTITY_NUMBER_HMAC_KEYS="$$($(VPY) -c 'import secrets; print(secrets.token_hex(32))')" \
		CACHE_URL=redis://127.0.0.1:6379/0 \
		$(VPY) manage.py check --deploy --fail-level WARNING

# One universal resolution (uv pip compile --universal) for CPython 3.11 and later on every
# platform: a package needed only on some Python version or OS carries its marker. The dev
# lock is constrained by the runtime lock, so the two pin every shared package alike. uv
# keeps the pins already in the output file unless told to upgrade; it reads PyPI only, not
# pip's configuration. Commands are relative so that lock-check can run them in a copy.
UV := $(abspath $(VENV))/bin/uv
LOCK_COMPILE := $(UV) pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" --quiet
LOCK_UPGRADE := $(if $(UPGRADE),--upgrade) $(foreach p,$(UPGRADE_PACKAGE),--upgrade-package $(p))
LOCK_BOTH = $(LOCK_COMPILE) $(1) -o $(LOCK) \
	&& $(LOCK_COMPILE) $(1) --extra dev -c $(LOCK) -o $(LOCK_DEV)

lock: $(INSTALLED_DEV)
	$(call LOCK_BOTH,$(LOCK_UPGRADE))

# Locks again, as `make lock` would, in a scratch copy of pyproject.toml and the locks, and
# compares. Needs PyPI (the index's metadata and hashes), like the install itself.
lock-check: $(INSTALLED_DEV)
	scratch="$$(mktemp -d)" && trap 'rm -rf "$$scratch"' EXIT \
		&& cp -R pyproject.toml requirements "$$scratch"/ \
		&& (cd "$$scratch" && $(call LOCK_BOTH,)) \
		&& if diff -u -r requirements "$$scratch/requirements"; then \
			echo "The locks agree with pyproject.toml."; \
		else \
			echo "requirements/*.txt disagree with pyproject.toml: run 'make lock' and commit the locks." >&2; \
			exit 1; \
		fi

audit: $(INSTALLED_DEV)
	$(VPY) scripts/audit_deps.py $(LOCK) $(LOCK_DEV)

# Needs PostgreSQL and Redis (SMOKE_DATABASE_URL, SMOKE_BROKER_URL); see the script's docstring.
smoke: $(INSTALLED)
	$(VPY) scripts/smoke_production.py

# Brute force on every sign-in, the second factor, CSP on every page type, token leakage…
# DEBUG is off as in production; the database, broker and cache come from the environment.
security: $(INSTALLED_DEV)
	DEBUG=0 $(VPY) -m pytest tests/security $(PYTEST_ARGS)

# Needs GNU gettext (xgettext, msgmerge, msgfmt).
messages: $(INSTALLED)
	DEBUG=1 $(VPY) manage.py makemessages -l zh_Hans -d django --no-obsolete \
		--ignore=.venv --ignore=var --ignore=$(STATIC_OUT) --ignore=build --ignore=tests
	DEBUG=1 $(VPY) manage.py compilemessages --ignore=.venv --ignore=var

clean:
	rm -rf $(VENV) $(STATIC_OUT) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
