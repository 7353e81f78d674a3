# The lab's two commands: `make lab` and `make test`. Everything else is a building block.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
COMPAT_VENV := .venv-compat
PY          := $(VENV)/bin/python
LAB_ARGS    ?=
SIZE        ?= small

.PHONY: help install install-compat system-packages lab migrate seed test lint format bench clean
.PHONY: replica replica-stop

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

install: $(VENV)/.installed  ## create .venv (Python >= 3.12) with the locked dependencies

$(VENV)/.installed: requirements/lock.txt pyproject.toml
	@python="$$(scripts/find_python.sh 3.12)" || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/lock.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

install-compat: $(COMPAT_VENV)/.installed  ## create .venv-compat (Python 3.11 + Django 5.2 LTS)

$(COMPAT_VENV)/.installed: requirements/compat.txt pyproject.toml
	@python="$$(scripts/find_python.sh --exact 3.11)" || exit 1; \
	if [ ! -x $(COMPAT_VENV)/bin/python ]; then "$$python" -m venv $(COMPAT_VENV); fi
	$(COMPAT_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(COMPAT_VENV)/bin/python -m pip install --quiet -r requirements/compat.txt
	$(COMPAT_VENV)/bin/python -m pip install --quiet --no-deps -e .
	@touch $@

system-packages:  ## install chromium, graphviz, pgbouncer and nginx from Debian's packages where missing
	@scripts/system_packages.sh

migrate: install  ## apply migrations to the database (SQLite under var/ or DATABASE_URL)
	@$(PY) manage.py checkdb
	@$(PY) manage.py migrate --verbosity 0

seed: migrate  ## seed the database if it is empty (SIZE=small|medium|large)
	@$(PY) manage.py seed --size $(SIZE) --if-empty

lab: seed  ## install, migrate, seed, and open JupyterLab on notebooks/ (LAB_ARGS=--no-browser)
	@scripts/system_packages.sh || echo "(continuing: the lab runs without them; graph_models falls back to matplotlib)"
	$(VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

test: install  ## the whole suite: ruff, pytest on SQLite and PostgreSQL, nbval, Django 5.2 leg
	@scripts/test.sh

lint: install  ## ruff check and format check, mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install  ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install  ## run the benchmarks in bench/ (they print ratios)
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:  ## remove the virtualenvs and var/
	rm -rf $(VENV) $(COMPAT_VENV) var

# --- Background work and the front door: Celery, Flower, nginx in front of daphne (docs/DEPLOY.md) ---
.PHONY: worker flower proxy
FLOWER_PORT ?= 5555
PROXY_PORT  ?= 8080

worker: migrate  ## a Celery worker for the site's tasks (needs REDIS_URL; see docs/DEPLOY.md)
	$(PY) -m celery -A tutorial_site worker --loglevel INFO --concurrency 2

flower: install  ## Flower on 127.0.0.1:5555 (FLOWER_PORT), behind a password (FLOWER_BASIC_AUTH=user:pass, else made up)
	@auth="$${FLOWER_BASIC_AUTH:-lab:$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(12))')}"; \
	echo "Flower on http://127.0.0.1:$(FLOWER_PORT)/ (user $${auth%%:*}, password $${auth#*:})"; \
	FLOWER_BASIC_AUTH="$$auth" $(PY) -m celery -A tutorial_site flower --address=127.0.0.1 --port=$(FLOWER_PORT)

proxy: seed  ## nginx on 127.0.0.1:8080 (PROXY_PORT) in front of daphne serving the site, chat included
	@echo "Chat: http://127.0.0.1:$(PROXY_PORT)/chat/ (log in as alice, bob or carol; password <name>-demo)"
	$(SITE_POOL)$(PY) -m tutorial_site.nginx --port $(PROXY_PORT)
replica: install  ## start the lab's PostgreSQL primary + streaming replica in the background (var/replica)
	@$(PY) -m tutorial_site.scaling.cluster start

replica-stop:  ## stop what `make replica` started
	@$(PY) -m tutorial_site.scaling.cluster stop

# JupyterLab settings shipped in lab/ (no news pop-up, opens on notebooks/), part of `make install`.
.PHONY: lab-settings
install: lab-settings
lab-settings: $(VENV)/.lab-settings
$(VENV)/.lab-settings: $(VENV)/.installed lab/install.py lab/overrides.json lab/jupyter_lab_config.json
	$(PY) lab/install.py
	@touch $@

.PHONY: screenshots diagram

screenshots: install  ## refresh docs/screenshots/: every section light and dark, the chat, the ORM findings panel
	SCREENSHOTS_DIR=docs/screenshots env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest -q \
	  tests/tutorial_site/test_site_in_chromium.py tests/tutorial_site/pages/test_browser.py \
	  tests/tutorial_site/chat/test_browser.py

diagram: install  ## the data model drawn by graph_models (Graphviz, via pydot) in docs/models.svg
	@scripts/system_packages.sh
	$(PY) -m tutorial_site.model_graph docs/models.svg

# --- the chat: the site over ASGI (HTTP + websockets) ---------------------------------------------
.PHONY: serve
SERVE_ARGS ?= -b 127.0.0.1 -p 8000
# On PostgreSQL each daphne process of `make serve` and `make proxy` gets a pool of 4 connections.
SITE_POOL = $(if $(findstring postgres,$(DATABASE_URL)),DATABASE_POOL=$${DATABASE_POOL:-4} )
serve: seed  ## serve the site with daphne, websockets included, on 127.0.0.1:8000 (SERVE_ARGS to change)
	@echo "Chat: http://127.0.0.1:8000/chat/ (log in as alice, bob or carol; password <name>-demo)"
	$(SITE_POOL)$(VENV)/bin/daphne $(SERVE_ARGS) tutorial_site.asgi:application
