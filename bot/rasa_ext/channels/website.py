"""Serves the demo website and the chat widget from the Rasa server itself, so the widget is
same-origin with the Socket.IO and REST channels. Enabled in credentials.yml."""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.settings import get_settings

WEB_ROOT = get_settings().web_root
SITE_PREFIX = "/site"


class WebsiteChannel(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "website"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WebsiteChannel":
        return cls()

    def url_prefix(self) -> Text:
        return SITE_PREFIX

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        site = Blueprint("website", __name__)

        @site.route("/", methods=["GET"])
        async def index(_: Request) -> HTTPResponse:
            return await response.file(WEB_ROOT / "index.html", headers=_security_headers())

        site.static("/static", str(WEB_ROOT / "static"), name="website_static")
        return site


def _security_headers() -> Dict[str, str]:
    return {
        "Content-Security-Policy": (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self' ws: wss:; frame-ancestors 'self'; base-uri 'none'; form-action 'self'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }
