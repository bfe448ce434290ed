"""The one place actions get content and the deployment's default partnership from.

Content follows the files in CJ_CONTENT_DIR (content/ by default): the files are looked at, at most
every CJ_CONTENT_CHECK_SECONDS (1 by default), when an action asks for content; a valid edit is
served from the next reply on, an invalid one is refused and logged with the same messages as
`make content-check` while the last good content keeps serving (bot/content/watch.py). Nothing is
retrained: the model never contains content, except the place names generated from places.yml.

`make reload-content` asks for a look at once and prints what happened, through the action
`action_reload_content` below (never in the domain, so the assistant itself never runs it).
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.content import Content
from bot.content.watch import ContentWatcher
from bot.settings import get_settings
from bot.tools.reload_content import RELOAD_ACTION


def check_every_seconds() -> float:
    raw = os.environ.get("CJ_CONTENT_CHECK_SECONDS", "").strip()
    try:
        return max(0.0, float(raw)) if raw else 1.0
    except ValueError:
        raise ValueError(f"CJ_CONTENT_CHECK_SECONDS={raw!r} must be a number of seconds") from None


def default_partnership_problems(content: Content) -> List[str]:
    partnership_id = get_settings().default_partnership
    if content.partnership(partnership_id) is None:
        return [
            f"CJ_DEFAULT_PARTNERSHIP={partnership_id!r} is not a partnership id in content/partnerships.yml"
        ]
    return []


@lru_cache(maxsize=1)
def watcher() -> ContentWatcher:
    return ContentWatcher(
        get_settings().content_dir, check_every=check_every_seconds(), also_check=default_partnership_problems
    )


def get_content() -> Content:
    return watcher().current()


def default_partnership_id() -> str:
    partnership_id = get_settings().default_partnership
    problems = default_partnership_problems(get_content())
    if problems:
        raise RuntimeError(problems[0])
    return partnership_id


class ActionReloadContent(Action):
    """Look at the content files now; reply with {"content": {status, problems, loaded_at}}."""

    def name(self) -> str:
        return RELOAD_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        outcome = watcher().check()
        dispatcher.utter_message(json_message={"content": outcome.as_dict()})
        return []


content = get_content()
default_partnership_id()
