"""The outcome suite's matching rules (tests/e2e/cases/README.md) do what they say."""

from bot.tools.outcomes import Turn, check_turn, contains, load_cases


def test_phone_numbers_match_however_they_are_spaced():
    assert contains("Call 08002540088 now", "0800 254 0088")
    assert contains("call 0800 254 0088", "08002540088")
    assert not contains("call 0800 254 0089", "0800 254 0088")


def test_words_match_case_insensitively_with_whitespace_collapsed():
    assert contains("Families   OUTSIDE can help", "families outside")


def test_a_list_is_any_one_of_its_alternatives_and_rejects_fail_the_turn():
    turn = Turn("hi", expect=[["Victim Support Scotland", "0800 160 1985"]], reject=["which town"])
    assert check_turn("Call 0800 160 1985", turn).passed
    assert not check_turn("Which town are you in?", turn).passed
    assert not check_turn("", Turn("hi")).passed


def test_every_case_file_loads_with_unique_ids():
    cases = load_cases()
    assert len({c.id for c in cases}) == len(cases)
