"""The one place actions get content and the deployment's default partnership from."""
from __future__ import annotations

import os
from functools import lru_cache

from bot.content import Content, load_content

DEFAULT_PARTNERSHIP_ENV = "CJ_DEFAULT_PARTNERSHIP"


@lru_cache(maxsize=1)
def get_content() -> Content:
    return load_content()


def default_partnership_id() -> str:
    partnership_id = os.environ.get(DEFAULT_PARTNERSHIP_ENV, "ayrshire")
    if get_content().partnership(partnership_id) is None:
        raise RuntimeError(f"{DEFAULT_PARTNERSHIP_ENV}={partnership_id!r} is not a partnership id in content/partnerships.yml")
    return partnership_id


content = get_content()
default_partnership_id()
