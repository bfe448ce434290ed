"""Rasa's Redis lock store with atomic ticket changes.

Rasa 3.6's RedisLockStore issues and removes tickets by reading the lock, changing it and
writing it back in separate steps, so two Rasa instances receiving messages of one conversation
at the same instant can both get the first ticket and process it at once (seen in
`make test-scale`: turns lost from the stored conversation). Here each change is a Redis
transaction (WATCH/MULTI/EXEC), retried when another instance changed the lock in between.
Configured by `bot.tools.serve` when CJ_REDIS_URL is set.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Optional, Text, Tuple

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

Change = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], Any]]


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        settings = endpoint_config.kwargs
        super().__init__(
            host=endpoint_config.url or "localhost",
            port=int(settings.get("port", 6379)),
            db=int(settings.get("db", 1)),
            password=settings.get("password"),
            key_prefix=settings.get("key_prefix"),
        )

    def _change(self, conversation_id: Text, change: Change) -> Any:
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

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: Optional[TicketLock]) -> Tuple[TicketLock, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}")

    def update_lock(self, conversation_id: Text) -> None:
        def drop_expired(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def remove(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, remove)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        def remove(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, remove)
