"""The retention command deletes conversation events older than the limit and keeps the rest."""
import sqlite3
import time

from bot.tools.retention import purge


def test_old_events_are_deleted_and_recent_ones_kept(tmp_path):
    database = tmp_path / "conversations.db"
    now = time.time()
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, timestamp REAL, data TEXT)")
        connection.executemany("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, '{}')",
                               [("old", now - 31 * 86400), ("old", now - 40 * 86400), ("recent", now - 29 * 86400), ("new", now)])
    assert purge(f"sqlite:///{database}", days=30, now=now) == 2
    with sqlite3.connect(database) as connection:
        assert sorted(r[0] for r in connection.execute("SELECT sender_id FROM events")) == ["new", "recent"]


def test_a_database_without_conversations_is_left_alone(tmp_path):
    assert purge(f"sqlite:///{tmp_path / 'empty.db'}", days=30) == 0
