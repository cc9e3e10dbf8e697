# Sangsaeng: `make demo` serves the demo, `make test` runs lint, types and every test.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# ACCESS_LOG=1 prints every request of `make demo` to the terminal.
ACCESS_LOG ?= 0

.PHONY: demo test lint types pytest install assets migrate serve bench messages clean-db system-test system-demo topology-test

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

# System packages and services (bin/setup-system: apt-get only when something is missing, needs root then).
system-test:
	@bin/setup-system test

system-demo:
	@bin/setup-system demo

assets: node_modules/.installed

migrate: install system-demo
	$(PY) manage.py migrate --noinput

demo: install migrate
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput -v 0
	@echo "Serving http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	@$(BIN)/gunicorn config.wsgi:application --config config/gunicorn.conf.py --bind $(HOST):$(PORT) --log-level warning $(if $(filter 1,$(ACCESS_LOG)),--access-logfile -)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

types: install
	$(BIN)/mypy $$(ls -d sangsaeng/*/services.py sangsaeng/*/services sangsaeng/*/selectors.py sangsaeng/*/selectors 2>/dev/null)

pytest: install system-test
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test: system-test lint types pytest

bench: install
	$(PY) bench/run.py

messages: install
	$(PY) manage.py makemessages -l ko -l en --ignore=.venv --ignore=node_modules --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

clean-db:
	rm -f var/sangsaeng.sqlite3 var/sangsaeng.sqlite3-wal var/sangsaeng.sqlite3-shm

# The multi-server topology (bin/topology: PostgreSQL, Redis, 2 app servers, 2 workers, 2 schedulers),
# driven through both app servers (tests/test_topology.py). A few minutes, so not part of `make test`.
topology-test: install system-test
	RUN_TOPOLOGY=1 $(BIN)/pytest -n 0 -p no:randomly tests/test_topology.py
