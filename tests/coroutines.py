"""Run a coroutine to completion from a synchronous test."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Coroutine


def complete(coroutine: Coroutine) -> Any:
    """In its own thread and event loop: Playwright's sync API may already own this thread's loop
    when the browser tests run in the same session."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
