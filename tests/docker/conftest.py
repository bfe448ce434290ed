"""tests/docker runs only from `make test-docker` (CJ_DOCKER_TESTS=1): it needs a Docker daemon,
built images and several minutes, so `make test` and a plain `pytest` do not collect it."""

import os

import pytest

if os.environ.get("CJ_DOCKER_TESTS") != "1":
    collect_ignore_glob = ["test_*.py"]


def pytest_configure(config):
    config.addinivalue_line("markers", "docker: the Docker Compose deployment (make test-docker)")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/docker/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.docker)
