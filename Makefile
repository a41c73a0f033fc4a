# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export REPO_DATA_DIR ?= instance
# The browser tests use Debian's Chromium (/usr/bin/chromium): Playwright must never fetch its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
# `make run PORT=8080` serves elsewhere when 5000 is taken (links built on that port too).
PORT   ?= 5000

.PHONY: run test install translations bytecode lint bench clean axe

run: install
	$(BIN)/repo-app init
	$(BIN)/repo-app demo
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl+C to stop)"
	REPO_BASE_URL=$${REPO_BASE_URL:-http://127.0.0.1:$(PORT)} \
		$(BIN)/repo-app run --host 127.0.0.1 --port $(PORT)

test: install axe
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

install: $(STAMP) translations bytecode

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile -d repo_app/translations

# The project's own modules compiled once: an editable install leaves them as source, and where
# PYTHONDONTWRITEBYTECODE is set every command (and every extraction process) would compile
# them again, a quarter of a second each start on a small machine. Only changed files recompile.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q repo_app search ingest >/dev/null

# axe-core for the accessibility checks of tests/browser, from npm at the version locked there;
# where npm is missing or fails, those checks skip and say so (nothing else depends on it).
AXE := tests/browser/node_modules/axe-core/axe.min.js
axe: $(AXE)

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error || \
	  echo "axe-core not installed: the accessibility checks in tests/browser will skip" >&2

lint: install
	$(BIN)/ruff check repo_app search ingest tests bench
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) build *.egg-info tests/browser/node_modules
