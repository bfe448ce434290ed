"""`make insights` (issue 15, part 4) on a conversation store written by Rasa's own tracker store
(ours: bot/rasa_ext/tracker_store.py) with known conversations: the counts, the grouping of messages
not understood, feedback and reports, crisis replies, the period, and that nothing identifies a person.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import List

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.content import load_content
from bot.rasa_ext.channels.feedback import FeedbackGiven, answer_ref
from bot.rasa_ext.tracker_store import ErasableSQLTrackerStore
from bot.tools import insights
from bot.tools.content_flags import all_entries, due_for_review
from bot.tools.conversation_log import did_you_mean_texts
from bot.tools.insights_render import write_report

UK = insights.UK
DAY1, DAY2, BEFORE = dt.date(2026, 1, 10), dt.date(2026, 1, 11), dt.date(2025, 12, 20)
TODAY = dt.date(2026, 1, 12)
TOPIC, SERVICE = "what_is_community_justice", "families_outside"
PHONE = "07700 900123"
NOT_UNDERSTOOD = [
    "flibble wibble",
    "Flibble wibble?",
    "flibble wibble!!",
    "flibble wibble please",
    "flibble wobble",
]


def at(day: dt.date, seconds: int) -> float:
    return dt.datetime.combine(day, dt.time(10), tzinfo=UK).timestamp() + seconds


class Conversation:
    """Events of one conversation as Rasa stores them, with times on a given day."""

    def __init__(self, day: dt.date) -> None:
        self.day, self.clock = day, 0
        self.events: List[Event] = []
        self.sender = str(uuid.uuid4())

    def tick(self) -> float:
        self.clock += 7
        return at(self.day, self.clock)

    def say(
        self,
        text: str,
        intent: str,
        confidence: float = 0.95,
        action: str = "action_answer",
        reply: str = "...",
        entries: List[str] = (),
        crisis_kind: str = None,
    ) -> float:
        entities = [{"entity": "crisis", "value": crisis_kind}] if crisis_kind else []
        self.events += [
            UserUttered(text, {"name": intent, "confidence": confidence}, entities, timestamp=self.tick()),
            ActionExecuted(action, timestamp=self.tick()),
        ]
        answered = self.tick()
        self.events.append(
            BotUttered(
                reply, metadata={"content_entries": list(entries)} if entries else {}, timestamp=answered
            )
        )
        if entries:
            self.events.append(SlotSet("last_topic", entries[0], timestamp=self.tick()))
        self.events.append(ActionExecuted("action_listen", timestamp=self.tick()))
        return answered

    def rate(self, answered: float, rating: str, entries: List[str]) -> None:
        self.events.append(FeedbackGiven(rating, answer_ref(answered), list(entries), timestamp=self.tick()))


def save(store: ErasableSQLTrackerStore, conversation: Conversation) -> None:
    tracker = DialogueStateTracker.from_events(
        conversation.sender, [ActionExecuted("action_listen", timestamp=at(conversation.day, 0))]
    )
    for event in conversation.events:
        tracker.update(event)
    # In a thread of its own: the browser test that uses this store runs Playwright's event loop.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, store.save(tracker)).result()


def known_conversations(store: ErasableSQLTrackerStore) -> List[Conversation]:
    """Day 1: six conversations asking what community justice is (five rated helpful, one not; one also
    reported) and one asking for family support. Day 2: five not understood (one with a phone number),
    one crisis, one chat opened without a message. Before the period: three more."""
    conversations: List[Conversation] = []
    for n in range(6):
        c = Conversation(DAY1)
        c.say("/greet", "greet", action="utter_greet", reply="Hello")
        answered = c.say("what is community justice?", "ask_what_is_community_justice", entries=[TOPIC])
        c.rate(answered, "not_helpful" if n == 5 else "helpful", [TOPIC])
        if n == 0:
            c.rate(answered, "report", [TOPIC])
        conversations.append(c)
    family = Conversation(DAY1)
    family.say("my son is in prison", "request_support_family", entries=[SERVICE])
    conversations.append(family)
    did_you_mean = next(iter(did_you_mean_texts()))
    for n, text in enumerate(NOT_UNDERSTOOD):
        c = Conversation(DAY2)
        c.say("what is community justice?", "ask_what_is_community_justice", entries=[TOPIC])
        c.say(text + (f" call me on {PHONE}" if n == 0 else ""), "nlu_fallback", 0.2, reply=did_you_mean)
        conversations.append(c)
    crisis = Conversation(DAY2)
    crisis.say(
        "I want to end my life",
        "crisis_suicidal",
        0.97,
        action="action_crisis",
        reply="Samaritans ...",
        entries=["samaritans"],
        crisis_kind="suicidal",
    )
    conversations.append(crisis)
    opened = Conversation(DAY2)
    opened.say("/greet", "greet", action="utter_greet", reply="Hello")
    conversations.append(opened)
    for _ in range(3):
        old = Conversation(BEFORE)
        old.say("flibble wibble", "nlu_fallback", 0.1, reply=did_you_mean)
        conversations.append(old)
    for conversation in conversations:
        save(store, conversation)
    store.engine.dispose()
    return conversations


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    database = tmp_path_factory.mktemp("insights") / "conversations.db"
    return database, known_conversations(ErasableSQLTrackerStore(db=str(database)))


@pytest.fixture(scope="module")
def found(store):
    database, _ = store
    events = insights.read_events(f"sqlite:///{database}", dt.date(2026, 1, 1))
    return insights.analyse(events, load_content(), dt.date(2026, 1, 1), TODAY)


def test_conversations_and_messages_per_day_in_the_period(found):
    assert found.per_day == {DAY1: (7, 7), DAY2: (6, 11)}  # the widget's opening /greet is not a message
    assert (found.conversations, found.messages, found.opened_only) == (13, 18, 1)


def test_not_understood_share_and_messages_grouped_and_redacted(found):
    assert found.ended_not_understood == 5 and found.turns_not_understood == 5
    assert len(found.not_understood) == 1
    group = found.not_understood[0]
    assert group.count == 5
    assert "flibble" in group.text.lower()
    texts = " ".join([group.text, *group.examples])
    assert PHONE not in texts and PHONE.replace(" ", "") not in texts


def test_answers_given_most_with_feedback_and_reports(found):
    by_id = {a.entry_id: a for a in found.answers}
    assert found.answers[0].entry_id == TOPIC
    topic = by_id[TOPIC]
    assert (topic.given, topic.helpful, topic.not_helpful, topic.reported) == (11, 5, 1, 1)
    assert (by_id[SERVICE].given, by_id[SERVICE].helpful) == (1, 0)
    assert [a.entry_id for a in found.reported] == [TOPIC]


def test_crisis_replies_and_the_numbers_given(found):
    assert found.crisis == {"suicidal": 1}
    assert list(found.crisis_contacts.values()) == [1]


def test_entries_due_for_review_come_from_the_content(found):
    content = load_content()
    expected = sorted(f.entry_id for f in all_entries(content) if due_for_review(f.entry, TODAY))
    assert sorted(d["id"] for d in found.due_for_review) == expected


def test_the_period_can_be_chosen(store):
    database, _ = store
    everything = insights.analyse(
        insights.read_events(f"sqlite:///{database}", BEFORE), load_content(), BEFORE, TODAY
    )
    assert everything.conversations == 16 and everything.per_day[BEFORE] == (3, 3)
    later = insights.analyse(insights.read_events(f"sqlite:///{database}", DAY2), load_content(), DAY2, TODAY)
    assert later.per_day == {DAY2: (6, 11)}


def test_the_page_and_its_markdown_twin_show_small_counts_as_fewer_than_5_and_no_ids(found, store, tmp_path):
    _, conversations = store
    page, markdown = write_report(found, tmp_path)
    html, md = page.read_text(), markdown.read_text()
    for text in (html, md):
        assert (
            "Conversations: 13; messages from visitors: 18; chats opened without a message: fewer than 5."
            in text
        )
        assert "Conversations that ended not understood: fewer than 5 of 13" not in text  # 5 is not small
        assert "Conversations that ended not understood: 38% (5 of 13)" in text
        assert "fewer than 5" in text
        assert not any(c.sender in text or c.sender.replace("-", "") in text for c in conversations)
        assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", text)
        assert PHONE not in text and "[phone number]" in text
    # One row per table, as the figures say.
    assert "<td>what_is_community_justice</td><td>What is community justice?</td>" in html or TOPIC in html
    row = re.search(rf"<tr><td>{TOPIC}</td>.*?</tr>", html).group(0)
    assert re.findall(r"<td>([^<]*)</td>", row)[3:] == ["11", "5", "fewer than 5", "fewer than 5"]
    assert re.search(r"<tr><td>suicidal</td><td>fewer than 5</td></tr>", html)
    assert "<svg" in html and (tmp_path / "per-day.svg").exists() and "](per-day.svg)" in md
    assert "hatched" in html


def test_the_command_writes_both_files_and_says_clearly_when_there_is_no_store(store, tmp_path, capsys):
    database, _ = store
    assert (
        insights.main(
            ["--database", f"sqlite:///{database}", "--since", "2026-01-01", "--out", str(tmp_path)]
        )
        == 0
    )
    assert (tmp_path / "index.html").exists() and (tmp_path / "index.md").exists()
    assert insights.main(["--database", f"sqlite:///{tmp_path / 'empty.db'}", "--out", str(tmp_path)]) == 2
    assert "no conversations" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        insights.main(["--since", "tomorrow"])


def test_small_counts_are_never_shown():
    assert [insights.shown(n) for n in (0, 1, 4, 5, 12)] == [
        "none",
        "fewer than 5",
        "fewer than 5",
        "5",
        "12",
    ]
    assert insights.share(3, 40) == "fewer than 5 of 40"
    assert insights.share(10, 40) == "25% (10 of 40)"
    assert insights.share(0, 0) == "no conversations"


def test_alike_messages_are_grouped_and_different_ones_are_not():
    groups = insights.group_messages(
        [
            "where is the nearest food bank",
            "Where's the nearest foodbank?",
            "how do I appeal my sentence",
            "where is the nearest food bank",
        ]
    )
    assert [(g.text, g.count) for g in groups] == [
        ("where is the nearest food bank", 3),
        ("how do I appeal my sentence", 1),
    ]


# --------------------------------------------------------------------------- PostgreSQL
POSTGRES_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))


@pytest.fixture(scope="module")
def postgres_url():
    """A throwaway PostgreSQL cluster on a free port (Debian's binaries, run as the postgres user when
    this is root, as PostgreSQL requires)."""
    import os
    import shutil
    import subprocess
    import tempfile

    from assistant_client import free_port

    if not POSTGRES_BIN:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql) ")
    bin_dir = POSTGRES_BIN[-1].parent
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres and not shutil.which("runuser"):
        pytest.skip("runuser is needed to start PostgreSQL as the postgres user")
    base = Path(
        tempfile.mkdtemp(prefix="cj-insights-pg-")
    )  # not under pytest's folder: the postgres user must reach it
    if as_postgres:
        shutil.chown(base, "postgres")
    port = free_port()

    def run(*command: str) -> None:
        subprocess.run([*as_postgres, *command], check=True, capture_output=True, timeout=60)

    run(str(bin_dir / "initdb"), "-D", str(base / "data"), "-A", "trust", "-U", "cj")
    run(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(base / "data"),
        "-l",
        str(base / "log"),
        "-w",
        "start",
        "-o",
        f"-p {port} -k {base} -c listen_addresses=127.0.0.1",
    )
    try:
        run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "cj", "cj")
        yield f"postgresql://cj@127.0.0.1:{port}/cj"
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(base / "data"), "-w", "-m", "fast", "stop")
        shutil.rmtree(base, ignore_errors=True)


def test_the_same_counts_from_postgresql(postgres_url, found, tmp_path):
    conversations = known_conversations(ErasableSQLTrackerStore(dialect="postgresql", host=postgres_url))
    events = insights.read_events(postgres_url, dt.date(2026, 1, 1))
    from_postgres = insights.analyse(events, load_content(), dt.date(2026, 1, 1), TODAY)
    assert from_postgres == found
    assert insights.main(["--database", postgres_url, "--since", "2026-01-01", "--out", str(tmp_path)]) == 0
    page = (tmp_path / "index.html").read_text()
    assert "Conversations: 13;" in page and not any(c.sender in page for c in conversations)


def test_the_chart_shows_quiet_days_and_hatches_small_ones(found):
    from dataclasses import replace

    from bot.tools.insights_render import chart_svg

    gap = replace(found, per_day={DAY1: (7, 7), DAY1 + dt.timedelta(days=2): (2, 3)})
    svg = chart_svg(gap)
    assert all(label in svg for label in ("10 Jan", "11 Jan", "12 Jan"))  # the quiet day too
    assert "hatched: fewer than 5" in svg and "<pattern" in svg  # the hatching
    assert "No conversations in this period" in chart_svg(replace(found, per_day={}))
