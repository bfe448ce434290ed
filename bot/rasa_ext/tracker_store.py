"""Rasa's SQL tracker store, named in endpoints.yml (`type: bot.rasa_ext.tracker_store.ErasableSQLTrackerStore`),
with what this project needs on top:

- SQLite connections are kept in a pool. SQLAlchemy 1.4 opens a new SQLite connection for every
  session by default (NullPool), and Rasa opens about three sessions per message, each setting the
  pragmas below. Measured here (a read and a save per turn, 150 turns, alternated runs): 8.3 to 11.5
  ms of CPU per turn without the pool, 2.7 to 4.7 ms with it.
- SQLite commits in write-ahead-log mode with synchronous=NORMAL. Rasa's default rollback journal
  syncs the disk on every commit (about 1 ms each here); the WAL commits in about 0.02 ms and still
  keeps every committed turn through a crash or kill -9 of the server (only a power cut or kernel
  crash can lose the last turns). Relative SQLite paths are resolved from the project root, so the
  server and `make retention` use the same file wherever they are started from.
- `erase_conversation(sender_id)` deletes every stored event of one conversation, durably: SQLite
  runs with `secure_delete` (deleted text is overwritten, not left in free pages) and the WAL is
  checkpointed and truncated afterwards; on PostgreSQL the rows are deleted (see docs/deployment.md
  for VACUUM and backups).
- A full database URL (`url: ${CJ_DATABASE_URL}` in the endpoints file) is used as it is, so
  options such as `?sslmode=require` reach the driver and no password is written to a file.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any, Optional

from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from bot.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

SQLITE_POOL_SIZE = 4


def sqlite_pragmas(dbapi_connection: Any, _record: Any = None) -> None:
    """Set on every SQLite connection (SQLAlchemy `connect` hook)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()


def database_url(url: str) -> str:
    """SQLAlchemy 1.4 knows PostgreSQL as postgresql://; many providers hand out postgres://."""
    return "postgresql://" + url[len("postgres://") :] if url.startswith("postgres://") else url


class ErasableSQLTrackerStore(SQLTrackerStore):
    engine: Engine

    def __init__(
        self,
        domain: Optional[Domain] = None,
        dialect: str = "sqlite",
        host: Optional[str] = None,
        db: str = "storage/conversations.db",
        **kwargs: Any,
    ) -> None:
        if host and "://" in host:
            host = database_url(host)
        elif dialect == "sqlite" and not host:
            path = Path(db)
            db = str(path if path.is_absolute() else PROJECT_ROOT / path)
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(domain, dialect=dialect, host=host, db=db, **kwargs)
        if self.is_sqlite:
            created_tables_with = self.engine
            created_tables_with.dispose()  # the tables exist now; the pooled engine below serves the turns
            self.engine = create_engine(
                created_tables_with.url,
                poolclass=QueuePool,
                pool_size=SQLITE_POOL_SIZE,
                connect_args={"check_same_thread": False},  # one thread per checkout, never shared
            )
            event.listen(self.engine, "connect", sqlite_pragmas)
            self.sessionmaker = sessionmaker(bind=self.engine)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    async def erase_conversation(self, sender_id: str) -> int:
        """Delete every event of `sender_id`; the number of events deleted."""
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
        if self.is_sqlite:
            with self.engine.connect() as connection:
                busy, _, _ = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy:
                logger.warning(
                    "The SQLite log could not be checkpointed now (a reader is active); "
                    "it will be at the next checkpoint."
                )
        return int(deleted or 0)


def _innermost(store: TrackerStore) -> TrackerStore:
    """Rasa wraps tracker stores (AwaitableTrackerStore, FailSafeTrackerStore) around the configured one."""
    while hasattr(store, "_tracker_store"):
        store = store._tracker_store
    return store


async def erase_conversation(tracker_store: TrackerStore, sender_id: str) -> int:
    """Delete a stored conversation from whichever store Rasa uses; NotImplementedError if it cannot."""
    store = _innermost(tracker_store)
    if isinstance(store, ErasableSQLTrackerStore):
        return await store.erase_conversation(sender_id)
    if isinstance(store, InMemoryTrackerStore):
        return 1 if store.store.pop(sender_id, None) is not None else 0
    raise NotImplementedError(f"{type(store).__name__} cannot delete conversations")
