"""The one place actions get content and the deployment's default partnership from."""
from __future__ import annotations

from functools import lru_cache

from bot.content import Content, load_content
from bot.settings import get_settings


@lru_cache(maxsize=1)
def get_content() -> Content:
    return load_content()


def default_partnership_id() -> str:
    partnership_id = get_settings().default_partnership
    if get_content().partnership(partnership_id) is None:
        raise RuntimeError(f"CJ_DEFAULT_PARTNERSHIP={partnership_id!r} is not a partnership id in content/partnerships.yml")
    return partnership_id


content = get_content()
default_partnership_id()
