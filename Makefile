# The project's vocabulary. A new user needs two targets: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
# Processes the suite runs in (pytest-xdist); each has its own test database and Redis database.
TEST_PROCESSES ?= 2
PORT ?= 8000

.PHONY: run test lint format install demo worker beat bench clean audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

run: demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Known vulnerabilities of the installed packages (pip-audit): prints the count; fails only on a
# finding with a fixed version, and says so plainly when the vulnerability service is unreachable.
# The pinned list is made fresh from the environment, so it never drifts from pyproject.toml.
audit: install
	$(BIN)/pip freeze --exclude-editable > $(VENV)/requirements.lock
	$(BIN)/python scripts/audit.py $(VENV)/requirements.lock

test: lint audit
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=kompetensverkstad.settings.test
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist load

worker: install
	$(BIN)/celery -A kompetensverkstad worker --loglevel=info

beat: install
	$(BIN)/celery -A kompetensverkstad beat --loglevel=info

# One table of every benchmark against its target and a reference measured in the same run
# (tracking, worksheet PDFs, reports, pages), also written to bench.json; `make bench ARGS=--quick`
# for small sizes (under two minutes). Uses DATABASE_URL / REDIS_URL, in throw-away test databases.
bench: install
	$(BIN)/python scripts/bench.py $(ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 .test-media .test-private static
