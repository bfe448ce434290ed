"""deploy/helm/values.yaml, checked without helm or a cluster (neither is available here).

Rasa's rasa-bot chart (1.0.0) turns these values into the credentials.yml and endpoints.yml it
mounts at /app: templates/config-map.yaml copies additionalChannelCredentials as credentials.yml,
and writes endpoints.yml from the trackerStore and lockStore customConfiguration blocks plus
`action_endpoint: {url: ${ACTION_SERVER_URL}}`. The tests build those two files the same way and
load them with Rasa's own readers, so a deployment gets the channels and stores we test locally.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import pytest
import yaml
from rasa.core.channels.channel import InputChannel
from rasa.core.lock_store import LockStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.utils.common import class_from_module_path

from bot.rasa_ext.lock_store import AtomicRedisLockStore
from bot.rasa_ext.tracker_store import ErasableSQLTrackerStore
from bot.settings import action_server_health_url

ROOT = Path(__file__).resolve().parents[1]
VALUES = yaml.safe_load((ROOT / "deploy" / "helm" / "values.yaml").read_text())
SETTINGS = VALUES["applicationSettings"]

# What rasa-common sets in the Rasa container for external PostgreSQL/Redis and the action server.
CHART_ENV = {
    "DB_HOST": VALUES["postgresql"]["external"]["host"],
    "DB_PORT": str(VALUES["global"]["postgresql"]["servicePort"]),
    "DB_USER": VALUES["global"]["postgresql"]["postgresqlUsername"],
    "DB_DATABASE": VALUES["global"]["postgresql"]["postgresqlDatabase"],
    "DB_PASSWORD": "from-the-secret",
    "REDIS_HOST": VALUES["redis"]["external"]["host"],
    "REDIS_PORT": str(VALUES["redis"]["master"]["service"]["port"]),
    "REDIS_PASSWORD": "from-the-secret",
    "ACTION_SERVER_URL": "http://cj-rasa-bot-rasa-action-server.default.svc:80/webhook",
}


def chart_endpoints() -> Dict[str, Any]:
    endpoints = SETTINGS["endpoints"]
    return {
        "tracker_store": endpoints["trackerStore"]["customConfiguration"],
        "lock_store": endpoints["lockStore"]["customConfiguration"],
        "action_endpoint": {"url": "${ACTION_SERVER_URL}"},
    }


@pytest.fixture
def endpoints(tmp_path, monkeypatch) -> AvailableEndpoints:
    for name, value in CHART_ENV.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "endpoints.yml"
    path.write_text(yaml.safe_dump(chart_endpoints()))
    return AvailableEndpoints.read_endpoints(str(path))


def test_the_chart_gets_the_same_channels_as_credentials_yml():
    local = yaml.safe_load((ROOT / "credentials.yml").read_text())
    in_chart = SETTINGS["credentials"]["additionalChannelCredentials"]
    assert SETTINGS["credentials"]["enabled"] is True
    assert {name: settings or {} for name, settings in local.items()} == in_chart


@pytest.mark.parametrize("channel", sorted(SETTINGS["credentials"]["additionalChannelCredentials"]))
def test_each_channel_loads_from_its_chart_settings(channel):
    channel_class = class_from_module_path(channel)
    assert issubclass(channel_class, InputChannel)
    channel_class.from_credentials(SETTINGS["credentials"]["additionalChannelCredentials"][channel] or None)


def test_conversations_go_to_the_shared_postgresql_tracker_store_over_tls(endpoints):
    store = endpoints.tracker_store
    assert (
        class_from_module_path(store.type) is ErasableSQLTrackerStore
    )  # can erase a conversation on request
    assert store.url == CHART_ENV["DB_HOST"]
    assert store.kwargs["dialect"] == "postgresql"
    assert store.kwargs["db"] == CHART_ENV["DB_DATABASE"]
    assert store.kwargs["password"] == "from-the-secret"
    url = ErasableSQLTrackerStore.get_db_url(
        store.kwargs["dialect"],
        store.url,
        int(store.kwargs["port"]),
        store.kwargs["db"],
        store.kwargs["username"],
        store.kwargs["password"],
        query=store.kwargs["query"],
    )
    assert url.query["sslmode"] == "require"


def test_conversation_locks_use_our_atomic_redis_lock_store_over_tls(endpoints):
    import redis

    store = LockStore.create(endpoints.lock_store)
    assert isinstance(store, AtomicRedisLockStore)
    pool = store.red.connection_pool
    assert (pool.connection_kwargs["host"], pool.connection_kwargs["port"]) == (CHART_ENV["REDIS_HOST"], 6379)
    assert pool.connection_class is redis.SSLConnection


def test_the_action_server_gets_no_store_settings():
    names = [item["name"] for item in VALUES["rasa-action-server"]["extraEnv"]]
    assert not [name for name in names if name.startswith(("DB_", "REDIS_", "CJ_DATABASE", "CJ_REDIS"))]


def test_rasa_calls_the_separately_scaled_action_server_and_probes_its_health(endpoints):
    assert endpoints.action.url == CHART_ENV["ACTION_SERVER_URL"]
    assert VALUES["rasa-action-server"]["install"] is True
    assert action_server_health_url({"ACTION_SERVER_URL": endpoints.action.url}) == (
        "http://cj-rasa-bot-rasa-action-server.default.svc:80/health"
    )


def test_health_url_prefers_the_explicit_setting_then_falls_back_to_local():
    assert (
        action_server_health_url(
            {"CJ_ACTION_SERVER_HEALTH": "http://a:1/health", "ACTION_SERVER_URL": "http://b/webhook"}
        )
        == "http://a:1/health"
    )
    assert action_server_health_url({}) == "http://127.0.0.1:5055/health"


def test_the_public_server_runs_without_the_http_api_and_with_configured_cors():
    args = VALUES["args"]
    assert VALUES["command"] == ["python", "-m", "bot.tools.rasa_run"]  # applies bot.rasa_ext.patches first
    assert args[0] == "run"
    assert "--enable-api" not in args and "--auth-token" not in args
    assert args[args.index("--credentials") + 1] == "/app/credentials.yml"  # the chart's ConfigMap mount
    assert args[args.index("--endpoints") + 1] == "/app/endpoints.yml"
    assert args[args.index("--model") + 1] == "/app/models/assistant.tar.gz"


def test_rest_cors_and_the_socketio_origin_check_allow_the_same_sites():
    args = VALUES["args"]
    cors = [args[i + 1] for i, arg in enumerate(args) if arg == "--cors"]
    origins = next(
        item["value"] for item in VALUES["extraEnv"] if item["name"] == "CJ_ALLOWED_ORIGINS"
    ).split()
    assert cors == origins and "*" not in cors


def test_the_ingress_limits_each_visitor_and_hides_the_rasa_version():
    annotations = VALUES["ingress"]["annotations"]
    assert int(annotations["nginx.ingress.kubernetes.io/limit-rps"]) > 0
    assert int(annotations["nginx.ingress.kubernetes.io/limit-connections"]) > 0
    assert (
        annotations["nginx.ingress.kubernetes.io/app-root"] == "/site/"
    )  # "/" says "Hello from Rasa: <version>"
    limits = {
        item["name"]: int(item["value"])
        for item in VALUES["extraEnv"]
        if item["name"].startswith("CJ_RATE_LIMIT")
    }
    assert limits == {"CJ_RATE_LIMIT": 30, "CJ_RATE_LIMIT_IP": 60}


def test_a_daily_cronjob_purges_old_conversations_with_the_same_image_and_database():
    cronjob = yaml.safe_load((ROOT / "deploy" / "helm" / "retention-cronjob.yaml").read_text())
    assert cronjob["kind"] == "CronJob" and len(cronjob["spec"]["schedule"].split()) == 5
    container = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == ["python", "-m", "bot.tools.retention"]
    assert container["image"].startswith(f"{VALUES['registry']}/{VALUES['image']['name']}:")
    env = {item["name"]: item for item in container["env"]}
    assert (
        env["CJ_DATABASE_URL"]["valueFrom"]["secretKeyRef"]["name"]
        == VALUES["global"]["postgresql"]["existingSecret"]
    )


def test_several_rasa_replicas_share_external_stores_and_nothing_else_is_installed():
    assert VALUES["replicaCount"] >= 2
    assert VALUES["postgresql"]["install"] is False and VALUES["postgresql"]["external"]["enabled"] is True
    assert VALUES["redis"]["install"] is False and VALUES["redis"]["external"]["enabled"] is True
    assert VALUES["rabbitmq"]["install"] is False
    assert SETTINGS["endpoints"]["eventBroker"]["enabled"] is False
    assert SETTINGS["debugMode"] is False  # --debug would log message text


def test_every_setting_passed_in_the_environment_is_read_by_our_code():
    names = [item["name"] for item in VALUES["extraEnv"] if item["name"].startswith("CJ_")]
    source = "".join(p.read_text() for p in (ROOT / "bot").rglob("*.py")) + "".join(
        p.read_text() for p in (ROOT / "actions").rglob("*.py")
    )
    assert names
    assert [name for name in names if f'"{name}"' not in source] == []


def test_socketio_sessions_stick_to_one_replica():
    annotations = VALUES["ingress"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
