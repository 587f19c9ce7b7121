# Harbour: `make run` to start everything, `make test` to check everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Privacy: Rasa must never phone home, from any command started here.
export RASA_TELEMETRY_ENABLED := false
export PYTHONPATH := $(CURDIR)
export PYTHONHASHSEED := 0
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONWARNINGS := ignore::DeprecationWarning,ignore::PendingDeprecationWarning
# Ports, the database, RETENTION_DAYS and every other setting: bot/settings.py (the
# environment overrides each one, e.g. `RETENTION_DAYS=7 make purge`).

VENV   := .venv
PY     := $(VENV)/bin/python
# bot/rasa/launcher.py: the `rasa` command without loading TensorFlow, which Harbour never uses.
RASA   := $(VENV)/bin/python -m bot.rasa.launcher
MODEL  := models/harbour.tar.gz
# data/ holds exactly what Rasa trains on; the runtime data (directory/, lexicon/) is read
# when the servers start, so changing it needs no retraining.
TRAIN_INPUTS := config.yml domain.yml $(shell find data bot/nlu -type f -not -name '*.pyc' 2>/dev/null)

.PHONY: help install train run check test validate lint intent review feedback purge evaluate bench clean cluster bench-scale

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
	$(RASA) train --config config.yml --domain domain.yml --data data \
	  --out models --fixed-model-name harbour --quiet 2>&1 | grep -v "it/s" || true
	@test -f $@ && touch $@

run: install train ## Install, train if needed, start the action server, Rasa, the web app and the daily purge (Ctrl-C stops all)
	@bash scripts/run.sh

cluster: install train ## Past one machine: nginx, WEB web apps, RASA Rasa servers, ACTIONS action servers (2 each), PostgreSQL, Redis (docs/deploy.md)
	$(PY) -m bot.tools.cluster --web $(or $(WEB),2) --rasa $(or $(RASA),2) --actions $(or $(ACTIONS),2) --port $(or $(PORT),8080)

validate: install ## Check data, domain, stories, responses, services and schools
	$(RASA) data validate --config config.yml --domain domain.yml --data data \
	  --fail-on-warnings --max-history 5
	$(PY) -m bot.tools.validate

lint: install ## ruff check and ruff format --check (rules in pyproject.toml)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

check: validate lint ## Fast lane (under a minute): validation, lint, and the tests needing no model or servers
	$(PY) -m pytest -q -m unit tests/unit

test: validate ## Run validation, then the whole test suite: unit, model and stack (trains a fresh model)
	$(PY) -m pytest

intent: install ## Scaffold a new intent: make intent NAME=snake_case SECTION=images_sexting
	@$(PY) -m bot.tools.scaffold "$(NAME)" "$(SECTION)"

review: install ## Export recent unsure/fallback messages (redacted) to reports/review-*.yml for labelling
	$(PY) -m bot.tools.review --days $(or $(DAYS),7)

feedback: install ## Count "Was this helpful?" answers per topic (last DAYS days, default 30)
	$(PY) -m bot.tools.feedback --days $(or $(DAYS),30)

purge: install ## Delete stored conversations older than RETENTION_DAYS (default 30)
	$(PY) -m bot.privacy.retention

evaluate: install train ## NLU reports: held-out, 5-fold CV, and the blind sets -> reports/nlu.md, reports/blind-*.md
	$(PY) -m bot.tools.evaluate --folds $(or $(FOLDS),5)
	$(PY) -m bot.tools.blind --model $(MODEL)

BENCH_SECONDS ?= 20
BENCH_LEVELS ?= 1,10,50
bench: install train ## Harbour vs stock Rasa: training, start, memory, load at 1/10/50 sessions, accuracy; insight cost
	$(PY) bench/bench_action.py
	$(PY) bench/crisis_cost.py --model $(MODEL)
	$(PY) bench/message_cost.py --model $(MODEL)
	$(PY) bench/insight_cost.py
	$(PY) bench/bench.py --seconds $(BENCH_SECONDS) --levels $(BENCH_LEVELS)

bench-scale: install train ## Throughput and p95 through nginx with 1 and 2 Rasa servers, memory per process -> reports/bench-scale.md
	$(PY) bench/bench_scale.py --model $(MODEL) --seconds $(BENCH_SECONDS) --sessions $(or $(SESSIONS),20)

clean: ## Remove trained models, test results and caches (keeps .venv and var/)
	rm -rf models results .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
