"""The faster check of action server replies accepts and rejects exactly what Rasa's own does."""
import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.rasa_ext.patches import _validate_action_result
from tests.coroutines import complete


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


def test_sqlite_tracker_store_uses_the_write_ahead_log_and_keeps_turns(tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.rasa_ext import patches as rasa_patches

    rasa_patches.apply()
    db = tmp_path / "conversations.db"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    tracker = DialogueStateTracker.from_events("someone", [UserUttered("hello")])
    complete(store.save(tracker))
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    # A second store on the same file (as after a restart) sees the committed turn.
    again = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    restored = complete(again.retrieve("someone"))
    assert [e.text for e in restored.events if isinstance(e, UserUttered)] == ["hello"]
