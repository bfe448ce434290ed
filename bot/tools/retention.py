"""Delete stored conversation events older than a number of days (default 30).

`python -m bot.tools.retention [--days N] [--database URL]` works on the SQLite store under storage/
(all files there) or on PostgreSQL when CJ_DATABASE_URL (or --database) is given.
Run it daily, for example from cron: `make retention`.
"""
from __future__ import annotations

import argparse
import time
from typing import List

import sqlalchemy

from bot.settings import get_settings


def database_urls(explicit: str | None) -> List[str]:
    settings = get_settings()
    url = explicit or settings.database_url
    if url:
        return [url.replace("postgres://", "postgresql://", 1)]
    return [f"sqlite:///{path}" for path in sorted(settings.storage_dir.glob("*.db"))]


def purge(url: str, days: int, now: float | None = None) -> int:
    cutoff = (now if now is not None else time.time()) - days * 86400
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.begin() as connection:
            if not sqlalchemy.inspect(connection).has_table("events"):
                return 0
            result = connection.execute(sqlalchemy.text("DELETE FROM events WHERE timestamp < :cutoff"), {"cutoff": cutoff})
            return result.rowcount or 0
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=get_settings().retention_days)
    parser.add_argument("--database", help="database URL (default: CJ_DATABASE_URL, else storage/*.db)")
    args = parser.parse_args()
    if args.days < 1:
        parser.error("--days must be at least 1")
    urls = database_urls(args.database)
    if not urls:
        print("No stored conversations found.")
    for url in urls:
        shown = url.split("@")[-1]
        print(f"{shown}: deleted {purge(url, args.days)} events older than {args.days} days")


if __name__ == "__main__":
    main()
