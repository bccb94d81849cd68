# Agora — one front door for humans and CI.
#   make up      run the whole platform on embedded defaults (SQLite, in-process bus)
#   make test    lint + the whole test suite
#   make lint    ruff, mypy --strict, import rules
#   make schema  export each subgraph's SDL and compose schema/supergraph.graphql
#   make bench   benchmarks (figures and ratios against a baseline measured in the same run)
#   make bench-inventory  stock reservations/s on PostgreSQL (AGORA_TEST_POSTGRES_URL)

SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON ?= python3.11
PYTHON_BOOT ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
RUN := $(UV) run --frozen
PYTEST_ARGS ?=

.PHONY: help install up otp test lint format schema bench bench-search bench-inventory bench-checkout clean \
	frontend frontend-test chromium

help:
	@sed -n '2,7p' Makefile | sed 's/^# //'

.tools/bin/uv:
	$(PYTHON_BOOT) -m venv .tools
	.tools/bin/pip install --quiet 'uv==0.13.9'

.venv/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen
	@touch $@

router/node_modules/.installed: router/package-lock.json router/package.json
	npm ci --prefix router --no-audit --no-fund --loglevel=error
	@touch $@

# `npm install --no-save` from the lock (not `npm ci`): the registry here lacks the other platforms'
# optional native packages (tailwind oxide, rolldown bindings), which `npm ci` insists on listing.
frontend/node_modules/.installed: frontend/package-lock.json frontend/package.json
	npm install --prefix frontend --no-save --no-audit --no-fund --loglevel=error
	@touch $@

install: .venv/.synced router/node_modules/.installed frontend/node_modules/.installed

# The storefront and admin: operations typed from schema/supergraph.graphql (a breaking schema change
# fails here), type-checked, built into frontend/dist.
frontend: frontend/node_modules/.installed
	cd frontend && npm run --silent codegen && npm run --silent typecheck && npm run --silent build

# Unit tests with coverage (≥ 80 %); the browser suite runs in pytest (tests/e2e/test_browser.py).
frontend-test: frontend
	cd frontend && npm run --silent test

# Debian's Chromium for the browser tests (no browser download from elsewhere works here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

up: install frontend
	$(RUN) python -m subgraphs up

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy
	$(RUN) lint-imports

format: install
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

test: lint frontend-test chromium
	$(RUN) pytest $(PYTEST_ARGS)

schema: install
	AGORA_DATA_DIR=$$(mktemp -d) $(RUN) python -m subgraphs export-schema
	node router/compose.mjs

bench: install
	$(RUN) python -m bench

# Search at 100k SKUs (engine); through the router when AGORA_BENCH_ROUTER_URL is set.
bench-search: install
	$(RUN) python -m bench.search

bench-inventory: install
	$(RUN) python -m bench.inventory_bench $(BENCH_ARGS)

# Guest purchases (= stock reservations) per second through the router, one hot SKU.
bench-checkout: install
	$(RUN) python -m bench.checkout_router $(BENCH_ARGS)

# The demo admin's current TOTP code (development only; see `make up`).
otp: install
	@$(RUN) python -m subgraphs dev-otp

clean:
	rm -rf .venv .tools router/node_modules frontend/node_modules frontend/dist .agora .pytest_cache .mypy_cache .ruff_cache
