"""Our extensions of Rasa, each at the extension point Rasa offers:

- the faster check of action server replies accepts and rejects exactly what Rasa's own does, and
  is applied only explicitly (bot.tools.rasa_run), only on the Rasa it was written for;
- write-ahead logging and secure deletion live in a tracker store named in endpoints.yml, not in a
  hook on every SQLAlchemy engine of the process.
"""

import logging
import sqlite3
import subprocess
import sys

import jsonschema
import pytest
import sqlalchemy
import yaml
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from bot.rasa_ext import patches
from bot.rasa_ext.patches import _validate_action_result
from bot.rasa_ext.tracker_store import ErasableSQLTrackerStore, erase_conversation
from bot.settings import PROJECT_ROOT
from tests.coroutines import complete


@pytest.mark.parametrize(
    "result",
    [
        {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hi"}]},
        {"events": [], "responses": []},
        {},
    ],
)
def test_valid_replies_pass(result):
    jsonschema.validate(result, RemoteAction.action_response_format_spec())
    assert _validate_action_result(None, result)


@pytest.mark.parametrize(
    "result", [{"events": "not a list"}, {"responses": [1, 2]}, {"events": [{"no_event_key": 1}]}]
)
def test_invalid_replies_are_rejected_like_rasa_does(result):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        _validate_action_result(None, result)


@pytest.fixture
def rasa_method(monkeypatch):
    """RemoteAction's own method, restored after the test whatever the test does to it."""
    original = RemoteAction.__dict__["_validate_action_result"]
    if original is _validate_action_result:  # applied earlier in this process
        pytest.skip("the fix is already applied in this process")
    monkeypatch.setattr(RemoteAction, "_validate_action_result", original)
    return original


def test_the_fix_is_applied_on_the_rasa_it_was_written_for(rasa_method):
    assert patches.apply()
    assert RemoteAction.__dict__["_validate_action_result"] is _validate_action_result
    assert patches.apply()  # a second call changes nothing


def test_the_fix_is_skipped_with_a_log_line_on_another_rasa_version(rasa_method, caplog):
    with caplog.at_level(logging.WARNING, logger="bot.rasa_ext.patches"):
        assert not patches.apply(rasa_version="3.7.0")
    assert RemoteAction.__dict__["_validate_action_result"] is rasa_method
    assert "not applied" in caplog.text


def test_the_fix_is_skipped_with_a_log_line_when_rasa_changed_the_method(rasa_method, monkeypatch, caplog):
    def changed(self, result):
        return True

    monkeypatch.setattr(RemoteAction, "_validate_action_result", changed)
    with caplog.at_level(logging.WARNING, logger="bot.rasa_ext.patches"):
        assert not patches.apply()
    assert RemoteAction.__dict__["_validate_action_result"] is changed
    assert "not the method" in caplog.text


@pytest.mark.server  # a fresh Python process importing Rasa: about 10 s
def test_importing_our_channels_and_stores_changes_nothing_in_rasa_or_sqlalchemy(tmp_path):
    """No import side effects: the fix is applied by bot.tools.rasa_run, WAL only by our store."""
    script = f"""
import sqlalchemy
from rasa.core.actions.action import RemoteAction
original = RemoteAction._validate_action_result
import bot.rasa_ext.channels.guarded, bot.rasa_ext.channels.website, bot.rasa_ext.tracker_store
assert RemoteAction._validate_action_result is original, "patched on import"
engine = sqlalchemy.create_engine("sqlite:///{tmp_path / "plain.db"}")
with engine.connect() as connection:
    mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
assert mode == "delete", mode
print("unchanged")
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={"TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0 and "unchanged" in result.stdout, result.stderr[-2000:]


def test_endpoints_yml_names_our_tracker_store_and_rasa_loads_it():
    config = read_endpoint_config(str(PROJECT_ROOT / "endpoints.yml"), "tracker_store")
    assert config.type == "bot.rasa_ext.tracker_store.ErasableSQLTrackerStore"
    assert (
        yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text())["tracker_store"]["db"]
        == "storage/conversations.db"
    )


def test_sqlite_tracker_store_uses_the_write_ahead_log_and_keeps_turns(tmp_path):
    db = tmp_path / "conversations.db"
    store = ErasableSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    tracker = DialogueStateTracker.from_events("someone", [UserUttered("hello")])
    complete(store.save(tracker))
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    # A second store on the same file (as after a restart) sees the committed turn.
    again = ErasableSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    restored = complete(again.retrieve("someone"))
    assert [e.text for e in restored.events if isinstance(e, UserUttered)] == ["hello"]


def test_sqlite_tracker_store_reuses_its_connections_across_turns(tmp_path):
    """SQLAlchemy 1.4's default for an SQLite file opens a connection per session (about three per
    message in Rasa); the pool keeps them, so a stream of turns opens only a few."""
    store = ErasableSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "c.db"))
    opened = []
    sqlalchemy.event.listen(store.engine, "connect", lambda *_: opened.append(1))
    for turn in range(20):
        tracker = complete(store.get_or_create_tracker(f"visitor-{turn % 3}"))
        tracker.update(UserUttered(f"message {turn}"))
        complete(store.save(tracker))
    assert len(opened) <= 2  # one per thread that asked at the same moment, not one per turn
    assert len(complete(store.retrieve("visitor-0")).events) > 5


def test_rasa_creates_our_store_from_an_endpoints_file(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        yaml.safe_dump(
            {
                "tracker_store": {
                    "type": "bot.rasa_ext.tracker_store.ErasableSQLTrackerStore",
                    "dialect": "sqlite",
                    "db": str(tmp_path / "c.db"),
                }
            }
        )
    )
    store = TrackerStore.create(read_endpoint_config(str(endpoints), "tracker_store"), Domain.empty())
    complete(store.save(DialogueStateTracker.from_events("someone", [UserUttered("hello")])))
    assert complete(erase_conversation(store, "someone")) == 1  # through Rasa's wrappers


def test_a_relative_sqlite_path_is_taken_from_the_project_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # as when Rasa is started from another folder
    relative = "storage/test-relative-path.db"
    store = ErasableSQLTrackerStore(Domain.empty(), dialect="sqlite", db=relative)
    try:
        assert store.engine.url.database == str(PROJECT_ROOT / relative)
    finally:
        store.engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            (PROJECT_ROOT / (relative + suffix)).unlink(missing_ok=True)


def test_erasing_a_conversation_leaves_no_trace_of_its_text_in_the_files(tmp_path):
    db = tmp_path / "conversations.db"
    store = ErasableSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    secret = "my brother is in Barlinnie zq7x-unique-marker"
    complete(store.save(DialogueStateTracker.from_events("leaving", [UserUttered(secret)])))
    complete(
        store.save(DialogueStateTracker.from_events("staying", [UserUttered("what is community justice?")]))
    )
    files = lambda: b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())  # noqa: E731
    assert b"zq7x-unique-marker" in files()
    assert complete(store.erase_conversation("leaving")) == 1
    assert complete(store.retrieve("leaving")) is None
    assert complete(store.retrieve("staying")) is not None
    assert (
        b"zq7x-unique-marker" not in files()
    )  # not in free pages (secure_delete) nor in the WAL (checkpoint)
    wal = tmp_path / "conversations.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    with sqlite3.connect(db) as connection:
        assert (
            connection.execute("SELECT count(*) FROM events WHERE sender_id = 'leaving'").fetchone()[0] == 0
        )


def test_a_postgres_url_with_options_is_used_as_given():
    url = "postgres://cj:pw@db.example.org:5432/cj?sslmode=require"
    built = ErasableSQLTrackerStore.get_db_url("postgresql", "postgresql" + url[len("postgres") :])
    assert str(built).endswith("?sslmode=require")
    assert sqlalchemy.engine.make_url(str(built)).query == {"sslmode": "require"}
