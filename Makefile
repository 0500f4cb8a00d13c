# advisor-book developer commands. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV     := .venv
SAM_VENV := .venv-sam
BIN      := $(VENV)/bin
SAM_BIN  := $(SAM_VENV)/bin
PIP_VERSION := 26.3
# sam build looks for python3.13 on PATH; the project's environment provides it.
export PATH := $(CURDIR)/$(BIN):$(PATH)
# sam validate wants a region (never credentials); the tests never reach AWS.
export AWS_DEFAULT_REGION ?= us-east-1
export SAM_CLI_TELEMETRY := 0
# The targets that reach AWS (deploy, env-json, smoke with ENV) use the caller's own region
# (AWS_REGION, AWS_DEFAULT_REGION or the profile's), never the default above.
CALLER_AWS := $(if $(filter file,$(origin AWS_DEFAULT_REGION)),env -u AWS_DEFAULT_REGION)
# The samconfig.toml deploy environment of deploy, env-json and smoke: default, dev or prod.
# (make import goes to the local stack unless ENV is given.)
DEPLOY_ENV := $(or $(ENV),default)

# The first working Python 3.13: python3.13 on PATH, else one installed by pyenv.
PYTHON313 := $(shell \
  for p in python3.13 $$(pyenv root 2>/dev/null)/versions/3.13*/bin/python3.13; do \
    if "$$p" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' >/dev/null 2>&1; then \
      echo "$$p"; break; \
    fi; \
  done)

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# Creates $(VENV) with the pinned pip (again harmlessly when it exists).
define create_venv
	@if [ -z "$(PYTHON313)" ]; then \
	  echo "error: Python 3.13 not found. Install it (python.org, your package manager, or 'pyenv install 3.13') so that 'python3.13' runs." >&2; \
	  exit 1; \
	fi
	@$(PYTHON313) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip==$(PIP_VERSION)
endef

# What the local stack needs (make run, token, import, invoke): the layer's requirements and the stack
# group, no more. The dev group includes the stack group, so either stamp is enough for these.
$(VENV)/.stack-installed: pyproject.toml layers/shared/requirements.txt
	@echo "Installing the local stack's dependencies into $(VENV): a minute or two the first time, then never again until pyproject.toml changes."
	$(create_venv)
	$(BIN)/python -m pip install -r layers/shared/requirements.txt --group stack
	@touch $@

# Everything make test, lint and the generators need (a superset of the stack's).
$(VENV)/.installed: pyproject.toml layers/shared/requirements.txt
	$(create_venv)
	$(BIN)/python -m pip install --quiet -r layers/shared/requirements.txt --group dev
	@touch $@ $(VENV)/.stack-installed

$(SAM_VENV)/.installed: pyproject.toml | $(VENV)/.installed
	$(BIN)/python -m venv $(SAM_VENV)
	$(SAM_BIN)/python -m pip install --quiet --upgrade pip==$(PIP_VERSION)
	$(SAM_BIN)/python -m pip install --quiet --group sam
	@touch $@

.PHONY: install
install: $(VENV)/.installed $(SAM_VENV)/.installed ## Create the virtual environments with pinned dependencies

.PHONY: fmt
fmt: install ## Format the code and apply safe lint fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

.PHONY: lint
lint: install ## ruff, ruff format --check, mypy, cfn-lint and sam validate --lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy functions layers/shared tests local bench
	$(SAM_BIN)/cfn-lint template.yaml
	$(SAM_BIN)/sam validate --lint --template-file template.yaml

.PHONY: check
check: $(VENV)/.installed ## The fast loop: lint, types, unit and integration tests without the local stack
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy functions layers/shared tests local bench
	$(BIN)/pytest -q -n auto -m "not e2e and not slow"

# The browser test drives Debian's Chromium. Installed here when missing and this user may
# (root, or sudo without a password); otherwise the test fails saying how to install it.
CHROMIUM := /usr/bin/chromium

.PHONY: browser
browser: ## Install Chromium for the browser test (apt-get), unless it is there
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then sudo=; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=sudo; \
	  else \
	    echo "warning: no $(CHROMIUM), and installing it needs root: run 'sudo apt-get install -y chromium' (Debian, Ubuntu); until then the browser test fails." >&2; \
	    exit 0; \
	  fi; \
	  echo "Installing Chromium with apt-get for the browser test (about a minute, once)..."; \
	  $$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q chromium \
	    || echo "warning: apt-get could not install chromium; the browser test will fail." >&2; \
	fi

.PHONY: test
test: lint browser ## Lint, type-check, validate the template and run every test, with coverage
	$(BIN)/coverage erase
	$(BIN)/coverage run -m pytest -n auto -m "not e2e"
	$(BIN)/coverage run -m pytest -m e2e
	@$(BIN)/coverage combine --quiet; rm -f .coverage.*  # what a killed process left half-written
	$(BIN)/coverage report

.PHONY: run
run: $(VENV)/.stack-installed ## Run the API on 127.0.0.1:3000 over a local AWS emulator, with data.json imported
	$(BIN)/python -m local.stack

.PHONY: token
token: $(VENV)/.stack-installed ## Print an admin ID token for the running stack (ADVISOR=<id>: that advisor's; CLIENT=<app client>: a service's access token, SCOPE=<scope> to ask for one)
	@$(BIN)/python -m local.stack.token $(if $(ADVISOR),--advisor $(ADVISOR)) $(if $(CLIENT),--client $(CLIENT)) $(foreach s,$(SCOPE),--scope $(s))

.PHONY: invoke
invoke: $(VENV)/.stack-installed ## Run a function once on an event, without Docker: FUNCTION=<logical id> EVENT=<file>
	@$(BIN)/python -m local.invoke $(if $(FUNCTION),"$(FUNCTION)") $(if $(EVENT),"$(EVENT)")

.PHONY: env-json
env-json: $(VENV)/.installed ## env.json for sam local invoke, from a deployed stack (ENV=default|dev|prod or STACK=<name>)
	@$(CALLER_AWS) $(BIN)/python -m local.tools.env_json --env "$(DEPLOY_ENV)" $(if $(STACK),--stack "$(STACK)")

.PHONY: import
import: $(VENV)/.stack-installed ## Upload FILE=<path> to the seed bucket and follow its import (ENV=<samconfig env>: deployed; KEY=, BUCKET=)
	@if [ -z "$(FILE)" ]; then \
	  echo "usage: make import FILE=<path> [KEY=<s3 key>] [ENV=<samconfig env>] [BUCKET=<bucket>]" >&2; \
	  exit 2; \
	fi
	@$(if $(ENV),$(CALLER_AWS)) $(BIN)/python -m local.stack.upload "$(FILE)" $(if $(KEY),--key "$(KEY)") \
	  $(if $(ENV),--env "$(ENV)") $(if $(BUCKET),--bucket "$(BUCKET)")

.PHONY: build
build: install ## sam build (the layer and every function)
	$(SAM_BIN)/sam build --template-file template.yaml

.PHONY: deploy
deploy: install ## Build, then sam deploy the samconfig.toml environment ENV=default|dev|prod
	@$(BIN)/python -m local.deployed --env "$(DEPLOY_ENV)" > /dev/null
	@$(MAKE) --no-print-directory build
	$(CALLER_AWS) $(SAM_BIN)/sam deploy --config-env "$(DEPLOY_ENV)"

.PHONY: smoke
smoke: $(VENV)/.installed ## The smoke tests against a deployed stack: ENV=default|dev|prod, STACK=<name> or URL=<api> TOKEN=<id token>
ifneq ($(URL)$(TOKEN),)
	SMOKE_URL="$(URL)" SMOKE_TOKEN="$(TOKEN)" $(BIN)/pytest tests/e2e/test_smoke.py
else ifneq ($(STACK),)
	SMOKE_STACK="$(STACK)" $(CALLER_AWS) $(BIN)/pytest tests/e2e/test_smoke.py
else
	@$(BIN)/python -m local.deployed --env "$(DEPLOY_ENV)" > /dev/null
	SMOKE_ENV="$(DEPLOY_ENV)" $(CALLER_AWS) $(BIN)/pytest tests/e2e/test_smoke.py
endif

.PHONY: bench
bench: $(VENV)/.installed build ## Measure cold starts, DynamoDB requests, ingest speed and memory (minutes)
	$(BIN)/python -m bench

.PHONY: events
events: install ## Regenerate the sample events in events/
	PYTHONPATH=layers/shared $(BIN)/python -m local.tools.sample_events

.PHONY: openapi
openapi: $(VENV)/.installed ## Regenerate functions/docs/openapi.json from the routes and models, and the Python client from it
	PYTHONPATH=layers/shared $(BIN)/python -m local.tools.openapi
	$(BIN)/python -m local.tools.python_client

.PHONY: clean
clean: ## Remove virtual environments, build output and caches
	rm -rf $(VENV) $(SAM_VENV) .aws-sam .pytest_cache .mypy_cache .ruff_cache .coverage .coverage.*
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
