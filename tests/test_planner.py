"""The reply planner (bot/conversation/planner.py): answer first, at most one question, follow-ups and
corrections from memory. Behaviour a person would notice, with a fixed clock."""

import datetime as dt
from typing import Optional

import pytest

from bot.content import load_content
from bot.content.opening import UK
from bot.conversation.planner import Planner, Reply
from bot.conversation.turn import Memory, Turn
from bot.conversation.wording import domain_wording
from bot.understanding.signals import read

CONTENT = load_content()
WEEKDAY_MORNING = dt.datetime(2026, 12, 1, 10, 0, tzinfo=UK)  # a Tuesday
SUNDAY_NIGHT = dt.datetime(2026, 12, 6, 23, 0, tzinfo=UK)
FIRST_REPLY_WORDS = 90  # about 60 words plus the names of services; a phone screen without scrolling


class Conversation:
    def __init__(self, page: Optional[str] = None, now: dt.datetime = WEEKDAY_MORNING):
        self.planner = Planner(CONTENT, domain_wording(), "ayrshire")
        self.memory, self.page, self.now = Memory(), page, now

    def say(self, text: str, intent: str, confidence: float = 0.9) -> Reply:
        signals = read(text, CONTENT)
        turn = Turn(
            text,
            intent,
            confidence,
            [(intent, confidence)],
            signals,
            self.memory,
            places=signals.council_areas,
            partnerships=signals.partnerships,
            page_partnership=self.page,
            crisis_kinds=signals.crisis,
        )
        reply = (
            self.planner.crisis(turn, self.now)
            if intent.startswith("crisis_")
            else self.planner.reply(turn, self.now)
        )
        self.memory = reply.memory
        return reply


def text(reply: Reply) -> str:
    return "\n".join(m.text for m in reply.messages)


def words(reply: Reply) -> int:
    return len(reply.messages[0].text.split())


def phone(service_id: str) -> str:
    return CONTENT.service(service_id).phone


def asks_a_question(reply: Reply) -> bool:
    return any(m.text.rstrip().endswith("?") or "Who is it for?" in m.text for m in reply.messages)


@pytest.mark.parametrize(
    "message, intent, service",
    [
        (
            "my daughter has just been jailed, who can help the family",
            "request_support_family",
            "families_outside",
        ),
        ("I was burgled and I'm struggling", "request_support_victim", "victim_support_scotland"),
        (
            "just out of prison and nowhere to sleep tonight",
            "request_support_release",
            "shelter_scotland_helpline",
        ),
        (
            "will my conviction show up when I apply for jobs",
            "request_support_convicted",
            "disclosure_scotland",
        ),
    ],
)
def test_the_first_reply_names_the_route_with_its_number_and_asks_nothing(message, intent, service):
    reply = Conversation().say(message, intent)
    assert phone(service) in text(reply)
    assert not asks_a_question(reply)
    assert words(reply) <= FIRST_REPLY_WORDS


def test_a_bare_request_gets_one_question_with_numbers_in_it_and_is_never_asked_again():
    chat = Conversation()
    first = chat.say("I need help", "request_support")
    assert "116 123" in text(first) and "999" in text(first)
    second = chat.say("dunno really", "nlu_fallback")
    assert not asks_a_question(second)
    assert any(ch.isdigit() for ch in text(second))


def test_an_answer_in_words_to_the_question_is_used():
    chat = Conversation()
    chat.say("can you help", "request_support")
    assert phone("families_outside") in text(chat.say("its my brother, he's on remand", "nlu_fallback"))


def test_a_named_prison_is_used_not_asked_for():
    reply = Conversation().say("how do I visit my partner in HMP Dumfries", "request_support_family")
    assert phone("hmp_dumfries_visits") in text(reply)
    assert "which town" not in text(reply).lower()


def test_follow_ups_answer_from_the_last_service():
    chat = Conversation()
    chat.say("who supports prisoners' families", "request_support_family")
    assert phone("families_outside") in text(chat.say("how do I phone them?", "ask_service_detail"))
    hours = text(chat.say("are they open at weekends?", "ask_service_detail"))
    assert "Monday to Friday" in hours


def test_and_in_dumfries_gives_the_same_kind_of_help_there():
    chat = Conversation()
    chat.say("my son is in prison", "request_support_family")
    reply = chat.say("and in Dumfries?", "inform")
    assert chat.memory.council_area == "dumfries_and_galloway"
    assert phone("families_outside") in text(reply)


def test_a_correction_re_routes_without_starting_over():
    chat = Conversation()
    chat.say("my son got lifted last night", "request_support_family")
    reply = chat.say("no wait, he was the one who got attacked", "correct_audience")
    assert phone("victim_support_scotland") in text(reply)
    chat = Conversation()
    chat.say("my brother gets out next week and has nowhere to go", "request_support_family")
    assert chat.say("no, it's for me", "correct_audience").memory.audience == "leaving_prison"


def test_distress_in_the_middle_of_a_question_gets_the_crisis_route():
    chat = Conversation()
    chat.say("I need help", "request_support")
    reply = chat.say("I can't go on, I want to end it", "crisis_suicidal")
    assert CONTENT.crisis_contact("samaritans").phone in text(reply)
    assert reply.memory.pending is None


def test_suicidal_crisis_gives_samaritans_first_and_says_when_breathing_space_is_closed():
    reply = Conversation(now=WEEKDAY_MORNING).say("I want to die", "crisis_suicidal")
    lines = text(reply)
    assert lines.index("116 123") < lines.index("999")
    assert "Closed now" in lines.split("Breathing Space")[1].split("•")[0]


def test_the_page_partnership_answers_about_the_partnership_unless_a_place_is_named():
    dg = Conversation(page="dumfries_galloway")
    assert "Dumfries and Galloway" in text(dg.say("how do I contact the partnership", "ask_contact"))
    assert "Ayrshire" in text(dg.say("what about in Kilmarnock", "ask_contact"))


def test_a_closed_helpline_comes_with_one_that_is_open():
    reply = Conversation(now=SUNDAY_NIGHT).say(
        "my dad is in prison and I'm not coping", "request_support_family"
    )
    assert "116 123" in text(reply)


def test_a_meaning_question_is_answered_from_the_glossary():
    reply = Conversation().say("what does remand mean", "ask_meaning")
    term = CONTENT.term(CONTENT.term_id_named("remand"))
    assert term.meaning.split()[0] in text(reply)
