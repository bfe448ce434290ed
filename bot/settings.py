"""Every setting of the assistant in one place: paths from the project root, and the CJ_* environment
variables, read once with their types and defaults.

Code asks `get_settings()`; tests build their own with `Settings.from_env({...})`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Optional, Tuple

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} must be a whole number") from None


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    value = _int(env, name, default)
    if value < 1:
        raise ValueError(f"{name}={value} must be at least 1")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} must be a number") from None


def _path(env: Mapping[str, str], name: str, default: Path) -> Path:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    path = Path(raw)
    return path if path.is_absolute() else PROJECT_ROOT / path


@dataclass(frozen=True)
class Settings:
    # where things live
    project_root: Path = PROJECT_ROOT
    content_dir: Path = PROJECT_ROOT / "content"
    model_dir: Path = PROJECT_ROOT / "models"
    storage_dir: Path = PROJECT_ROOT / "storage"
    build_dir: Path = PROJECT_ROOT / "build"
    web_root: Path = PROJECT_ROOT / "web"
    spacy_pipeline: Path = PROJECT_ROOT / "build" / "spacy_en"
    # which partnership a deployment serves when the conversation does not say
    default_partnership: str = "ayrshire"
    # servers
    host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_port: int = 5055
    allowed_origins: Tuple[str, ...] = ()  # CJ_ALLOWED_ORIGINS, else this server's own local origins
    configured_origins: Tuple[str, ...] = ()  # CJ_ALLOWED_ORIGINS as given
    action_server_health: str = "http://127.0.0.1:5055/health"
    # guards on every message
    max_message_chars: int = 1000
    rate_limit: int = 30  # messages per conversation a minute
    rate_limit_ip: int = (
        60  # messages per client address a minute (default: 60, or twice CJ_RATE_LIMIT if higher)
    )
    max_turns_in_flight: int = 40  # turns being processed at once by this server
    reply_deadline_seconds: float = 2.0
    # stores
    database_url: Optional[str] = None
    redis_url: Optional[str] = None
    retention_days: int = 30
    # a fixed time for "open now" (ISO 8601, e.g. 2026-12-07T11:00): staff checks and evaluations
    clock: Optional[str] = None
    # the local conversation store (SQLite), used when database_url is not set
    conversation_db: Path = PROJECT_ROOT / "storage" / "conversations.db"
    extra: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def model_path(self) -> Path:
        return self.model_dir / "assistant.tar.gz"

    def origins_for(self, rasa_port: int) -> Tuple[str, ...]:
        """The allowed web origins of a Rasa server on `rasa_port` (never empty: an empty list
        would turn Engine.IO's origin check off)."""
        return self.configured_origins or local_origins(rasa_port)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        rasa_port = _int(env, "CJ_RASA_PORT", 5005)
        actions_port = _int(env, "CJ_ACTIONS_PORT", 5055)
        configured = tuple(env.get("CJ_ALLOWED_ORIGINS", "").split())
        rate_limit = _positive(env, "CJ_RATE_LIMIT", 30)
        # One address can hold several conversations, so by default it may send at least twice what one
        # conversation may: raising CJ_RATE_LIMIT alone (tests, evaluations) is never undone by this one.
        rate_limit_ip = _positive(env, "CJ_RATE_LIMIT_IP", max(60, 2 * rate_limit))
        storage_dir = _path(env, "CJ_STORAGE_DIR", PROJECT_ROOT / "storage")
        return cls(
            content_dir=_path(env, "CJ_CONTENT_DIR", PROJECT_ROOT / "content"),
            model_dir=_path(env, "CJ_MODEL_DIR", PROJECT_ROOT / "models"),
            storage_dir=storage_dir,
            spacy_pipeline=_path(env, "CJ_SPACY_PIPELINE", PROJECT_ROOT / "build" / "spacy_en"),
            default_partnership=env.get("CJ_DEFAULT_PARTNERSHIP", "").strip() or "ayrshire",
            host=env.get("CJ_HOST", "").strip() or "127.0.0.1",
            rasa_port=rasa_port,
            actions_port=actions_port,
            allowed_origins=configured or local_origins(rasa_port),
            configured_origins=configured,
            action_server_health=action_server_health_url(env, actions_port),
            max_message_chars=_int(env, "CJ_MAX_MESSAGE_CHARS", 1000),
            rate_limit=rate_limit,
            rate_limit_ip=rate_limit_ip,
            max_turns_in_flight=_positive(env, "CJ_MAX_TURNS_IN_FLIGHT", 40),
            reply_deadline_seconds=_float(env, "CJ_REPLY_DEADLINE", 2.0),
            database_url=env.get("CJ_DATABASE_URL") or None,
            redis_url=env.get("CJ_REDIS_URL") or None,
            retention_days=_int(env, "CJ_RETENTION_DAYS", 30),
            clock=env.get("CJ_CLOCK", "").strip() or None,
            conversation_db=storage_dir / "conversations.db",
            extra={k: v for k, v in env.items() if k.startswith("CJ_")},
        )


def local_origins(rasa_port: int) -> Tuple[str, ...]:
    return (f"http://localhost:{rasa_port}", f"http://127.0.0.1:{rasa_port}")


def action_server_health_url(env: Mapping[str, str], actions_port: int = 5055) -> str:
    """The action server's /health: CJ_ACTION_SERVER_HEALTH (set by bot.tools.serve), else derived from
    ACTION_SERVER_URL (set by Rasa's Helm chart: .../webhook), else the local default."""
    if env.get("CJ_ACTION_SERVER_HEALTH"):
        return env["CJ_ACTION_SERVER_HEALTH"]
    webhook = env.get("ACTION_SERVER_URL", "").rstrip("/")
    if webhook:
        return (webhook[: -len("/webhook")] if webhook.endswith("/webhook") else webhook) + "/health"
    return f"http://127.0.0.1:{actions_port}/health"


def settings_now() -> Settings:
    """The settings as the environment says at this moment, for launchers (bot.tools.serve,
    deploy/topology.py) that set variables for the servers they start after this process has read
    its own settings. Code that runs inside the servers uses get_settings()."""
    return Settings.from_env(os.environ)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read from the environment the first time they are asked for."""
    return Settings.from_env(os.environ)
