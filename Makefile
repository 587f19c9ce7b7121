# Harbour: `make run` to start everything, `make test` to check everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Privacy: Rasa must never phone home, from any command started here.
export RASA_TELEMETRY_ENABLED := false
export PYTHONPATH := $(CURDIR)
export PYTHONHASHSEED := 0
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONWARNINGS := ignore::DeprecationWarning,ignore::PendingDeprecationWarning
export RASA_PORT ?= 5005
export ACTIONS_PORT ?= 5055
export HARBOUR_DB ?= var/harbour.db
export RETENTION_DAYS ?= 30

VENV   := .venv
PY     := $(VENV)/bin/python
# bot/lean_rasa.py: the `rasa` command without loading TensorFlow, which Harbour never uses.
RASA   := $(VENV)/bin/python -m bot.lean_rasa
MODEL  := models/harbour.tar.gz
TRAIN_DATA := data/nlu data/rules data/stories data/responses
TRAIN_INPUTS := config.yml domain.yml $(shell find data bot/nlu -type f -not -name '*.pyc' 2>/dev/null)

.PHONY: help install train run test validate intent review feedback purge evaluate bench clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## Create .venv with uv from uv.lock (fast when nothing changed)

$(VENV)/.installed: pyproject.toml uv.lock
	@UV="$$(command -v uv || true)"; \
	if [ -z "$$UV" ] && ! python3 -m uv --version >/dev/null 2>&1; then \
	  echo "Installing uv with pip"; python3 -m pip install --quiet uv; fi; \
	UV="$${UV:-python3 -m uv}"; $$UV sync --frozen --python python3
	@touch $@

train: $(MODEL) ## Train the model (skipped when it is newer than config, domain and data)

$(MODEL): $(VENV)/.installed $(TRAIN_INPUTS)
	@mkdir -p models
	$(RASA) train --config config.yml --domain domain.yml --data $(TRAIN_DATA) \
	  --out models --fixed-model-name harbour --quiet 2>&1 | grep -v "it/s" || true
	@test -f $@ && touch $@

run: install train ## Install, train if needed, start the action server and Rasa (Ctrl-C stops both)
	@bash scripts/run.sh

validate: install ## Check data, domain, stories, responses, services and schools
	$(RASA) data validate --config config.yml --domain domain.yml --data $(TRAIN_DATA) \
	  --fail-on-warnings --max-history 5
	$(PY) -m bot.validate

test: validate ## Run validation, then the whole test suite (trains a fresh model in a temporary folder)
	$(PY) -m pytest

intent: install ## Scaffold a new intent: make intent NAME=snake_case SECTION=images_sexting
	@$(PY) -m bot.scaffold "$(NAME)" "$(SECTION)"

review: install ## Export recent unsure/fallback messages (redacted) to reports/review-*.yml for labelling
	$(PY) -m bot.review --db $(HARBOUR_DB) --days $(or $(DAYS),7)

feedback: install ## Count "Was this helpful?" answers per topic (last DAYS days, default 30)
	$(PY) -m bot.feedback --db $(HARBOUR_DB) --days $(or $(DAYS),30)

purge: install ## Delete stored conversations older than RETENTION_DAYS (default 30)
	$(PY) -m bot.retention --db $(HARBOUR_DB) --days $(RETENTION_DAYS)

evaluate: install train ## NLU report: held-out test + 5-fold cross-validation -> reports/nlu.md and PNGs
	$(PY) -m bot.evaluate --folds $(or $(FOLDS),5)

BENCH_SECONDS ?= 20
BENCH_LEVELS ?= 1,10,50
bench: install train ## Harbour vs stock Rasa: training, start, memory, load at 1/10/50 sessions, accuracy
	$(PY) scripts/bench_action.py
	$(PY) scripts/bench.py --seconds $(BENCH_SECONDS) --levels $(BENCH_LEVELS)

clean: ## Remove trained models, test results and caches (keeps .venv and var/)
	rm -rf models results .pytest_cache
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
