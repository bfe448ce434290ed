"""What `make run` (bot/tools/serve.py) hands to the servers: endpoint files without passwords and
readable by their owner only, database and Redis TLS options passed through, the action server with
only the environment it needs, and --cors the same as the Socket.IO origin check."""

import os
import stat
from pathlib import Path

import pytest
import yaml
from rasa.core.lock_store import LockStore
from rasa.core.utils import AvailableEndpoints

from bot.rasa_ext.lock_store import AtomicRedisLockStore, connection_settings
from bot.settings import Settings
from bot.tools import serve
from bot.tools.serve import Ports, action_server_env, endpoints_file, rasa_server_command

DATABASE_URL = "postgresql://cj:s3cret-pw@db.example.org:5432/cj?sslmode=require"
REDIS_URL = "rediss://:r3dis-pw@redis.example.org:6380/1?ssl_ca_certs=/etc/ssl/certs/ca-certificates.crt"


@pytest.fixture
def stores(monkeypatch):
    """Settings with both store URLs, as when CJ_DATABASE_URL and CJ_REDIS_URL are set."""
    settings = Settings.from_env({"CJ_DATABASE_URL": DATABASE_URL, "CJ_REDIS_URL": REDIS_URL})
    monkeypatch.setattr(serve, "settings_now", lambda: settings)
    monkeypatch.setenv("CJ_DATABASE_URL", DATABASE_URL)
    monkeypatch.setenv("CJ_REDIS_URL", REDIS_URL)
    return settings


def test_generated_endpoints_hold_no_password_and_only_the_owner_can_read_them(stores):
    path = endpoints_file(Ports(rasa=6123, actions=6124))
    text = path.read_text()
    assert "s3cret-pw" not in text and "r3dis-pw" not in text
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    config = yaml.safe_load(text)
    assert config["tracker_store"] == {
        "type": "bot.rasa_ext.tracker_store.ErasableSQLTrackerStore",
        "dialect": "postgresql",
        "url": "${CJ_DATABASE_URL}",
    }
    assert config["lock_store"] == {
        "type": "bot.rasa_ext.lock_store.AtomicRedisLockStore",
        "url": "${CJ_REDIS_URL}",
    }


def test_rasa_reads_the_urls_from_its_environment_with_sslmode_and_redis_tls(stores):
    endpoints = AvailableEndpoints.read_endpoints(str(endpoints_file(Ports(rasa=6123, actions=6124))))
    assert endpoints.tracker_store.url == DATABASE_URL  # ?sslmode=require reaches the driver as given
    lock_store = LockStore.create(endpoints.lock_store)
    assert isinstance(lock_store, AtomicRedisLockStore)
    connection = lock_store.red.connection_pool
    import redis

    assert connection.connection_class is redis.SSLConnection
    assert connection.connection_kwargs["ssl_ca_certs"] == "/etc/ssl/certs/ca-certificates.crt"
    assert (connection.connection_kwargs["host"], connection.connection_kwargs["port"]) == (
        "redis.example.org",
        6380,
    )
    assert connection.connection_kwargs["password"] == "r3dis-pw"


def test_the_lock_store_still_takes_rasas_own_keys():
    from rasa.utils.endpoints import EndpointConfig

    settings = connection_settings(
        EndpointConfig(
            url="redis.internal", port="6379", db="1", password="pw", use_ssl="true", ssl_ca_certs="/ca.pem"
        )
    )
    assert (
        settings["host"] == "redis.internal"
        and settings["use_ssl"] is True
        and settings["ssl_ca_certs"] == "/ca.pem"
    )
    with pytest.raises(ValueError):
        connection_settings(EndpointConfig(url="http://redis.internal"))


def test_endpoints_follow_the_environment_the_launcher_sets_now(monkeypatch):
    """deploy/topology.py sets CJ_DATABASE_URL after this process has read its settings once."""
    monkeypatch.delenv("CJ_DATABASE_URL", raising=False)
    monkeypatch.delenv("CJ_REDIS_URL", raising=False)
    assert (
        yaml.safe_load(endpoints_file(Ports(rasa=6126, actions=6124)).read_text())["tracker_store"]["dialect"]
        == "sqlite"
    )
    monkeypatch.setenv("CJ_DATABASE_URL", DATABASE_URL)
    assert (
        yaml.safe_load(endpoints_file(Ports(rasa=6126, actions=6124)).read_text())["tracker_store"]["dialect"]
        == "postgresql"
    )


def test_the_shell_keeps_to_its_own_sqlite_store(stores):
    config = yaml.safe_load(
        endpoints_file(Ports(rasa=6125, actions=6124), sqlite_store="storage/shell.db").read_text()
    )
    assert config["tracker_store"]["db"] == "storage/shell.db"
    assert config["tracker_store"]["dialect"] == "sqlite" and "lock_store" not in config


def test_the_action_server_gets_only_what_it_needs():
    source = {
        "PATH": "/usr/bin",
        "HOME": "/home/cj",
        "CJ_DATABASE_URL": DATABASE_URL,
        "CJ_REDIS_URL": REDIS_URL,
        "CJ_DEFAULT_PARTNERSHIP": "dumfries_galloway",
        "AWS_SECRET_ACCESS_KEY": "x",
        "DB_PASSWORD": "y",
        "REDIS_PASSWORD": "z",
        "SOMETHING_ELSE": "w",
    }
    env = action_server_env(Ports(rasa=5005, actions=5055, host="127.0.0.1"), source)
    assert env["CJ_DEFAULT_PARTNERSHIP"] == "dumfries_galloway" and env["PATH"] == "/usr/bin"
    assert env["SANIC_HOST"] == "127.0.0.1"  # rasa_sdk listens on 0.0.0.0 otherwise
    for secret in (
        "CJ_DATABASE_URL",
        "CJ_REDIS_URL",
        "AWS_SECRET_ACCESS_KEY",
        "DB_PASSWORD",
        "REDIS_PASSWORD",
        "SOMETHING_ELSE",
    ):
        assert secret not in env


def test_cors_lists_the_same_origins_as_the_socketio_check(monkeypatch):
    settings = Settings.from_env({"CJ_ALLOWED_ORIGINS": "https://a.example https://b.example"})
    monkeypatch.setattr(serve, "settings_now", lambda: settings)
    command = rasa_server_command(Ports(rasa=6200, actions=6201), serve.PROJECT_ROOT / "endpoints.yml")
    assert [command[i + 1] for i, arg in enumerate(command) if arg == "--cors"] == [
        "https://a.example",
        "https://b.example",
    ]
    assert command[1:4] == ["-m", "bot.tools.rasa_run", "run"]
    local = Settings.from_env({"CJ_ALLOWED_ORIGINS": "  "})
    monkeypatch.setattr(serve, "settings_now", lambda: local)
    command = rasa_server_command(Ports(rasa=6200, actions=6201), serve.PROJECT_ROOT / "endpoints.yml")
    assert [command[i + 1] for i, arg in enumerate(command) if arg == "--cors"] == [
        "http://localhost:6200",
        "http://127.0.0.1:6200",
    ]  # an empty setting never means "any origin"


def test_bad_store_urls_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="postgresql://"):
        serve.postgres_tracker_store("mysql://x@y/z")
    with pytest.raises(ValueError, match="rediss://"):
        serve.redis_lock_store("http://redis")


def test_make_shell_uses_the_guarded_channel_on_loopback_with_its_own_store(monkeypatch, tmp_path):
    """bot.tools.shell: our own console, against our checks (the staff channels are the guarded ones
    with staff notes), on 127.0.0.1, storage/shell.db."""
    import sys

    import rasa.core.run

    from bot.rasa_ext.channels.guarded import GuardedRestInput, GuardedSocketIOInput
    from bot.rasa_ext.channels.staff import StaffRestInput, StaffSocketIOInput
    from bot.tools import shell

    captured = {}
    monkeypatch.setattr(rasa.core.run, "serve_application", lambda **kwargs: captured.update(kwargs))
    monkeypatch.setattr(shell.patches, "apply", lambda: True)  # not in this test process
    monkeypatch.setattr(sys, "argv", ["shell", "--port", "6399"])
    for name in ("CJ_RASA_PORT", "CJ_ALLOWED_ORIGINS"):  # main() sets them for its servers: undone afterwards
        monkeypatch.delenv(name, raising=False)
    model = tmp_path / "assistant.tar.gz"
    model.write_bytes(b"")
    monkeypatch.setattr(shell, "get_settings", lambda: Settings.from_env({"CJ_MODEL_DIR": str(tmp_path)}))
    assert shell.main() == 0
    assert (
        captured["interface"] == "127.0.0.1"
        and captured["enable_api"] is False
        and captured["channel"] is None
    )
    assert captured["cors"] == ["http://localhost:6399", "http://127.0.0.1:6399"]
    credentials = yaml.safe_load(Path(captured["credentials"]).read_text())
    assert list(credentials) == list(shell.STAFF_CHANNELS)
    assert credentials["bot.rasa_ext.channels.staff.StaffSocketIOInput"]["session_persistence"] is True
    assert str(captured["endpoints"].tracker_store.kwargs["db"]) == "storage/shell.db"
    assert len(captured["conversation_id"]) == 36  # a UUID, as the channel requires
    assert issubclass(StaffRestInput, GuardedRestInput) and issubclass(
        StaffSocketIOInput, GuardedSocketIOInput
    )
