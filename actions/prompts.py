"""Send the wording in prompts.yml (form questions and fallback replies)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml
from rasa_sdk.executor import CollectingDispatcher

PROMPTS_FILE = Path(__file__).with_name("prompts.yml")


@lru_cache(maxsize=1)
def prompts() -> Dict[str, Dict[str, Any]]:
    return yaml.safe_load(PROMPTS_FILE.read_text(encoding="utf-8"))


def send(dispatcher: CollectingDispatcher, name: str, buttons: Optional[List[Dict[str, str]]] = None) -> None:
    prompt = prompts()[name]
    dispatcher.utter_message(text=prompt["text"], buttons=buttons if buttons is not None else prompt.get("buttons", []))
