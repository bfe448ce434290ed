"""What tests need to talk to a running assistant: free ports, and the REST channel as a visitor uses it."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional

from bot.tools.serve import Ports


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def free_ports() -> Ports:
    """Ports nobody is using now, so that test runs side by side do not collide."""
    return Ports(rasa=free_port(), actions=free_port(), host="127.0.0.1")


def say(
    url: str, sender: str, message: str, metadata: Optional[Dict[str, Any]] = None, timeout: float = 60
) -> List[dict]:
    """POST one message to the REST channel of the assistant at `url`; the replies as a list."""
    body: Dict[str, Any] = {"sender": sender, "message": message}
    if metadata:
        body["metadata"] = metadata
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as reply:
        assert reply.status == 200, reply.status
        return json.loads(reply.read())


def text_of(replies: List[dict]) -> str:
    """Everything a visitor reads in these replies: texts, button titles and link labels."""
    parts: List[str] = []
    for reply in replies:
        if reply.get("text"):
            parts.append(reply["text"])
        for button in reply.get("buttons") or []:
            parts.append(str(button.get("title", "")))
        custom = reply.get("custom") or {}
        for link in custom.get("links") or []:
            parts.append(f"{link.get('label', '')} {link.get('url', '')}")
    return "\n".join(parts)
