# The one place commands are spelled. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEMO_SUPPLIERS ?= 400
DEMO_NEEDS ?= 60
DEMO_SEED ?= 1
# pytest's arguments for `make test`: the suite in parallel worker processes, each with its own
# test database, Redis database and Celery queue; an idle worker takes tests from a busy one
# (worksteal: the slow real-worker tests do not all end up queued behind one process), and the
# slowest are listed. Serially: make test PYTEST_ARGS=
PYTEST_ARGS ?= -n 3 --dist worksteal --durations=15

.PHONY: help install install-dev run serve migrate seed test lint format messages worker beat superuser \
	bench bench-seed bench-matcher bench-import bench-api bench-insights bench-allocation clean

help:
	@echo "make run        set up (venv, migrate, reference + demo data) and serve on :$(PORT)"
	@echo "make test       install dev requirements, ruff, import layers, migrations check, pytest"
	@echo "                (in parallel: -n 3; serially: make test PYTEST_ARGS=)"
	@echo "make worker     a Celery worker (needs REDIS_URL)      make beat   Celery beat"
	@echo "make messages   collect strings for the Hindi catalogue and compile it"
	@echo "make superuser  create an administrator (DJANGO_SUPERUSER_* env vars for no prompt)"
	@echo "make bench      benchmarks in bench/ (PostgreSQL via DATABASE_URL)"
	@echo "make bench-api  the partner API's match list vs a bare Django view, under gunicorn"

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changes (stamp files).
$(VENV)/.installed: requirements.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_reference
	$(PY) manage.py seed_demo --if-empty --suppliers $(DEMO_SUPPLIERS) --needs $(DEMO_NEEDS) --seed $(DEMO_SEED)

run: seed
	DEBUG=true $(PY) manage.py seed_demo_accounts
	@echo "Serving REPM Connect on http://127.0.0.1:$(PORT)/"
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The Hindi catalogue: collect marked strings, then compile (needs gettext's msgfmt). Translate
# the new, empty msgstr entries in locale/hi/LC_MESSAGES/django.po between the two steps.
messages: install-dev
	$(PY) manage.py makemessages -l hi --no-obsolete -i var -i tests -i bench -i static -i scripts
	msgfmt --check -o locale/hi/LC_MESSAGES/django.mo locale/hi/LC_MESSAGES/django.po

test: install-dev
	@mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)
ifneq ($(findstring postgres,$(DATABASE_URL)),)
	@echo "The matcher's rules again on the embedded default (SQLite), where the reference engine runs:"
	DATABASE_URL=sqlite:///var/test-rules.sqlite3 $(VENV)/bin/pytest -q tests/matching/test_rules.py
endif

worker: install
	$(VENV)/bin/celery -A config worker -l INFO --concurrency $${CONCURRENCY:-2}

beat: install
	@mkdir -p var
	$(VENV)/bin/celery -A config beat -l INFO --schedule var/celerybeat-schedule

superuser: migrate
	$(PY) manage.py createsuperuser $${DJANGO_SUPERUSER_PASSWORD:+--noinput}

bench: bench-seed bench-matcher bench-import bench-api bench-insights bench-allocation

# Benchmarks run on a scratch PostgreSQL database (BENCH_DATABASE_URL), never the working one.
BENCH_DB ?= repm_bench
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_DB)

bench-seed: install-dev
	createdb -h 127.0.0.1 -U postgres $(BENCH_DB) 2>/dev/null || true
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py seed_reference
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/seed_demo_timing.py $(BENCH_ARGS)

clean:
	rm -rf var/repm.sqlite3* var/staticfiles .pytest_cache .ruff_cache

bench-matcher: install-dev
	createdb -h 127.0.0.1 -U postgres $(BENCH_DB) 2>/dev/null || true
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py seed_reference
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py seed_demo --if-empty --no-rematch --suppliers 100000 --needs 1000 --seed 1
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/2} \
		$(PY) bench/matcher.py $(BENCH_ARGS)

# The supplier import (50,000 rows) against a COPY of the same rows, on its own scratch database:
# created empty, given reference data, dropped afterwards (even when the bench fails).
BENCH_IMPORT_DB ?= repm_bench_import
BENCH_IMPORT_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_IMPORT_DB)

bench-import: install-dev
	dropdb -h 127.0.0.1 -U postgres --if-exists $(BENCH_IMPORT_DB)
	createdb -h 127.0.0.1 -U postgres $(BENCH_IMPORT_DB)
	export DATABASE_URL=$(BENCH_IMPORT_DATABASE_URL) REDIS_URL=; \
	$(PY) manage.py migrate --noinput -v0 && $(PY) manage.py seed_reference >/dev/null && \
	$(PY) bench/imports.py $(BENCH_ARGS); status=$$?; \
	dropdb -h 127.0.0.1 -U postgres --if-exists $(BENCH_IMPORT_DB); exit $$status

# The partner API under gunicorn against a bare values() view, on its own scratch database
# (100,000 suppliers and their matches; seeded, matches computed in-process, on first use).
BENCH_API_DB ?= repm_bench_api
BENCH_API_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_API_DB)

bench-api: install-dev
	createdb -h 127.0.0.1 -U postgres $(BENCH_API_DB) 2>/dev/null || true
	DATABASE_URL=$(BENCH_API_DATABASE_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_API_DATABASE_URL) $(PY) manage.py seed_reference
	DATABASE_URL=$(BENCH_API_DATABASE_URL) REDIS_URL= \
		$(PY) manage.py seed_demo --if-empty --suppliers 100000 --needs 1000 --seed 1
	DATABASE_URL=$(BENCH_API_DATABASE_URL) REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/2} \
		$(PY) bench/api.py $(BENCH_ARGS)

# Insights on its own copy (it writes snapshots and a staff user): copied from repm_bench when
# that exists (createdb -T refuses while anyone is connected to it: then it seeds its own), else
# seeded here with the matches computed in-process.
BENCH_INSIGHTS_DB ?= repm_bench_insights
BENCH_INSIGHTS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_INSIGHTS_DB)

bench-insights: install-dev
	@psql -h 127.0.0.1 -U postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$(BENCH_INSIGHTS_DB)'" | grep -q 1 \
		|| createdb -h 127.0.0.1 -U postgres -T $(BENCH_DB) $(BENCH_INSIGHTS_DB) 2>/dev/null \
		|| createdb -h 127.0.0.1 -U postgres $(BENCH_INSIGHTS_DB)
	DATABASE_URL=$(BENCH_INSIGHTS_DATABASE_URL) REDIS_URL= $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_INSIGHTS_DATABASE_URL) REDIS_URL= $(PY) manage.py seed_reference
	DATABASE_URL=$(BENCH_INSIGHTS_DATABASE_URL) REDIS_URL= $(PY) manage.py seed_demo --if-empty --suppliers 100000 --needs 1000 --seed 1
	DATABASE_URL=$(BENCH_INSIGHTS_DATABASE_URL) REDIS_URL= $(PY) bench/insights.py $(BENCH_ARGS)

# The recommended allocation (and consortia proposals) timed against a full rematch, on the
# matcher's scratch database (seeded on first use, without matches: the bench rematches).
bench-allocation: install-dev
	createdb -h 127.0.0.1 -U postgres $(BENCH_DB) 2>/dev/null || true
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py seed_reference
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py seed_demo --if-empty --no-rematch --suppliers 100000 --needs 1000 --seed 1
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/2} \
		$(PY) bench/allocation.py $(BENCH_ARGS)
