"""The assistant's fixed wording, read from the responses in domain.yml (where `rasa data validate`
checks it), so that replies built from content use the same sentences staff edit there."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List, Mapping

import yaml

from bot.settings import PROJECT_ROOT


class Wording:
    def __init__(self, responses: Mapping[str, List[Dict[str, Any]]]) -> None:
        self.responses = responses

    def text(self, response: str, **values: Any) -> str:
        variants = self.responses.get(response) or []
        if not variants or "text" not in variants[0]:
            raise KeyError(f"domain.yml has no text response '{response}'")
        text = str(variants[0]["text"])
        return text.format(**values) if values else text

    def buttons(self, name: str) -> List[Dict[str, str]]:
        variants = self.responses.get(name) or []
        return [dict(b) for b in (variants[0].get("buttons") or [])] if variants else []

    def has(self, name: str) -> bool:
        return bool(self.responses.get(name))


@lru_cache(maxsize=1)
def domain_wording() -> Wording:
    """The wording of domain.yml, for code that runs without Rasa's domain at hand (tests, tools)."""
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    return Wording(domain.get("responses") or {})
