"""The faster check of action server replies accepts and rejects exactly what Rasa's own does."""
import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.rasa_patches import _validate_action_result


@pytest.mark.parametrize("result", [
    {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hi"}]},
    {"events": [], "responses": []},
    {},
])
def test_valid_replies_pass(result):
    jsonschema.validate(result, RemoteAction.action_response_format_spec())
    assert _validate_action_result(None, result)


@pytest.mark.parametrize("result", [{"events": "not a list"}, {"responses": [1, 2]}, {"events": [{"no_event_key": 1}]}])
def test_invalid_replies_are_rejected_like_rasa_does(result):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        _validate_action_result(None, result)
