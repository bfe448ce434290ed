"""`make insights`: what the public asked, what failed and what they thought of the answers, for staff.

Reads the conversation store (CJ_DATABASE_URL for PostgreSQL, else storage/conversations.db; or
`--database URL`) and writes build/insights/index.html and its Markdown twin build/insights/index.md
(charts as SVG, inline in the page and beside the Markdown): conversations and messages per day, the
share of conversations that ended not understood (the classifier's fallback, or the "did you mean"
reply), the most common messages not understood (redacted, grouped by similarity), the answers given
most with their helpful / not helpful counts, reported answers, the crisis replies shown, and the
content entries due for review. `--since 2026-01-01` chooses the period (default: the last 30 days,
which is all a store keeps).

Nothing in it identifies a person: texts are those stored (redacted when they arrived) redacted again,
conversation ids are never shown, and every count from 1 to 4 is shown as "fewer than 5".
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import sqlalchemy

from bot.content import ContentError, load_content
from bot.content.opening import UK
from bot.content.store import Content
from bot.content.vocabulary import crisis_kind_of_intent
from bot.rasa_ext.privacy import redact
from bot.settings import PROJECT_ROOT, get_settings
from bot.tools.content_flags import all_entries, due_for_review
from bot.tools.conversation_log import Turn, turns_of

OUT_DIR = PROJECT_ROOT / "build" / "insights"
SMALL = 5  # counts below this are shown as "fewer than 5"
SIMILAR = 0.75  # how alike two messages must be to be grouped
MAX_TEXT = 200
TOP = 20

Events = Dict[str, List[Dict[str, Any]]]  # conversation -> its events, in order


class NoStore(RuntimeError):
    pass


def shown(count: int) -> str:
    """A count as it may be shown: "none", "fewer than 5", or the number."""
    if count == 0:
        return "none"
    return "fewer than 5" if count < SMALL else str(count)


def share(part: int, whole: int) -> str:
    """ "40% (12 of 30)", or what can be said without small counts."""
    if whole == 0:
        return "no conversations"
    if part == 0:
        return f"none of {shown(whole)}"
    if part < SMALL or whole < SMALL:
        return f"{shown(part)} of {shown(whole)}"
    return f"{round(100 * part / whole)}% ({part} of {whole})"


# --------------------------------------------------------------------------- reading the store
def database_url(url: str) -> str:
    """SQLAlchemy 1.4 knows PostgreSQL as postgresql://; many providers hand out postgres://."""
    return "postgresql://" + url[len("postgres://") :] if url.startswith("postgres://") else url


def store_url(explicit: Optional[str] = None) -> str:
    settings = get_settings()
    url = explicit or settings.database_url
    if url:
        return database_url(url)
    if not settings.conversation_db.exists():
        missing = settings.conversation_db
        raise NoStore(f"No conversation store: {missing} does not exist and CJ_DATABASE_URL is not set.")
    return f"sqlite:///{settings.conversation_db}"


def read_events(url: str, since: dt.date) -> Events:
    """Every stored event from `since` (UK time) on, by conversation, in the order they were stored."""
    start = dt.datetime.combine(since, dt.time(), tzinfo=UK).timestamp()
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            if not sqlalchemy.inspect(connection).has_table("events"):
                raise NoStore(f"{safe(url)} has no conversations (no events table).")
            rows = connection.execute(
                sqlalchemy.text(
                    "SELECT sender_id, data FROM events WHERE timestamp >= :start ORDER BY sender_id, id"
                ),
                {"start": start},
            )
            events: Events = defaultdict(list)
            for sender, data in rows:
                try:
                    events[sender].append(json.loads(data))
                except (TypeError, ValueError):
                    continue  # an unreadable event is skipped, not a reason to fail the report
            return dict(events)
    finally:
        engine.dispose()


def safe(url: str) -> str:
    return sqlalchemy.engine.make_url(url).render_as_string(hide_password=True)


# --------------------------------------------------------------------------- what it says
@dataclass
class Group:
    """Messages not understood that say much the same."""

    text: str  # the most common wording
    count: int
    examples: List[str] = field(default_factory=list)  # other wordings


@dataclass
class AnswerStats:
    entry_id: str
    name: str
    kind: str
    given: int = 0
    helpful: int = 0
    not_helpful: int = 0
    reported: int = 0


@dataclass
class Insights:
    since: dt.date
    until: dt.date
    per_day: Dict[dt.date, Tuple[int, int]]  # day -> (conversations, messages)
    conversations: int
    messages: int
    opened_only: int  # chats opened without a message
    ended_not_understood: int
    turns_not_understood: int
    not_understood: List[Group]
    answers: List[AnswerStats]
    crisis: Dict[str, int]  # kind of crisis -> replies
    crisis_contacts: Dict[str, int]  # crisis contact -> times given
    due_for_review: List[Dict[str, str]]

    @property
    def reported(self) -> List[AnswerStats]:
        return sorted((a for a in self.answers if a.reported), key=lambda a: -a.reported)


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s\[\]]", " ", text.lower()).split())


FILLER = frozenset(
    [
        "a",
        "an",
        "the",
        "i",
        "me",
        "my",
        "to",
        "on",
        "in",
        "of",
        "is",
        "it",
        "and",
        "or",
        "for",
        "please",
        "can",
        "you",
        "do",
        "how",
        "what",
        "where",
        "who",
        "when",
        "why",
        "hi",
        "hello",
        "thanks",
    ]
)


def similarity(a: str, b: str) -> float:
    """How alike two normalised messages are: as strings (difflib), or the words of the shorter all in
    the longer ("food bank" and "food bank near me please"), when it has two words or more that matter."""
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    words_a, words_b = set(a.split()) - FILLER, set(b.split()) - FILLER
    shorter, longer = sorted((words_a, words_b), key=len)
    if len(shorter) >= 2 and shorter <= longer:
        return max(ratio, 1.0)
    return ratio


def clean(text: str) -> str:
    """A visitor's message as it may be shown: redacted again (older rows, changed rules), shortened."""
    text = " ".join(redact(text).split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "\u2026"


def group_messages(texts: Iterable[str]) -> List[Group]:
    """Messages grouped by similarity, the most common wording shown for each group."""
    by_key: Dict[str, Counter] = defaultdict(Counter)  # normalised -> its wordings
    for text in texts:
        wording = clean(text)
        if wording:
            by_key[normalised(wording)][wording] += 1
    groups: List[Tuple[str, Counter]] = []  # (representative key, wordings)
    for key in sorted(by_key, key=lambda k: (-sum(by_key[k].values()), k)):
        for representative, members in groups:
            if similarity(key, representative) >= SIMILAR:
                members.update(by_key[key])
                break
        else:
            groups.append((key, Counter(by_key[key])))
    found = []
    for _, members in groups:
        ranked = sorted(members, key=lambda wording: (-members[wording], wording))  # ties: alphabetical
        found.append(Group(ranked[0], sum(members.values()), ranked[1:4]))
    return sorted(found, key=lambda g: (-g.count, g.text))


def analyse(events: Events, content: Content, since: dt.date, today: Optional[dt.date] = None) -> Insights:
    today = today or dt.datetime.now(UK).date()
    entries = {flagged.entry_id: flagged for flagged in all_entries(content)}
    per_day: Dict[dt.date, List[int]] = defaultdict(lambda: [0, 0])
    conversations = messages = opened_only = ended = not_understood_turns = 0
    not_understood: List[str] = []
    answers: Dict[str, AnswerStats] = {}
    crisis: Counter = Counter()
    crisis_contacts: Counter = Counter()
    for conversation in events.values():
        turns = turns_of(conversation)
        typed = [t for t in turns if t.typed]
        if not typed:
            opened_only += 1 if turns else 0
            continue
        conversations += 1
        per_day[day_of(typed[0])][0] += 1
        for turn in typed:
            messages += 1
            per_day[day_of(turn)][1] += 1
            if turn.fallback:
                not_understood_turns += 1
                not_understood.append(turn.text)
            if turn.crisis:
                crisis[crisis_kind(turn)] += 1
                for entry_id in turn.entries:
                    flagged = entries.get(entry_id)
                    if flagged and flagged.kind == "crisis contact":
                        crisis_contacts[flagged.name] += 1
        for turn in turns:
            count_answers(turn, answers, entries)
        if typed[-1].fallback:
            ended += 1
    due = [
        {"id": f.entry_id, "kind": f.kind, "name": f.name, "reviewed": f.entry.reviewed.isoformat()}
        for f in all_entries(content)
        if due_for_review(f.entry, today)
    ]
    return Insights(
        since=since,
        until=today,
        per_day={d: (c, m) for d, (c, m) in sorted(per_day.items())},
        conversations=conversations,
        messages=messages,
        opened_only=opened_only,
        ended_not_understood=ended,
        turns_not_understood=not_understood_turns,
        not_understood=group_messages(not_understood),
        answers=sorted(answers.values(), key=lambda a: (-a.given, a.entry_id)),
        crisis=dict(crisis.most_common()),
        crisis_contacts=dict(crisis_contacts.most_common()),
        due_for_review=sorted(due, key=lambda d: d["reviewed"]),
    )


def day_of(turn: Turn) -> dt.date:
    return dt.datetime.fromtimestamp(turn.timestamp, UK).date()


def count_answers(turn: Turn, answers: Dict[str, AnswerStats], entries: Dict[str, Any]) -> None:
    """Each content entry once per reply; a visitor's latest rating of an answer, and reports."""
    for entry_id in turn.entries:
        flagged = entries.get(entry_id)
        stats = answers.setdefault(
            entry_id,
            AnswerStats(
                entry_id,
                flagged.name if flagged else "(no longer in the content)",
                flagged.kind if flagged else "unknown",
            ),
        )
        stats.given += 1
    latest: Dict[str, Tuple[str, List[str]]] = {}  # answer -> (rating, its entries)
    reported: Dict[str, List[str]] = {}
    for feedback in turn.feedback:
        answer, rating = str(feedback.get("answer")), feedback.get("rating")
        rated = [str(e) for e in feedback.get("content_entries") or []]
        if rating == "report":
            reported[answer] = rated
        elif rating in ("helpful", "not_helpful"):
            latest[answer] = (rating, rated)
    for rating, rated in latest.values():
        for entry_id in rated:
            if entry_id in answers:
                setattr(answers[entry_id], rating, getattr(answers[entry_id], rating) + 1)
    for rated in reported.values():
        for entry_id in rated:
            if entry_id in answers:
                answers[entry_id].reported += 1


def crisis_kind(turn: Turn) -> str:
    kinds = [str(k) for k in (turn.parse.get("cj_reading") or {}).get("crisis") or []]
    kinds += [str(e.get("value")) for e in turn.parse.get("entities") or [] if e.get("entity") == "crisis"]
    return crisis_kind_of_intent(turn.intent or "") or (kinds[0] if kinds else "other")


# --------------------------------------------------------------------------- the command
def parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-01-01") from None


def main(argv: Optional[List[str]] = None) -> int:
    from bot.tools.insights_render import write_report

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--since", type=parse_day, help="first day to include, e.g. 2026-01-01 (default: 30 days ago)"
    )
    parser.add_argument(
        "--database", help="database URL (default: CJ_DATABASE_URL, else storage/conversations.db)"
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="folder for index.html and index.md")
    args = parser.parse_args(argv)
    today = dt.datetime.now(UK).date()
    since = args.since or today - dt.timedelta(days=30)
    if since > today:
        parser.error(f"--since {since} is in the future")
    try:
        url = store_url(args.database)
        events = read_events(url, since)
    except NoStore as problem:
        print(problem, file=sys.stderr)
        return 2
    except sqlalchemy.exc.SQLAlchemyError as problem:
        cause = getattr(problem, "orig", None) or problem
        print(f"Could not read the conversation store: {type(problem).__name__}: {cause}", file=sys.stderr)
        return 2
    try:
        content = load_content()
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    insights = analyse(events, content, since, today)
    html, markdown = write_report(insights, args.out)
    print(f"{insights.conversations} conversations since {since} in {safe(url)}.\n  {html}\n  {markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
