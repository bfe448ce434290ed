"""python-engineio 4.13's asyncio client asks aiohttp for `ClientWSTimeout` (aiohttp 3.10+), but Rasa 3.6
pins aiohttp below 3.10. For our own load and scale-out clients only (never the server), give aiohttp
3.9 the same meaning: the websocket close timeout in seconds, which its `ws_connect(timeout=...)` takes.
"""

from __future__ import annotations

from typing import Optional

import aiohttp


def _ws_close_timeout(ws_close: float = 10.0, ws_receive: Optional[float] = None) -> float:
    return ws_close


def install() -> None:
    if not hasattr(aiohttp, "ClientWSTimeout"):
        aiohttp.ClientWSTimeout = _ws_close_timeout  # type: ignore[attr-defined]
