"""`make shell`: talk to the assistant in a terminal, as staff checking answers do, with what you need
to judge each reply.

Under each reply: the intent and its confidence, the action that answered, and the content entries
the reply was built from, with their sources and reviewed dates. `/why` explains the last reply (what
the rules read, which route, why); a number presses that button; `/stop` ends.

It runs a Rasa server of its own, bound to 127.0.0.1 (CJ_RASA_PORT + 1), with the staff channels
(bot/rasa_ext/channels/staff.py: our guarded REST and Socket.IO channels with staff notes on top),
its own store (storage/shell.db) and a new random conversation id each time. While it runs, the
staff view of the widget is at http://127.0.0.1:<port>/site/staff/ (`--no-console` serves only
that). Rasa's stock `rasa shell` serves no checks, on every interface, into the production store:
do not use it. The action server must be running (scripts/with_action_server.sh starts it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import uuid
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import aiohttp
import yaml

import bot.settings as settings_module
from bot.rasa_ext import patches
from bot.settings import PROJECT_ROOT, get_settings, local_origins
from bot.tools.serve import Ports, endpoints_file
from bot.tools.staff_view import summary_lines, why_lines

SHELL_STORE = "storage/shell.db"
STAFF_CHANNELS = (
    "bot.rasa_ext.channels.staff.StaffRestInput",
    "bot.rasa_ext.channels.staff.StaffSocketIOInput",
    "bot.rasa_ext.channels.staff.StaffWebsiteChannel",
)
STOP = "/stop"
HELP = (
    "Type a message and press Enter. A number presses that button. /why explains the last reply. /stop ends."
)
COLOURS = {"bot": "\033[94m", "staff": "\033[2m", "problem": "\033[93m", "end": "\033[0m"}


def credentials_file() -> Path:
    """The staff server's credentials: the staff channels, with credentials.yml's Socket.IO settings."""
    public = yaml.safe_load((PROJECT_ROOT / "credentials.yml").read_text()) or {}
    socket_settings = public.get("bot.rasa_ext.channels.guarded.GuardedSocketIOInput") or {}
    credentials = {STAFF_CHANNELS[0]: None, STAFF_CHANNELS[1]: socket_settings, STAFF_CHANNELS[2]: None}
    path = PROJECT_ROOT / "build" / "credentials-shell.yml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        "# Written by bot/tools/shell.py for `make shell`: staff channels, on 127.0.0.1 only.\n"
        + yaml.safe_dump(credentials, sort_keys=False)
    )
    return path


# --------------------------------------------------------------------------- the console
def paint(text: str, kind: str, colour: bool) -> str:
    return f"{COLOURS[kind]}{text}{COLOURS['end']}" if colour else text


def render(replies: List[Dict[str, Any]], colour: bool = False) -> Tuple[List[str], List[Dict[str, str]]]:
    """The lines to print for one reply, and its buttons (numbered from 1 in the lines)."""
    lines: List[str] = []
    buttons: List[Dict[str, str]] = []
    for reply in replies:
        if reply.get("text"):
            lines.append(paint(str(reply["text"]), "bot", colour))
        for button in reply.get("buttons") or []:
            buttons.append({"title": str(button.get("title", "")), "payload": str(button.get("payload", ""))})
            lines.append(paint(f"  [{len(buttons)}] {button.get('title', '')}", "bot", colour))
        custom = reply.get("custom") or {}
        for link in custom.get("links") or []:
            lines.append(paint(f"  link: {link.get('label', '')} <{link.get('url', '')}>", "bot", colour))
        if isinstance(custom.get("staff"), dict):
            lines += [paint(f"  staff | {line}", "staff", colour) for line in summary_lines(custom["staff"])]
        if isinstance(custom.get("staff_why"), dict):
            lines += [paint(f"  why | {line}", "staff", colour) for line in why_lines(custom["staff_why"])]
    return lines, buttons


async def post_message(url: str, sender: str, text: str) -> List[Dict[str, Any]]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session, session.post(
        f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}
    ) as reply:
        body = await reply.text()
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        if isinstance(parsed, list):
            return parsed
        reason = parsed.get("reason") if isinstance(parsed, dict) else body[:200]
        return [{"text": f"(the server answered {reply.status}: {reason})"}]


async def read_line() -> Optional[str]:
    """A line typed by the user (None at the end of input), with Rasa's prompt in a terminal."""
    if sys.stdin.isatty():
        import questionary

        answer = await questionary.text("", qmark="Your input ->").ask_async()
        return answer
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    return line if line else None


async def run_console(
    url: str,
    sender: str,
    out: Callable[[str], None] = print,
    read: Callable[[], Any] = read_line,
    colour: bool = False,
    store: str = SHELL_STORE,
) -> int:
    """Talk to the staff server at `url` until /stop or the end of input; the number of messages sent."""
    out(f"Staff shell: conversation {sender}, stored in {store}.")
    out(f"Staff view of the widget, while this runs: {url}/site/staff/")
    out(HELP)
    buttons: List[Dict[str, str]] = []
    sent = 0
    while True:
        line = await read()
        if line is None or line.strip() == STOP:
            return sent
        text = line.strip()
        if not text:
            continue
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            out(f"(pressed: {buttons[int(text) - 1]['title']})")
            text = buttons[int(text) - 1]["payload"]
        try:
            replies = await post_message(url, sender, text)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            out(paint(f"(no answer from the assistant: {type(error).__name__})", "problem", colour))
            continue
        lines, new_buttons = render(replies, colour)
        if text.lower() != "/why":
            buttons = new_buttons
        for printed in lines:
            out(printed)
        sent += 1


def console_listener(url: str, sender: str, store: str = SHELL_STORE) -> Callable[[Any, Any], Any]:
    async def start(app: Any, _loop: Any) -> None:
        async def console() -> None:
            try:
                await run_console(url, sender, colour=sys.stdout.isatty(), store=store)
            finally:
                app.stop()

        app.add_task(console())

    return start


# --------------------------------------------------------------------------- start
def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--port",
        type=int,
        default=get_settings().rasa_port + 1,
        help="port for the shell's own Rasa server on 127.0.0.1 (default: CJ_RASA_PORT + 1)",
    )
    parser.add_argument(
        "--store", default=SHELL_STORE, help=f"SQLite file for its conversations (default: {SHELL_STORE})"
    )
    parser.add_argument("--no-console", action="store_true", help="serve only the staff view of the widget")
    args = parser.parse_args(argv)
    settings = get_settings()
    if not settings.model_path.exists():
        print(f"No model at {settings.model_path}: run `make train` first.", file=sys.stderr)
        return 1
    ports = Ports(rasa=args.port, actions=settings.actions_port, host="127.0.0.1")
    origins = list(local_origins(ports.rasa))
    # The channels read the settings of this process: this server's port, and its own origins only.
    os.environ.update({"CJ_RASA_PORT": str(ports.rasa), "CJ_ALLOWED_ORIGINS": " ".join(origins)})
    settings_module.get_settings.cache_clear()
    patches.apply()
    from rasa.core.run import serve_application
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # As `rasa shell` does: warnings only, so the terminal shows the conversation, not debug lines.
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)

    url = f"http://127.0.0.1:{ports.rasa}"
    conversation_id = str(uuid.uuid4())
    endpoints = AvailableEndpoints.read_endpoints(str(endpoints_file(ports, sqlite_store=args.store)))
    listeners = (
        []
        if args.no_console
        else [(console_listener(url, conversation_id, args.store), "after_server_start")]
    )
    print(f"Starting the staff shell's assistant on {url} (about 30 seconds) ...", flush=True)
    serve_application(
        model_path=str(settings.model_path),
        channel=None,
        credentials=str(credentials_file()),
        interface="127.0.0.1",
        port=ports.rasa,
        cors=origins,
        enable_api=False,
        endpoints=endpoints,
        conversation_id=conversation_id,
        server_listeners=listeners,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
