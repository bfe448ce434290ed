"""Staff mode: the guarded channels with what staff need to judge each reply, for the Rasa server of
`make shell` only (bot/tools/shell.py writes its credentials; credentials.yml never names these).

- After each reply, one more message: `{"custom": {"staff": <explanation>}}` (bot/tools/staff_view.py:
  intent and confidence, what the rules read, the action, the content entries with their sources and
  reviewed dates, why). `/why` is answered with `{"custom": {"staff_why": <explanation>}}` of the last
  reply and never reaches Rasa (nothing is stored).
- The staff view of the widget: `/site/staff/` (web/staff.html, the widget with `data-staff="true"`).
- Every request and Socket.IO connection from an address other than this machine's is refused (403):
  the shell's server listens on 127.0.0.1, and this holds even if it is ever bound elsewhere. Never put
  it behind a proxy (the proxy's address is local).
"""

from __future__ import annotations

import ipaddress
from typing import Any, Dict, Optional

from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.content.watch import ContentWatcher
from bot.rasa_ext.channels.guarded import GuardedRestInput, GuardedSocketIOInput, OnNewMessage
from bot.rasa_ext.channels.website import WebsiteChannel
from bot.settings import get_settings
from bot.tools.staff_view import Explanation, explain

WHY = "/why"
NOTHING_YET = {
    "why": ["Nothing to explain yet: ask something first."],
    "entries": [],
    "message": "",
    "ranking": [],
}
NOT_LOCAL = "Staff mode is only served to this machine (127.0.0.1)."


def is_local(address: Optional[str]) -> bool:
    try:
        return ipaddress.ip_address((address or "").split("%")[0]).is_loopback
    except ValueError:
        return False


async def refuse_other_machines(request: Request) -> Optional[HTTPResponse]:
    if not is_local(request.ip):
        return response.json({"error": "forbidden", "reason": NOT_LOCAL}, status=403)
    return None


class StaffNotes:
    """Explains each reply of a conversation after its turn, from the stored conversation."""

    def __init__(self) -> None:
        self.app: Optional[Sanic] = None
        self.content = ContentWatcher(get_settings().content_dir)

    def attach(self, blueprint: Blueprint) -> None:
        async def remember_app(app: Sanic, _loop: Any) -> None:
            self.app = app

        blueprint.listener("before_server_start")(remember_app)
        blueprint.middleware(refuse_other_machines, "request")

    def wrap(self, on_new_message: OnNewMessage) -> OnNewMessage:
        async def with_notes(message: UserMessage) -> None:
            output, sender = message.output_channel, message.sender_id
            if (message.text or "").strip().lower() == WHY:
                await output.send_custom_json(
                    sender, {"staff_why": await self.explanation(sender) or NOTHING_YET}
                )
                return
            await on_new_message(message)
            explained = await self.explanation(sender)
            if (
                explained is not None and explained["message"] == message.text
            ):  # (a refused message was not stored)
                await output.send_custom_json(sender, {"staff": explained})

        return with_notes

    async def explanation(self, sender: str) -> Optional[Explanation]:
        agent = getattr(self.app.ctx, "agent", None) if self.app else None
        if agent is None:
            return None
        async with agent.lock_store.lock(sender):  # waits for a turn still in progress
            tracker = await agent.tracker_store.retrieve(sender)
        if tracker is None:
            return None
        return explain([event.as_dict() for event in tracker.events], self.content.current())


class StaffRestInput(GuardedRestInput):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff = StaffNotes()

    def turn_handler(self, on_new_message: OnNewMessage) -> OnNewMessage:
        return self.staff.wrap(super().turn_handler(on_new_message))

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        self.staff.attach(webhook)
        return webhook


class StaffSocketIOInput(GuardedSocketIOInput):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff = StaffNotes()

    def turn_handler(self, on_new_message: OnNewMessage) -> OnNewMessage:
        return self.staff.wrap(super().turn_handler(on_new_message))

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        self.staff.attach(webhook)
        return webhook

    def _connect(self, rasa_connect: Any) -> Any:
        guarded_connect = super()._connect(rasa_connect)

        async def connect(sid: str, environ: Dict, auth: Optional[Dict] = None) -> Any:
            request = environ.get("sanic.request")
            if request is None or not is_local(request.ip):
                return False
            return await guarded_connect(sid, environ, auth)

        return connect


class StaffWebsiteChannel(WebsiteChannel):
    """The demo site, plus the staff view of the widget at /site/staff/, for this machine only."""

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        site = super().blueprint(on_new_message)
        staff_page = get_settings().web_root / "staff.html"

        async def staff(_: Request) -> HTTPResponse:
            return await response.file(staff_page)

        site.add_route(staff, "/staff/", methods=["GET"])
        site.middleware(refuse_other_machines, "request")
        return site
