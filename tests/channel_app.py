"""Our channels on Rasa's own Sanic app (rasa.core.run.configure_app, as `rasa run` builds it), with
a stand-in agent instead of a trained model: seconds to start, and every message Rasa would
process is recorded. For tests of the channels' checks, not of the conversation."""

from __future__ import annotations

import asyncio
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import yaml
from assistant_client import free_port
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.run import configure_app
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import class_from_module_path
from sanic import Sanic

from bot.rasa_ext.tracker_store import ErasableSQLTrackerStore
from bot.settings import PROJECT_ROOT
from tests.coroutines import complete

Sanic.test_mode = True  # several apps with Rasa's app name in one process


def channels_from_credentials(overrides: Optional[Dict[str, Any]] = None) -> List[InputChannel]:
    """The channels of credentials.yml (with some settings changed), loaded as Rasa loads them."""
    credentials = yaml.safe_load((PROJECT_ROOT / "credentials.yml").read_text())
    credentials.update(overrides or {})
    return [class_from_module_path(name).from_credentials(settings) for name, settings in credentials.items()]


@dataclass
class StandInAgent:
    """Answers "echo: <text>" (or does what `behaviour` says) and stores the user event like Rasa."""

    tracker_store: ErasableSQLTrackerStore
    lock_store: InMemoryLockStore = field(default_factory=InMemoryLockStore)
    received: List[UserMessage] = field(default_factory=list)
    behaviour: Optional[Callable[[UserMessage], Any]] = None

    async def handle_message(self, message: UserMessage) -> None:
        async with self.lock_store.lock(message.sender_id):
            self.received.append(message)
            if self.behaviour is not None:
                outcome = self.behaviour(message)
                if asyncio.iscoroutine(outcome):
                    await outcome
                return
            tracker = await self.tracker_store.get_or_create_tracker(message.sender_id)
            tracker.update(
                UserUttered(message.text, metadata=message.metadata, input_channel=message.input_channel)
            )
            await self.tracker_store.save(tracker)
            await message.output_channel.send_response(message.sender_id, {"text": f"echo: {message.text}"})

    def stored_user_events(self, sender_id: str) -> List[dict]:
        tracker: Optional[DialogueStateTracker] = complete(
            self.tracker_store.retrieve_full_tracker(sender_id)
        )
        return [e.as_dict() for e in tracker.events if isinstance(e, UserUttered)] if tracker else []


class ChannelServer:
    """Rasa's app with the given channels, served on a free loopback port in a background thread."""

    def __init__(
        self,
        channels: List[InputChannel],
        database: Path,
        cors: Optional[List[str]] = None,
        port: Optional[int] = None,
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.agent = StandInAgent(ErasableSQLTrackerStore(db=str(database)))
        self.app = configure_app(channels, cors=cors, enable_api=False, port=self.port)
        self.app.ctx.agent = self.agent
        self.loop = asyncio.new_event_loop()
        self.started = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            self.app.create_server(host="127.0.0.1", port=self.port, return_asyncio_server=True)
        )
        self.loop.run_until_complete(server.startup())
        self.loop.run_until_complete(server.before_start())
        self.loop.run_until_complete(server.after_start())
        self.server = server
        self.started.set()
        self.loop.run_forever()

    def __enter__(self) -> ChannelServer:
        self.thread.start()
        assert self.started.wait(30), "the channel server did not start"
        return self

    def __exit__(self, *_: Any) -> None:
        async def stop() -> None:
            self.server.close()
            await self.server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


class HealthyActionServer:
    """Stands in for ActionServerProbe: there is no action server behind the stand-in agent."""

    async def is_healthy(self) -> bool:
        return True


@contextmanager
def channel_server(
    tmp_path: Path, env: Optional[Dict[str, str]] = None, credentials: Optional[Dict[str, Any]] = None
) -> Iterator[ChannelServer]:
    """Our channels with these settings (CJ_* variables), served until the block ends."""
    from bot.rasa_ext.turns import shared_turn_guard
    from bot.settings import get_settings

    saved = dict(os.environ)
    port = free_port()
    os.environ.pop("CJ_ALLOWED_ORIGINS", None)  # this server's own origins unless `env` says otherwise
    os.environ.update({"CJ_RASA_PORT": str(port), **(env or {})})
    get_settings.cache_clear()
    shared_turn_guard.cache_clear()
    try:
        shared_turn_guard().probe = HealthyActionServer()  # type: ignore[assignment]
        server = ChannelServer(
            channels_from_credentials(credentials), tmp_path / "conversations.db", port=port
        )
        with server:
            yield server
    finally:
        os.environ.clear()
        os.environ.update(saved)
        get_settings.cache_clear()
        shared_turn_guard.cache_clear()
