# The two public targets are `make run` and `make test` (see README.md).
# Everything else is a file target, so a second run reinstalls nothing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
VENDOR := webapp/static/vendor
ASSETS := $(VENDOR)/htmx.min.js $(VENDOR)/axe.min.js $(VENDOR)/studio-editor.js

.PHONY: run test setup setup-test postgresql lint-forms bench clean texts

run: setup
	$(BIN)/flask --app webapp init-db
	@echo ""
	@echo "  formwerk is running: open http://$(HOST):$(PORT)/"
	@echo ""
	FORMWERK_SECURE_COOKIES=0 $(BIN)/waitress-serve --host $(HOST) --port $(PORT) --threads 8 --call webapp:create_app

test: setup-test /usr/bin/chromium postgresql
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The compiled gettext catalogs (webapp/translations/<lang>/LC_MESSAGES/messages.mo; not in git).
CATALOGS := $(patsubst %.po,%.mo,$(wildcard webapp/translations/*/LC_MESSAGES/messages.po))

setup: $(VENV)/.runtime $(ASSETS) $(CATALOGS)
setup-test: setup $(VENV)/.test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.runtime
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

webapp/translations/%/LC_MESSAGES/messages.mo: webapp/translations/%/LC_MESSAGES/messages.po | $(VENV)/.runtime
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/htmx.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $@

$(VENDOR)/axe.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/axe-core/axe.min.js $@

# The studio's editor: CodeMirror 6 bundled by esbuild (both pinned in package.json).
$(VENDOR)/studio-editor.js: node_modules/.package-lock.json webapp/studio/assets/editor.js
	mkdir -p $(VENDOR)
	node_modules/.bin/esbuild webapp/studio/assets/editor.js --bundle --minify --format=iife --target=es2020 --log-level=warning --outfile=$@

# Debian's Chromium for the browser tests (Playwright cannot download browsers here).
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null

# Debian's PostgreSQL server for the storage tests; the test session starts a
# throwaway cluster on 127.0.0.1 and stops it again (tests/postgres.py).
postgresql:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then :; else \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null; fi

lint-forms: setup
	@for f in forms/*/; do $(BIN)/formwerk lint $$f || exit 1; done

bench: setup-test postgresql
	$(BIN)/python -m benchmarks

# Convert legacy {"de", "en"} text tables and bring the English catalog in line (tools/texts_to_catalog.py).
texts: setup
	$(BIN)/python tools/texts_to_catalog.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) instance
