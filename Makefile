# Kindred: `make run` for a demo site on http://127.0.0.1:8000, `make test` for the suite.
# SQLite and Wagtail's database search backend unless DATABASE_URL / SEARCH_URL say otherwise.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Processes the suite runs in (`make test TEST_WORKERS=0` runs it in this one, for pdb).
TEST_WORKERS ?= auto
SERVE_SECRET_FILE ?= var/local-secret-key

.DEFAULT_GOAL := help
.PHONY: help install run serve test lint translations clean search-engine search-engine-stop redis redis-stop

help: ## list the targets
	@echo "Kindred make targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /  make \1\t/' | expand -t 28
	@echo "Options: make test PYTEST_ARGS='-x -k review' · make run HOST=0.0.0.0 PORT=8001 · make install PYTHON=python3.11"

install: $(VENV)/.installed ## create .venv and install Kindred with its dev tools

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -e ".[dev]"
	touch $@

# Where the site is served, for the links in emails and Wagtail's Site: exported
# to setup_portal, the server and the worker. Set it yourself when people reach
# the site under another name (HOST=0.0.0.0, a proxy): KINDRED_BASE_URL=http://myhost:8001
run: export KINDRED_BASE_URL ?= http://$(HOST):$(PORT)
run: install ## set up and seed the local database, then serve it on http://127.0.0.1:8000
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py setup_portal
	$(BIN)/python manage.py seed_demo
	@echo
	@echo "Kindred is running at http://$(HOST):$(PORT) — admin at http://$(HOST):$(PORT)/admin/ — demo logins: see above (password kindred-demo-2026). Ctrl-C stops it."
	@echo
	@# The background worker sends emails and notifications and updates the search engine;
	@# it stops with the server. run_worker is db_worker with heartbeats: tasks a killed
	@# worker left running are queued again (issue 10, finding 7).
	$(BIN)/python manage.py run_worker --backend background --queue-name '*' & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The production server (issue 17; docs/deploy.md): gunicorn with portal/gunicorn.conf.py
# (workers from the cores, GUNICORN_WORKERS to choose), static files collected and served
# by whitenoise, the production settings, and the background worker beside it; Ctrl-C
# stops both. REDIS_URL, DATABASE_URL and SEARCH_URL are used when set.
# Without ALLOWED_HOSTS it is a try on this machine over plain http, with local-only
# defaults: a secret key generated once into SERVE_SECRET_FILE (var/local-secret-key),
# ALLOWED_HOSTS 127.0.0.1,localhost, KINDRED_LOCAL_HTTP=1 (no https redirect, cookies
# without the Secure flag: refused for any other host), emails printed, SQLite in
# db.sqlite3 (as `make run`), no proxy.
# With ALLOWED_HOSTS set nothing is defaulted: the settings ask for what they need.
serve: export KINDRED_BASE_URL ?= http://$(HOST):$(PORT)
serve: export HOST := $(HOST)
serve: export PORT := $(PORT)
serve: export DJANGO_SETTINGS_MODULE := portal.settings.production
serve: install ## run the production server (gunicorn, whitenoise, the worker) on http://127.0.0.1:8000
	@set -e; \
	if [ -z "$${ALLOWED_HOSTS:-}" ]; then \
		mkdir -p "$$(dirname $(SERVE_SECRET_FILE))"; \
		test -s $(SERVE_SECRET_FILE) || (umask 077; \
			od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > $(SERVE_SECRET_FILE)); \
		export SECRET_KEY="$${SECRET_KEY:-$$(cat $(SERVE_SECRET_FILE))}"; \
		export ALLOWED_HOSTS=127.0.0.1,localhost KINDRED_LOCAL_HTTP=1; \
		export DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3}"; \
		export TRUSTED_PROXY_COUNT="$${TRUSTED_PROXY_COUNT:-0}"; \
		export EMAIL_BACKEND="$${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}"; \
		echo "make serve: a local try over http (ALLOWED_HOSTS is not set; see docs/deploy.md)"; \
	fi; \
	echo "make serve: cache: $${REDIS_URL:-$${CACHE_URL:-$${CACHE_DIR:-var/cache} (set REDIS_URL to share it between machines)}}"; \
	$(BIN)/python manage.py migrate --noinput; \
	$(BIN)/python manage.py collectstatic --noinput -v 0; \
	$(BIN)/python manage.py setup_portal; \
	echo; \
	echo "Kindred (production server) is serving at http://$(HOST):$(PORT) — admin at http://$(HOST):$(PORT)/admin/. Ctrl-C stops it."; \
	echo; \
	$(BIN)/python manage.py run_worker --backend background --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null || true' EXIT INT TERM; \
	$(BIN)/gunicorn -c portal/gunicorn.conf.py portal.wsgi

test: install ## run the whole test suite, browser tests included (PYTEST_ARGS passes options)
	scripts/ensure-browser
	@# One worker per core (pytest-xdist), each file's tests together and in order on one.
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Issue 18: after marking strings, add them to each language's catalogue and compile it
# (locale/<code>/LC_MESSAGES); translate the new entries and run it again. GNU gettext.
translations: install ## catalogue newly marked strings and compile the translations
	$(BIN)/python manage.py translations_update

lint: install ## ruff lint and format check, the layer contracts, Django system checks (production: --deploy), no missing migrations, complete translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# The layers (issue 11): no app imports a higher one, core imports no app, siblings
	@# stay apart ([tool.importlinter] in pyproject.toml; docs/architecture.md draws them).
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	@# Issue 18: every marked string translated in every catalogue, none fuzzy or stale,
	@# the compiled catalogues up to date (needs GNU gettext: apt-get install gettext).
	$(BIN)/python manage.py translations_check
	@# Django's deployment checks on the production settings, failing on any warning
	@# (issue 10). Dummy but valid secrets, for this check only; TRUSTED_PROXY_COUNT is
	@# given explicitly, as a deployment must (see portal/settings/production.py).
	env -u DJANGO_ALLOW_ASYNC_UNSAFE DJANGO_SETTINGS_MODULE=portal.settings.production \
		SECRET_KEY=lint-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
		ALLOWED_HOSTS=kindred.example DATABASE_URL=sqlite:///var/lint-deploy-check.sqlite3 \
		TRUSTED_PROXY_COUNT=0 \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

clean: ## delete the local database, var/ (uploads, static) and test-results/
	rm -rf db.sqlite3 var/ test-results/

search-engine: ## start a local Elasticsearch node in the background (builds it the first time) and print SEARCH_URL
	@url="$$(scripts/search-engine start)" && echo "SEARCH_URL=$$url" && \
		echo "export SEARCH_URL=$$url to use it; make search-engine-stop stops it (see search/engine/README.md)"

search-engine-stop: ## stop the local Elasticsearch node (its data stays in var/search-engine)
	scripts/search-engine stop

redis: ## start a local Redis in the background (needs redis-server) and print REDIS_URL
	@url="$$(scripts/redis start)" && echo "REDIS_URL=$$url" && \
		echo "export REDIS_URL=$$url to share the cache (make serve, several servers: docs/deploy.md); make redis-stop stops it"

redis-stop: ## stop the local Redis (its cache is dropped)
	scripts/redis stop

# Issue 17's figures (benchmarks/README.md, "Pages" and "Load"): wrk (Debian's package)
# against Kindred and a bare Django view, then Locust (the "bench" extra, installed here).
# Each makes a throwaway site of its own; options: PAGES_ARGS='--redis -d 3s', LOAD_ARGS='-t 30s'.
.PHONY: bench
bench: install ## measure the pages against a bare Django view (wrk), then the load test (Locust)
	$(BIN)/pip install --disable-pip-version-check -q -e ".[dev,bench]"
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
	$(BIN)/python benchmarks/pages.py $(PAGES_ARGS)
	$(BIN)/python benchmarks/load.py $(LOAD_ARGS)
