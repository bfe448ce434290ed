"""The retention command deletes conversation events older than the limit and keeps the rest, leaves
no deleted text in the SQLite files, finds the store from any folder, and fails loudly without one."""

import os
import sqlite3
import subprocess
import sys
import time

import pytest

from bot.settings import PROJECT_ROOT
from bot.tools.retention import main, purge


def make_store(path, rows):
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, timestamp REAL, data TEXT)"
        )
        connection.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, ?)", rows
        )


def test_old_events_are_deleted_and_recent_ones_kept(tmp_path):
    database = tmp_path / "conversations.db"
    now = time.time()
    make_store(
        database,
        [
            ("old", now - 31 * 86400, "{}"),
            ("old", now - 40 * 86400, "{}"),
            ("recent", now - 29 * 86400, "{}"),
            ("new", now, "{}"),
        ],
    )
    assert purge(f"sqlite:///{database}", days=30, now=now) == 2
    with sqlite3.connect(database) as connection:
        assert sorted(r[0] for r in connection.execute("SELECT sender_id FROM events")) == ["new", "recent"]


def test_purged_text_is_not_left_in_the_database_files(tmp_path):
    database = tmp_path / "conversations.db"
    now = time.time()
    make_store(
        database,
        [("old", now - 40 * 86400, '{"text": "qv3-old-secret ' + "x" * 500 + '"}'), ("new", now, "{}")],
    )
    assert b"qv3-old-secret" in database.read_bytes()
    assert purge(f"sqlite:///{database}", days=30, now=now) == 1
    assert not any(b"qv3-old-secret" in p.read_bytes() for p in tmp_path.iterdir() if p.is_file())


def test_a_database_without_conversations_is_left_alone(tmp_path):
    assert purge(f"sqlite:///{tmp_path / 'empty.db'}", days=30) == 0


def test_no_store_at_all_is_an_error_not_a_quiet_success(tmp_path, capsys, monkeypatch):
    from bot.settings import Settings

    settings = Settings.from_env({"CJ_STORAGE_DIR": str(tmp_path / "nothing-here")})
    monkeypatch.setattr("bot.tools.retention.get_settings", lambda: settings)
    assert main([]) == 2
    assert "No conversation store found" in capsys.readouterr().err


@pytest.mark.server  # runs the command in a fresh Python process
def test_run_from_another_folder_it_still_finds_the_project_store(tmp_path):
    """The store path comes from bot.settings (absolute), not from the current folder."""
    storage = tmp_path / "storage"
    storage.mkdir()
    make_store(storage / "conversations.db", [("old", time.time() - 40 * 86400, "{}")])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        **os.environ,
        "CJ_STORAGE_DIR": str(storage),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONWARNINGS": "ignore",
    }
    env.pop("CJ_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot.tools.retention"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"{storage / 'conversations.db'}: deleted 1 events" in result.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "bot.tools.retention"],
        cwd=elsewhere,
        env={**env, "CJ_STORAGE_DIR": str(tmp_path / "none")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode != 0 and "No conversation store found" in missing.stderr


def test_the_default_store_path_is_absolute():
    from bot.settings import Settings

    assert Settings.from_env({}).storage_dir == PROJECT_ROOT / "storage"
    assert Settings.from_env({"CJ_STORAGE_DIR": "data/store"}).storage_dir == PROJECT_ROOT / "data" / "store"
