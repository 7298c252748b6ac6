# Set-up is two commands: `make demo` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean test-browser test-long

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,server,ws]'
	touch $(STAMP)

demo: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash examples/demo.sh

lint: $(STAMP)
	$(BIN)/ruff check pynsc tests examples benchmarks scripts
	$(BIN)/mypy pynsc

test: lint
	$(BIN)/python -m pytest -n 2 --dist loadfile

# The web backend example in headless Chromium (Debian's chromium package, /usr/bin/chromium);
# nats.ws comes from npm, pinned by examples/web_backend/package-lock.json.
WEB_EXAMPLE := examples/web_backend
NATS_WS := $(WEB_EXAMPLE)/node_modules/nats.ws/esm/nats.js

$(NATS_WS): $(WEB_EXAMPLE)/package.json $(WEB_EXAMPLE)/package-lock.json
	cd $(WEB_EXAMPLE) && npm ci --omit=optional --no-audit --no-fund
	touch $@

test-browser: $(STAMP) $(NATS_WS)
	$(BIN)/python -m pytest tests/browser

# The reliability suites at full length: hundreds of commands killed mid-write, tens of
# thousands of fuzzed inputs, strict linearity checks (minutes; CI may skip it).
test-long: $(STAMP)
	PYNSC_RELIABILITY_LONG=1 $(BIN)/python -m pytest -n 2 tests/reliability

# Every speed goal beside its floor (benchmarks/bench.py, docs/benchmarks.md; minutes: it builds
# a 100,000-user store), then push -A against a local cluster. E.g. BENCH_ARGS="--keep /tmp/b".
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/push.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
