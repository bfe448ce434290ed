# Two commands for a fresh machine: `make run` (the assistant) and `make test` (every check).
# Both bootstrap what they need: .venv with pinned packages, the local spaCy pipeline, the model.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
RASA := $(PY) -m rasa
SPACY_PIPELINE := build/spacy_en/meta.json
SENTENCE_MODEL := build/minilm/model.onnx

export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TELEMETRY_ENABLED := false

export PYTHONDONTWRITEBYTECODE := 1
# NumPy matrix products in the sentence encoder are small: one thread is faster than several.
export OPENBLAS_NUM_THREADS := 1

.PHONY: help setup run shell test test-fast train content-check content-report places validate unit-tests conversation-tests nlu-tests browser-setup places-check bench retention test-scale soak lint

help:
	@echo "make run             start the assistant and the demo website (bootstraps everything)"
	@echo "make test            run every check (bootstraps everything)"
	@echo "make shell           staff mode: try answers in a terminal (intent, content entries, /why) and a staff view of the widget"
	@echo "make reload-content  check content/ and have the running assistant serve it now (no retraining)"
	@echo "make insights        write build/insights/index.html for staff (SINCE=2026-01-01 for a period)"
	@echo "make content-check   validate the content files only"
	@echo "make content-report  write build/content-report.md for staff"

$(VENV)/.installed: requirements.lock pyproject.toml scripts/bootstrap_venv.sh
	bash scripts/bootstrap_venv.sh
	touch $@

$(SPACY_PIPELINE): $(VENV)/.installed bot/tools/spacy_pipeline.py
	$(PY) -m bot.tools.spacy_pipeline build/spacy_en

$(SENTENCE_MODEL): $(VENV)/.installed bot/tools/sentence_model.py bot/tools/sentence_onnx.py
	$(PY) -m bot.tools.sentence_model

setup: $(VENV)/.installed $(SPACY_PIPELINE) $(SENTENCE_MODEL)

content-check: $(VENV)/.installed
	$(PY) -m bot.tools.content_check

content-report: content-check
	$(PY) -m bot.tools.content_report build/content-report.md

places: content-check
	$(PY) -m bot.tools.places_lookup

train: setup content-check
	$(PY) -m bot.tools.places_lookup --check
	$(PY) -m bot.tools.training

run: train
	$(PY) -m bot.tools.serve

# Staff mode (bot/tools/shell.py): a console against our guarded channels on 127.0.0.1 with its own store
# (storage/shell.db); under each reply the intent, the content entries, their sources and reviewed dates; /why.
# While it runs, the staff view of the widget is at http://127.0.0.1:5006/site/staff/ (this machine only).
shell: train
	mkdir -p storage && bash scripts/with_action_server.sh $(PY) -m bot.tools.shell

.PHONY: reload-content insights
# Content is served from the next reply after a valid edit (the action server looks every second); this checks
# it now, as content-check does, and prints what the running assistant did. Nothing is retrained.
reload-content: $(VENV)/.installed
	$(PY) -m bot.tools.reload_content

# For staff: what the public asked, what failed, feedback, crisis replies, content due for review
# (docs/staff.md). Reads CJ_DATABASE_URL or storage/conversations.db. SINCE=2026-01-01 chooses the period.
insights: $(VENV)/.installed
	$(PY) -m bot.tools.insights $(if $(SINCE),--since $(SINCE))

validate: setup
	$(PY) -m bot.tools.validate

unit-tests: train browser-setup
	bash scripts/pytest.sh

# The tests that need no server, model or browser: seconds, for quick iteration.
test-fast: $(VENV)/.installed
	bash scripts/pytest.sh -m unit --ignore=tests/browser  # no unit test lives there: not even imported

# Debian's Chromium for the browser tests (`playwright install` cannot download browsers here).
browser-setup:
	@test -x /usr/bin/chromium || { SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$SUDO apt-get update && $$SUDO apt-get install -y chromium; }

conversation-tests: train
	$(RASA) test core --model models/assistant.tar.gz --stories tests/conversations --e2e \
		--fail-on-prediction-errors --out build/results/conversations

nlu-tests: train
	$(PY) -m bot.tools.nlu_report

# ruff (lint and format) over the project's Python; mypy over the code that ships (bot/, actions/).
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: lint content-check places-check train validate unit-tests conversation-tests nlu-tests
	@echo "All checks passed."

places-check: content-check
	$(PY) -m bot.tools.places_lookup --check

bench: train
	$(PY) -m bench.run_bench

retention: $(VENV)/.installed
	$(PY) -m bot.tools.retention

# Two Rasa servers behind nginx with PostgreSQL and Redis on loopback (deploy/scale_out.sh); about 5 minutes.
test-scale: train
	$(PY) -m pytest -m scale tests/scale -s

# 10 minutes at a steady rate against one assistant; CJ_SOAK_SECONDS=120 for a shorter trial.
soak: train
	$(PY) -m deploy.soak

# Containers (outside `make test`): the image, docker-compose.yml, and on machines without a registry
# stand-ins for the official base images (docs/deployment.md, "Docker and Compose").
# DOCKER_BASE=local builds the stand-ins first; DOCKER_BASE=official uses python:3.10-slim etc.
DOCKER_BASE ?= local
.PHONY: docker-base-images docker-build test-docker

docker-base-images:
	bash scripts/local_base_images.sh

# Both images; with the stand-in base image when `make docker-base-images` has made one (DOCKER_BASE=local).
docker-build:
	@if [ "$(DOCKER_BASE)" = local ] && [ -f build/docker/local-images.env ]; then set -a; . build/docker/local-images.env; set +a; fi; \
		PYTHON_IMAGE="$${PYTHON_IMAGE:-$${CJ_PYTHON_IMAGE:-python:3.10-slim}}" bash deploy/docker/build.sh

# Builds both images, brings the compose deployment up on 127.0.0.1, talks to it through nginx, kills
# one Rasa container mid-conversation, brings it down. Uses models/assistant.tar.gz as it is (mounted).
test-docker: $(VENV)/.installed
	DOCKER_BASE=$(DOCKER_BASE) bash deploy/docker/test_docker.sh
