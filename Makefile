# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test lint typecheck bench messages clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# Local use shows the site's own error pages, as visitors see them (DEBUG off), with the static files served
# from the source folders (no collectstatic). `DEBUG=true make run` gives Django's debug pages.
run: export STATIC_FROM_SOURCE ?= true
run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput -v1
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py ensure_admin
	exec $(BIN)/python manage.py serve --port $(PORT)

# The tests run in one process per core (pytest-xdist); PYTEST_WORKERS=0 runs them in this one.
# REUSE_DB=1 keeps the SQLite test database in var/ between local runs (never in CI, which starts clean).
PYTEST_WORKERS ?= auto
REUSE_DB ?=
test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(if $(REUSE_DB),--reuse-db) $(PYTEST_ARGS)

typecheck: $(VENV)/.installed
	$(BIN)/mypy coalition

# lint-imports checks the layers of docs/architecture.md (the contract is in pyproject.toml).
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

# Regenerate the message catalogues after changing translatable text (needs GNU gettext).
messages: $(VENV)/.installed
	cd coalition && ../$(BIN)/python ../manage.py makemessages -l fr -l es -l ar --no-obsolete
	cd coalition && ../$(BIN)/python ../manage.py compilemessages

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
