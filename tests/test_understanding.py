"""What the rules read from messages as people write them (bot/understanding)."""

import pytest

from bot.content import load_content
from bot.understanding.normalise import normalise
from bot.understanding.signals import read

CONTENT = load_content()


@pytest.mark.parametrize(
    "typed, plain",
    [
        ("MA BOYS BEEN LIFTED BY THE POLIS", "my boys been lifted by the police"),
        ("ah cannae take it nae mair", "i can't take it no more"),
        ("my sons in prision", "my sons in prison"),
        ("whit time's the visit", "what time's the visit"),
        ("bf got remanded 2day", "boyfriend got remanded today"),
    ],
)
def test_scots_text_speak_and_misspellings_are_spelled_out(typed, plain):
    assert normalise(typed) == plain


def test_real_words_are_never_corrected_into_keywords():
    assert normalise("the policy was recorded") == "the policy was recorded"


@pytest.mark.parametrize(
    "message, audience",
    [
        ("my daughter has just been jailed, who can help the family", "family"),
        ("he's been lifted", "family"),
        ("my man's on remand", "family"),
        ("I was burgled last week", "victim_witness"),
        ("the guy that battered me is getting out", "victim_witness"),
        ("liberated last week, sofa surfing", "leaving_prison"),
        ("I'm getting out of jail on friday", "leaving_prison"),
        ("I am on probation and need a job", "convicted"),
        ("I have a criminal record", "convicted"),
    ],
)
def test_who_needs_help(message, audience):
    assert read(message).audience == audience


@pytest.mark.parametrize(
    "message, need",
    [
        ("nowhere to sleep tonight", "housing"),
        ("sofa surfing at my pal's", "housing"),
        ("how do I book a visit", "visiting"),
        ("how do i tell the kids their dad is inside", "children"),
        ("will I be told when he gets out", "release_info"),
        ("will my conviction show up on a disclosure", "legal_disclosure"),
        ("I need a solicitor", "legal_advice"),
    ],
)
def test_what_with(message, need):
    assert need in read(message).needs


def test_whole_words_only_probation_is_not_robbery_and_parent_is_not_rent():
    assert read("I am on probation").audience != "victim_witness"
    assert "housing" not in read("my parent is in prison").needs


@pytest.mark.parametrize(
    "message, kind",
    [
        ("I want to kill myself", "suicidal"),
        ("i cant face the night on my own", "suicidal"),
        ("my sister says she wants to die", "suicidal"),
        ("there's a man outside my door with a knife", "danger"),
        ("my husband hits me when he's drunk", "domestic_abuse"),
        ("I was raped last year and can't stop thinking about it", "sexual_violence"),
    ],
)
def test_crisis_words_in_context(message, kind):
    assert kind in read(message).crisis


@pytest.mark.parametrize(
    "message",
    [
        "the bills are killing me",
        "my son died in prison last year, what support is there",
        "I can't go on the visit this week, how do I cancel it",
        "what's the maximum sentence for threatening someone with a knife",
        "shoot me a message with the visiting times",
    ],
)
def test_crisis_words_out_of_context_are_not_a_crisis(message):
    assert read(message).crisis == []


def test_places_prisons_and_terms_come_from_content():
    signals = read("my partner's in HMP Dumfries and I live in Kilwinning, what does remand mean", CONTENT)
    assert signals.prisons == ["hmp_dumfries"]
    assert signals.council_areas == ["north_ayrshire"]
    assert signals.asks_meaning


def test_follow_ups_and_corrections():
    assert read("how do i phone them").follow_up == "phone"
    assert read("are they open at the weekend?").follow_up == "hours"
    correction = read("no wait, he was the one who got attacked")
    assert correction.correction and correction.audience == "victim_witness"
