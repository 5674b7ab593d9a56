# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate demo check screenshots messages clean

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

# The whole suite: system checks, migrations in step with models, then pytest
# (browser tests included; they skip loudly without Chromium, and fail under CI).
test: check
	$(BIN)/pytest $(PYTEST_ARGS)

# Refresh the README's pictures from the browser tests (not part of every run).
screenshots: install
	SCREENSHOTS=docs/screenshots $(BIN)/pytest tests/browser -k screenshot $(PYTEST_ARGS)

# After changing user-visible strings: update and compile our Chinese catalog.
messages: install
	$(PY) manage.py makemessages -l zh_Hans --no-location --ignore=.venv --ignore=locale_wagtail --ignore=tests --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) .test-db.sqlite3* .pytest_cache
