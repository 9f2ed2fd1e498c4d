# The project's vocabulary. A new user needs two targets: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
# Processes the suite runs in (pytest-xdist); each has its own test database and Redis database.
TEST_PROCESSES ?= 2
PORT ?= 8000
# The demo SAML identity provider `make run` starts beside the site (needs Debian's xmlsec1).
IDP_PORT ?= 8001
# The demo OpenID Connect provider beside it (tests/support/oidc_provider); load_demo reads it too.
export OIDC_PORT ?= 8002

.PHONY: run test lint format install demo worker beat bench clean audit messages compilemessages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

# The interface in English: locale/en/LC_MESSAGES/django.po holds an English msgstr for every
# Swedish string marked in templates and Python. `make messages` collects them anew (needs GNU
# gettext: apt-get install gettext) and compiles; then translate what it added or marked fuzzy
# (tests/kompetensverkstad/test_translations.py names them). Compiling alone is pure Python.
MESSAGES_IGNORE := --ignore 'static/*' --ignore 'media/*' --ignore 'private/*' \
	--ignore 'tests/*' --ignore 'scripts/*' --ignore '.test-*'
messages: install
	$(BIN)/python manage.py makemessages --locale en --add-location file --no-obsolete $(MESSAGES_IGNORE)
	$(BIN)/python scripts/compile_messages.py

MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
$(MO_FILES): %.mo: %.po | install
	$(BIN)/python scripts/compile_messages.py

compilemessages: $(MO_FILES)

demo: install compilemessages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

# The demo IdPs run in the background while the site serves, and stop with it: the OpenID
# Connect provider always, the SAML IdP where xmlsec1 is installed (else it is left out with a
# message, and everything else works as before). The OIDC provider logs to .venv/demo-oidc.log.
run: demo
	@$(BIN)/python -m tests.support.oidc_provider.serve --port $(OIDC_PORT) \
	  >$(VENV)/demo-oidc.log 2>&1 & OIDC=$$!; IDP=; \
	if command -v xmlsec1 >/dev/null 2>&1; then \
	  $(BIN)/python -m kompetensverkstad.demo.saml_idp --port $(IDP_PORT) --sp http://127.0.0.1:$(PORT) & \
	  IDP=$$!; \
	else \
	  echo "Demo-IdP:n startas inte: xmlsec1 saknas (apt-get install xmlsec1)."; \
	fi; \
	trap 'kill $$OIDC $$IDP 2>/dev/null' EXIT INT TERM; \
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

test: lint audit compilemessages
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
	rm -rf $(VENV) db.sqlite3 .test-media .test-private static $(MO_FILES)
