"""Read every content file, validate it, and build a ``Content`` store, or fail naming each problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Type

import yaml
from pydantic import BaseModel, ValidationError

from bot.content import schema
from bot.content.store import Content
from bot.settings import get_settings

# file name -> {top-level key: model of each entry}
CONTENT_FILES: Dict[str, Dict[str, Type[BaseModel]]] = {
    "topics.yml": {"topics": schema.Answer},
    "justice_journey.yml": {"stages": schema.Answer},
    "partnerships.yml": {"partnerships": schema.Partnership},
    "places.yml": {"council_areas": schema.CouncilArea, "places": schema.Place},
    "partners.yml": {"statutory_partners": schema.StatutoryPartner, "local_partners": schema.LocalPartner},
    "support_services.yml": {"services": schema.Service},
    "crisis_contacts.yml": {"crisis_contacts": schema.CrisisContact, "crisis_routes": schema.CrisisRoute},
    "routes.yml": {"routes": schema.Route},
    "prisons.yml": {"prisons": schema.Prison},
    "glossary.yml": {"terms": schema.GlossaryTerm},
}
DEFAULTS_KEY = "defaults"
ALLOWED_DEFAULTS = {"sources", "reviewed"}


class ContentError(Exception):
    """Raised when content is invalid; ``problems`` lists one message per problem."""

    def __init__(self, problems: List[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} content problem(s):\n" + "\n".join(f"  - {p}" for p in problems))


def default_content_dir() -> Path:
    return get_settings().content_dir


def _entry_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict):
        name = raw.get("id") or raw.get("name")
        if name:
            return f"entry '{name}' (item {index + 1})"
    return f"item {index + 1}"


def _field_path(loc: Tuple[Any, ...], raw: Any = None) -> str:
    """'answers[3 ayrshire_aims].links': list items by number and, when they have one, by id."""
    parts: List[str] = []
    node = raw
    for part in loc:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
            name = node.get("id") if isinstance(node, dict) else None
            parts.append(f"[{part + 1}{' ' + name if name else ''}]")
        elif part != "__root__":
            node = node.get(part) if isinstance(node, dict) else None
            parts.append(("." if parts else "") + str(part))
    return "".join(parts) or "(entry)"


# libyaml's safe loader when PyYAML has it (ten times faster: content is read at every reload).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path, problems: List[str]) -> Optional[dict]:
    where = f"content/{path.name}"
    if not path.exists():
        problems.append(f"{where}: file is missing")
        return None
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        problems.append(f"{where}: is not valid YAML: {error}".replace("\n", " "))
        return None
    if not isinstance(data, dict):
        problems.append(f"{where}: must be a mapping with the keys {', '.join(CONTENT_FILES[path.name])}")
        return None
    return data


def _parse_file(path: Path, kinds: Dict[str, Type[BaseModel]], problems: List[str]) -> Dict[str, list]:
    where = f"content/{path.name}"
    data = _read_yaml(path, problems)
    if data is None:
        return {key: [] for key in kinds}
    defaults = data.get(DEFAULTS_KEY) or {}
    unknown_defaults = set(defaults) - ALLOWED_DEFAULTS
    if unknown_defaults:
        problems.append(f"{where}: defaults: unknown key(s) {', '.join(sorted(unknown_defaults))}")
    for key in data:
        if key not in kinds and key != DEFAULTS_KEY:
            problems.append(f"{where}: unknown top-level key '{key}' (expected {', '.join(kinds)})")
    parsed: Dict[str, list] = {}
    for key, model in kinds.items():
        raw_entries = data.get(key)
        if not isinstance(raw_entries, list) or not raw_entries:
            problems.append(f"{where}: '{key}' must be a non-empty list")
            parsed[key] = []
            continue
        entries = []
        for index, raw in enumerate(raw_entries):
            label = _entry_label(raw, index)
            if not isinstance(raw, dict):
                problems.append(f"{where}: {key} {label}: must be a mapping of field: value")
                continue
            merged = {**{k: v for k, v in defaults.items() if k in ALLOWED_DEFAULTS}, **raw}
            try:
                entries.append(model(**merged))
            except ValidationError as error:
                for detail in error.errors():
                    field = _field_path(detail["loc"], merged)
                    message = detail["msg"]
                    if detail["type"] == "value_error.extra":
                        message = "unknown field (check the spelling)"
                    elif detail["type"] == "value_error.missing":
                        message = "is required"
                    problems.append(f"{where}: {key} {label}: field '{field}': {message}")
        parsed[key] = entries
    return parsed


def load_content(directory: Optional[Path] = None) -> Content:
    """Load and validate all content. Raises ``ContentError`` listing every problem found."""
    directory = Path(directory) if directory else default_content_dir()
    problems: List[str] = []
    sections: Dict[str, list] = {}
    for file_name, kinds in CONTENT_FILES.items():
        sections.update(_parse_file(directory / file_name, kinds, problems))
    if not problems:
        content = Content(**sections)
        problems.extend(content.reference_problems())
    if problems:
        raise ContentError(problems)
    return content
