"""A measured fix to Rasa 3.6, applied explicitly at start-up by `bot.tools.rasa_run` (and the shell).

Rasa validates every action server reply with `jsonschema.validate(result, schema)`, which checks
the schema itself again on every call: about 26 ms of CPU per custom action here, against 0.65 ms
with a validator built once (docs/upstream-validator.md). The replacement accepts and rejects
exactly what Rasa's does, with the same error message.

`apply()` replaces the method only on the Rasa release line it was measured on and only when the
method is still the one it was written against (its source hash); otherwise it logs why it did not.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
from functools import lru_cache
from typing import Any, Dict

import rasa
from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

logger = logging.getLogger(__name__)

RASA_RELEASE_LINE = "3.6."
# sha256 of the source of RemoteAction._validate_action_result in Rasa 3.6.x (checked on 3.6.21).
REPLACED_SOURCE_SHA256 = "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42"


@lru_cache(maxsize=1)
def _action_result_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    try:
        _action_result_validator().validate(result)
        return True
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error


def _source_sha256(function: Any) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


def apply(rasa_version: str = rasa.__version__) -> bool:
    """Use the faster validator; True if it is in place."""
    current = RemoteAction.__dict__.get("_validate_action_result")
    if current is _validate_action_result:
        return True
    if not rasa_version.startswith(RASA_RELEASE_LINE):
        logger.warning(
            "Rasa %s: the action-reply validator fix was written for Rasa %sx; not applied.",
            rasa_version,
            RASA_RELEASE_LINE,
        )
        return False
    if current is None or _source_sha256(current) != REPLACED_SOURCE_SHA256:
        logger.warning(
            "RemoteAction._validate_action_result is not the method the validator fix replaces; "
            "not applied (check docs/upstream-validator.md)."
        )
        return False
    RemoteAction._validate_action_result = _validate_action_result
    logger.info("Action replies are validated with a prebuilt validator (bot/rasa_ext/patches.py).")
    return True
