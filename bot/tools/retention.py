"""Delete stored conversation events older than a number of days (default CJ_RETENTION_DAYS, 30).

`python -m bot.tools.retention [--days N] [--database URL]` works on PostgreSQL when CJ_DATABASE_URL
(or --database) is given, else on every SQLite store in the storage folder (CJ_STORAGE_DIR, an
absolute path from bot.settings, so it finds the same files wherever it is started from). It exits
with an error when it finds no store at all: a purge that silently did nothing would break the
promise made to visitors. SQLite deletions are made with secure_delete and the write-ahead log is
checkpointed and truncated, so the deleted text is not left in free pages or the log.
Run it daily: `make retention` from cron, or the CronJob in deploy/helm/retention-cronjob.yaml.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import List, Optional

import sqlalchemy

from bot.rasa_ext.tracker_store import database_url, sqlite_pragmas
from bot.settings import get_settings


class NoStore(RuntimeError):
    pass


def database_urls(explicit: Optional[str]) -> List[str]:
    settings = get_settings()
    url = explicit or settings.database_url
    if url:
        return [database_url(url)]
    stores = sorted(settings.storage_dir.glob("*.db"))
    if not stores:
        raise NoStore(
            f"No conversation store found: no *.db in {settings.storage_dir} and CJ_DATABASE_URL is not set."
        )
    return [f"sqlite:///{path}" for path in stores]


def purge(url: str, days: int, now: Optional[float] = None) -> int:
    cutoff = (now if now is not None else time.time()) - days * 86400
    engine = sqlalchemy.create_engine(url)
    if engine.dialect.name == "sqlite":
        sqlalchemy.event.listen(engine, "connect", sqlite_pragmas)
    try:
        with engine.begin() as connection:
            if not sqlalchemy.inspect(connection).has_table("events"):
                return 0
            result = connection.execute(
                sqlalchemy.text("DELETE FROM events WHERE timestamp < :cutoff"), {"cutoff": cutoff}
            )
            deleted = result.rowcount or 0
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return deleted
    finally:
        engine.dispose()


def shown(url: str) -> str:
    """The URL without its password."""
    return sqlalchemy.engine.make_url(url).render_as_string(hide_password=True)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--days", type=int, default=get_settings().retention_days)
    parser.add_argument("--database", help="database URL (default: CJ_DATABASE_URL, else storage/*.db)")
    args = parser.parse_args(argv)
    if args.days < 1:
        parser.error("--days must be at least 1")
    try:
        urls = database_urls(args.database)
    except NoStore as problem:
        print(problem, file=sys.stderr)
        return 2
    for url in urls:
        print(f"{shown(url)}: deleted {purge(url, args.days)} events older than {args.days} days")
    return 0


if __name__ == "__main__":
    sys.exit(main())
