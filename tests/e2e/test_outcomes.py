"""What a person receives, end to end over REST: each conversation in tests/e2e/cases/ against the
running assistant, checked for the facts its replies must (and must not) contain. The pass rate is
the measure of this project (NLU scores are only a diagnostic); below 95% fails the build.
The newest batch (FRESH_FILES) was written by an author who saw nothing of the assistant and is
measured separately, with a floor against regressions, until its general fixes bring it near the
rest (tests/e2e/cases/README.md). Report: build/results/outcomes.md."""

import pytest

from bot.tools import outcomes

MIN_PASS_RATE = 0.95
# Batch 7: first run 26 of 70 (37.1%), 37 of 70 (52.9%) after this session's general fixes.
FRESH_FILES = {"batch7_mixed.yml"}
MIN_FRESH_PASS_RATE = 0.45


@pytest.fixture(scope="module")
def results(running_assistant):
    import time

    cases = outcomes.load_cases()
    started = time.monotonic()
    found = outcomes.run_all(running_assistant.url, cases)
    totals = outcomes.write_report(found, time.monotonic() - started)
    print(
        f"\nOutcome suite: {totals['all']['passed']}/{totals['all']['cases']} conversations "
        f"({totals['all']['rate']:.1%}); first replies {totals['first_reply']['rate']:.1%}; "
        f"Dumfries and Galloway {totals['dumfries_galloway']['rate']:.1%}. Report: build/results/outcomes.md"
    )
    return found, totals


def test_there_are_enough_cases_and_a_third_are_in_dumfries_and_galloway():
    cases = outcomes.load_cases()
    assert len(cases) >= 150
    in_dg = [
        c
        for c in cases
        if c.partnership == "dumfries_galloway"
        or "dumfries" in " ".join(t.user for t in c.turns).lower()
        or "stranraer" in " ".join(t.user for t in c.turns).lower()
        or "galloway" in " ".join(t.user for t in c.turns).lower()
    ]
    assert len(in_dg) >= len(cases) / 3


def _rate(found) -> float:
    return sum(r.passed for r in found) / len(found)


def test_at_least_95_percent_of_conversations_get_what_they_need(results):
    found, _ = results
    established = [r for r in found if r.case.file not in FRESH_FILES]
    failed = [r.case.id for r in established if not r.passed]
    assert _rate(established) >= MIN_PASS_RATE, (
        f"{len(failed)} failed (see build/results/outcomes.md): {failed}"
    )


def test_the_newest_batch_does_not_fall_back(results):
    found, _ = results
    fresh = [r for r in found if r.case.file in FRESH_FILES]
    assert fresh, f"no cases from {sorted(FRESH_FILES)}: update FRESH_FILES"
    print(
        f"\nNewest batch {sorted(FRESH_FILES)}: {sum(r.passed for r in fresh)}/{len(fresh)} ({_rate(fresh):.1%})"
    )
    assert _rate(fresh) >= MIN_FRESH_PASS_RATE, [r.case.id for r in fresh if not r.passed]


def test_no_reply_is_empty_or_the_cannot_answer_message(results):
    found, _ = results
    broken = [
        r.case.id
        for r in found
        for t in r.turns
        if t.error or not t.reply.strip() or "can't answer properly" in t.reply
    ]
    assert broken == []
