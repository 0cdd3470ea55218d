# MotCua — two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := run.py

.PHONY: run test test-sqlite test-postgres venv dev-deps translations extract-messages browser pdf-tools lint bench soak clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-deps: requirements-dev.txt $(VENV)/.deps
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

# Compile the message catalogues (the .mo files are build products, not committed).
translations: $(VENV)/.deps
	@$(BIN)/pybabel -q compile -f -d translations/fab -D messages
	@$(BIN)/pybabel -q compile -f -d translations -D messages

# Refresh translations/messages.pot and the catalogues from the source (developers only).
extract-messages: $(VENV)/.deps
	$(BIN)/python scripts/update_translations.py

# Links in mails, SMS and QR codes point at the port actually served, unless set.
run: export PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
# The delivery worker runs beside the server and stops with it (production: docs/operations.md).
run: translations
	@mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	@$(BIN)/flask outbox run --interval 10 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# Headless Chromium for the end-to-end tests, from Debian's packages (never a browser download),
# and axe-core (npm, tests/e2e/package-lock.json) for their accessibility checks.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing and no root: browser tests will be skipped"; fi; \
	fi
	@if command -v npm >/dev/null 2>&1; then \
	  cd tests/e2e && npm ci --silent --no-audit --no-fund; \
	else echo "npm missing: the axe-core checks of the browser tests will be skipped"; fi

# PDF tools of the level-4 tests (text of receipts, QR codes of signed results), from Debian.
pdf-tools:
	@if ! command -v pdftotext >/dev/null 2>&1 || ! command -v zbarimg >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils zbar-tools >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils zbar-tools >/dev/null; \
	  else echo "poppler-utils/zbar-tools missing and no root: their tests will be skipped"; fi; \
	fi

# Every test on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set (side by side).
test: dev-deps translations browser pdf-tools lint
	BIN=$(BIN) scripts/test_both.sh

lint: dev-deps
	$(BIN)/ruff check app tests config.py run.py
	$(BIN)/lint-imports --no-cache

# The reliability suite at full size (PostgreSQL: TEST_DATABASE_URL); prints a table.
soak: dev-deps translations
	@if [ -z "$$TEST_DATABASE_URL" ]; then echo "make soak needs TEST_DATABASE_URL (PostgreSQL)"; exit 1; fi
	MOTCUA_SOAK=1 $(BIN)/python -m pytest -p no:randomly tests/soak tests/proof/test_api_fuzz.py

# The HTTP benchmark needs PostgreSQL (BENCH_PG_URL); BENCH_DOSSIERS=10000 for a short run.
bench: dev-deps translations
	$(BIN)/python bench/bench_forms.py
	$(BIN)/python bench/bench_workdays.py
	RATELIMIT_ENABLED=false $(BIN)/python bench/bench_http.py

clean:
	rm -rf $(VENV) instance/*.db
