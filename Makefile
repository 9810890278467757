# OneWindow (一窗通). Two commands for a new user:
#   make demo   set everything up and serve the zh-Hans UI at http://127.0.0.1:8000
#   make test   set everything up, lint, and run the whole suite on PostgreSQL
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bootstrap setup-db stop bench messages help

help:
	@echo "make demo   - set up and serve the demo at http://127.0.0.1:8000"
	@echo "make test   - set up, lint and run the test suite"
	@echo "make bench  - run the benchmarks and write docs/performance.md"
	@echo "             (QUICK=1: short points for development; BENCH=http_load: one benchmark)"
	@echo "make stop   - stop the embedded PostgreSQL server"

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

bootstrap: $(STAMP)
	bash scripts/system-deps.sh
	bash scripts/static-deps.sh
	$(PY) manage.py compilemessages -v0 --ignore=.venv
	$(PY) manage.py check_system

setup-db: bootstrap
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py setup_reference

demo: setup-db
	$(PY) manage.py demo_users
	$(PY) manage.py hall_setup
	$(PY) manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test: bootstrap lint
	$(VENV)/bin/pytest

bench: setup-db
	$(PY) benches/run.py $(if $(QUICK),--quick) $(BENCH)

messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --ignore=tests --ignore=benches --ignore=node_modules

stop: $(STAMP)
	$(PY) -c "from config.database import stop_embedded; print('stopped' if stop_embedded() else 'not running')"

# The rules of the law (docs/rules.md): the back-test of the provisional calendar
# and a bounded mutation run over the clock, the calendar engine and the light.
.PHONY: backtest-calendar mutation
backtest-calendar: $(STAMP)
	$(PY) manage.py calendar_backtest

mutation: $(STAMP)
	bash scripts/mutation.sh
