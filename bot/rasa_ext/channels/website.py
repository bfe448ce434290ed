"""Serves the demo website and the chat widget from the Rasa server itself, so the widget is
same-origin with the Socket.IO and REST channels. Enabled in credentials.yml.

Every response under /site/ (the page, the static files, and errors such as 404) carries the
security headers below. The page may connect only to this server (`connect-src` is this origin and
its WebSocket form).
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.settings import get_settings

SITE_PREFIX = "/site"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)


def security_headers(request: Request) -> Dict[str, str]:
    websocket = ("wss" if request.scheme == "https" else "ws") + "://" + request.host
    return {
        "Content-Security-Policy": (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src 'self' {websocket}; frame-ancestors 'self'; base-uri 'none'; form-action 'self'; "
            "object-src 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Cache-Control": "no-store",
    }


async def add_security_headers(request: Request, reply: HTTPResponse) -> None:
    if request.path == SITE_PREFIX or request.path.startswith(SITE_PREFIX + "/"):
        reply.headers.update(security_headers(request))


class SiteBlueprint(Blueprint):
    """Registers the headers as app middleware, so they reach responses no route of the site
    matched (404s under /site/) as well."""

    def register(self, app: Sanic, options: Dict[str, Any]) -> None:
        app.register_middleware(add_security_headers, "response")  # type: ignore[arg-type]
        super().register(app, options)


class WebsiteChannel(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "website"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> WebsiteChannel:
        return cls()

    def url_prefix(self) -> str:
        return SITE_PREFIX

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        web_root = get_settings().web_root
        site = SiteBlueprint("website", __name__)

        @site.route("/", methods=["GET"])
        async def index(_: Request) -> HTTPResponse:
            return await response.file(web_root / "index.html")

        site.static("/static", str(web_root / "static"), name="website_static")
        return site
