"""Rasa's Redis lock store with atomic ticket changes.

Rasa 3.6's RedisLockStore issues and removes tickets by reading the lock, changing it and
writing it back in separate steps, so two Rasa instances receiving messages of one conversation
at the same instant can both get the first ticket and process it at once (seen in
`make test-scale`: turns lost from the stored conversation). Here each change is a Redis
transaction (WATCH/MULTI/EXEC), retried when another instance changed the lock in between.
Configured by `bot.tools.serve` when CJ_REDIS_URL is set (`url: ${CJ_REDIS_URL}`: a redis:// or,
for TLS, rediss:// URL, with ?ssl_ca_certs=, ?ssl_certfile=, ?ssl_keyfile= when needed), or with
Rasa's own keys (url as the host, port, db, username, password, use_ssl, ssl_*), as the Helm values do.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, Optional, Tuple
from urllib.parse import parse_qs, unquote, urlparse

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

Change = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], Any]]


TLS_OPTIONS = ("ssl_certfile", "ssl_keyfile", "ssl_ca_certs")


def connection_settings(endpoint_config: EndpointConfig) -> Dict[str, Any]:
    """RedisLockStore's arguments from an endpoint config whose url is a host or a whole URL."""
    settings = dict(endpoint_config.kwargs)
    url = endpoint_config.url or "localhost"
    if "://" in url:
        parts = urlparse(url)
        if parts.scheme not in ("redis", "rediss"):
            raise ValueError("The lock store URL must start with redis:// or rediss:// (TLS)")
        query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
        settings.update(
            port=parts.port or 6379,
            db=int(parts.path.strip("/") or 0),
            use_ssl=parts.scheme == "rediss",
            username=unquote(parts.username or "") or None,
            password=unquote(parts.password or "") or None,
            **{name: query[name] for name in TLS_OPTIONS if name in query},
        )
        url = parts.hostname or "localhost"
    use_ssl = settings.get("use_ssl", False)
    return {
        "host": url,
        "port": int(settings.get("port", 6379)),
        "db": int(settings.get("db", 1)),
        "username": settings.get("username") or None,
        "password": settings.get("password") or None,
        "use_ssl": use_ssl if isinstance(use_ssl, bool) else str(use_ssl).lower() == "true",
        "key_prefix": settings.get("key_prefix"),
        **{name: settings[name] for name in TLS_OPTIONS if settings.get(name)},
    }


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(**connection_settings(endpoint_config))

    def _change(self, conversation_id: str, change: Change) -> Any:
        import redis

        key = self.key_prefix + conversation_id
        while True:
            with self.red.pipeline() as pipe:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    new_lock, result = change(lock)
                    pipe.multi()
                    if new_lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new_lock.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: Optional[TicketLock]) -> Tuple[TicketLock, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def remove(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, remove)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        def remove(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, remove)
