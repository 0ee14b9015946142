# CourtExec: `make run` and `make test` do all set-up on a machine with only Python >= 3.11 and make.
SHELL := /bin/bash
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PROJECT_ENVIRONMENT := $(VENV)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test install bootstrap translations stop clean lint format bench check-deploy

run: install ## install, migrate, demo data, web + worker + beat
	DEBUG=$${DEBUG:-1} $(PY) manage.py runstack

test: install ## install and run the whole suite
	$(PY) -m pytest $(PYTEST_ARGS)

$(UV):
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) is needed (Python >= 3.11)"; exit 1; }
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv>=0.5"

bootstrap: $(UV)

install: $(UV) ## the locked dependencies into .venv, compiled translations
	$(UV) sync --frozen --quiet
	$(PY) -c "from courtexec.management.commands.compiletranslations import compile_all; compile_all()"

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install ## benchmarks (not tests): each bench/bench_*.py on scratch databases
	@for script in bench/bench_*.py; do [ -e "$$script" ] || continue; echo "== $$script"; \
		DJANGO_SETTINGS_MODULE=courtexec.settings PYTHONPATH=$(CURDIR) $(PY) "$$script" || exit 1; done

check-deploy: install
	DEBUG=0 SECRET_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(50))") \
	ALLOWED_HOSTS=courtexec.example.org $(PY) manage.py check --deploy --fail-level WARNING

stop: ## stop the embedded PostgreSQL and Redis
	@if [ -x $(PY) ]; then $(PY) -m courtexec.embedded stop; else echo "no .venv: nothing runs"; fi

clean: ## stop the embedded services and delete var/ (all local data)
	@if [ -x $(PY) ]; then $(PY) -m courtexec.embedded wipe; else rm -rf var; fi
