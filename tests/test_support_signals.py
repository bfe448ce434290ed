"""When the evidence does not bear out a crisis intent, what the message is read as instead."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_ext.nlu.support_signals import SupportSignals

pytestmark = pytest.mark.unit


def _message(*ranking):
    intents = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message(data={"text": "some words"})
    message.set("intent", intents[0])
    message.set("intent_ranking", intents)
    return message


def test_a_sure_next_intent_takes_over():
    message = _message(("crisis_domestic_abuse", 0.9), ("ask_disclosure", 0.6))
    SupportSignals._drop_crisis_intents(message)
    assert message.get("intent")["name"] == "ask_disclosure"


def test_abuse_not_borne_out_as_an_emergency_is_still_a_victims_request_for_help():
    message = _message(("crisis_domestic_abuse", 0.99), ("request_support_victim", 0.01))
    SupportSignals._drop_crisis_intents(message)
    assert message.get("intent")["name"] == "request_support_victim"


def test_a_weak_goodbye_never_ends_a_conversation_that_read_as_suicidal():
    message = _message(("crisis_suicidal", 0.7), ("goodbye", 0.14))
    SupportSignals._drop_crisis_intents(message)
    assert message.get("intent")["name"] == "request_support"
    assert all(not r["name"].startswith("crisis_") for r in message.get("intent_ranking"))
