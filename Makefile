# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-dates install migrate demo check lint screenshots messages clean smoke two-servers soak faults bench

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py seed_demo --port $(PORT)

run: demo
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://localhost:$(PORT)/admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Style and layers: ruff (lint and format) and the import contracts of docs/architecture.md.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The whole suite: system checks, migrations in step with models, then pytest
# (browser tests included; they skip loudly without Chromium, and fail under CI).
test: check lint
	$(BIN)/pytest $(PYTEST_ARGS)

# The suite (browser tests aside) with the clock set to each moment tests/clock.py names:
# now, either side of a new year, the next 29 February, and the years the holiday library
# does not know yet. Two runs at a time (each has its own database file); a failing run's
# log is printed.
test-dates: check
	@$(PY) -m tests.clock | xargs -P 2 -I{} sh -c '\
		log=.test-dates-{}.log; \
		if PORTAL_TEST_NOW={} $(BIN)/pytest -q -m "not browser and not walk" -p no:cacheprovider $(PYTEST_ARGS) >$$log 2>&1; \
		then echo "passed at {}: $$(tail -n 1 $$log)"; rm -f $$log; \
		else echo "FAILED at {}:"; tail -n 60 $$log; exit 255; fi'

# The production configuration end to end (.ci/smoke): PostgreSQL (a database of its own, dropped
# afterwards), Redis, gunicorn with deploy/gunicorn.conf.py, /healthz, a page, an API booking.
smoke: install
	PYTHON=$(PY) $(PY) .ci/smoke

# Refresh the README's pictures from the browser tests (not part of every run).
screenshots: install
	SCREENSHOTS=docs/screenshots $(BIN)/pytest tests/browser -k screenshot $(PYTEST_ARGS)

# After changing user-visible strings: update and compile our Chinese catalog.
messages: install
	$(PY) manage.py makemessages -l zh_Hans --no-location --ignore=.venv --ignore=locale_wagtail --ignore=tests --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

# Operations (docs/operations.md): loopback-only scripts that start what they need, check, and
# stop it all again. PostgreSQL on 127.0.0.1:5432, Redis db 7 and nginx must be there.
two-servers: install
	$(PY) -m ops.two_servers

soak: install
	$(PY) -m ops.soak

faults: install
	$(PY) -m ops.faults

clean:
	rm -rf $(VENV) .test-db.sqlite3* .pytest_cache

# The benchmark (docs/performance.md): the portal under gunicorn with production settings against a
# one-view Django app, interleaved, with wrk. `make bench ARGS="--areas 30"` for a subdistrict,
# `ARGS="--quick"` for a smoke run, `ARGS="--database postgres"` for the booking target.
bench: install
	$(PY) -m bench.run $(ARGS)
