"""What a member of staff needs to judge a reply, from the stored conversation and the content:
how the message was understood (intent and confidence, what the rules read), which action answered,
which content entries the reply was built from with their sources and reviewed dates, and why.

`explain(events, content)` describes the last turn as JSON-able data: the staff channels send it
under each reply (`{"custom": {"staff": ...}}`) and for `/why` (`{"custom": {"staff_why": ...}}`);
`summary_lines` and `why_lines` put it in words for the terminal (`make shell`), as the widget's
staff view does in the browser.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Iterable, List, Optional

from bot.content.store import Content
from bot.tools.content_flags import all_entries, due_for_review
from bot.tools.conversation_log import CRISIS_ACTION, FALLBACK_INTENT, Turn, turns_of

Explanation = Dict[str, Any]
RULE_ENTITIES = ("audience", "need", "crisis", "follow_up")  # entities of older models: now in cj_reading


def entry_details(
    content: Content, entry_ids: Iterable[str], today: Optional[dt.date] = None
) -> List[Dict[str, Any]]:
    """Each content entry with its kind, name, sources, reviewed date and whether it is due for review."""
    today = today or dt.date.today()
    known = {flagged.entry_id: flagged for flagged in all_entries(content)}
    details: List[Dict[str, Any]] = []
    for entry_id in entry_ids:
        flagged = known.get(entry_id)
        if flagged is None:
            details.append(
                {
                    "id": entry_id,
                    "kind": "unknown",
                    "name": "(no longer in the content)",
                    "sources": [],
                    "reviewed": None,
                    "due_for_review": False,
                }
            )
            continue
        details.append(
            {
                "id": entry_id,
                "kind": flagged.kind,
                "name": flagged.name,
                "sources": list(flagged.entry.sources),
                "reviewed": flagged.entry.reviewed.isoformat(),
                "due_for_review": due_for_review(flagged.entry, today),
            }
        )
    return details


def _entities(turn: Turn) -> List[Dict[str, Any]]:
    return [
        {"entity": e.get("entity"), "value": e.get("value"), "extractor": e.get("extractor")}
        for e in turn.parse.get("entities") or []
        if e.get("entity")
    ]


def read_by_rules(turn: Turn) -> Dict[str, Any]:
    """What the rules read in the message (cj_reading; entities of the same names in older models)."""
    reading = turn.parse.get("cj_reading") or {}
    read: Dict[str, Any] = {}
    for entity in _entities(turn):
        if entity["entity"] in ("audience", "crisis", "follow_up"):
            read.setdefault(entity["entity"], entity["value"])
        elif entity["entity"] == "need":
            read.setdefault("needs", []).append(entity["value"])
    for key in ("audience", "needs", "crisis", "follow_up", "correction", "about"):
        value = reading.get(key)
        if value not in (None, [], False, ""):
            read[key] = value
    return read


def _route(content: Content, read: Dict[str, Any]) -> Optional[str]:
    needs = read.get("needs") or []
    if not (read.get("audience") or needs):
        return None
    route = content.route_for(read.get("audience"), needs[0] if needs else None)
    return route.id if route else None


def explain(
    events: Iterable[Dict[str, Any]], content: Content, today: Optional[dt.date] = None
) -> Optional[Explanation]:
    """The last turn of the conversation, explained; None before the first message."""
    turns = turns_of(events)
    if not turns:
        return None
    turn = turns[-1]
    entities = _entities(turn)
    reading = turn.parse.get("cj_reading") or {}
    read = read_by_rules(turn)
    explanation: Explanation = {
        "message": turn.text,
        "intent": turn.intent,
        "confidence": round(turn.confidence, 3),
        "ranking": [
            {"name": r.get("name"), "confidence": round(float(r.get("confidence") or 0), 3)}
            for r in (turn.parse.get("intent_ranking") or [])[:3]
        ],
        "entities": entities,
        "reading": reading,
        "read": read,
        "action": turn.reply_action,
        "entries": entry_details(content, turn.entries, today),
        "route": _route(content, read) if turn.reply_action == "action_answer" else None,
        "remembered": {name: value for name, value in turn.slots.items() if value is not None},
        "did_you_mean": turn.did_you_mean,
    }
    explanation["why"] = reasons(turn, explanation)
    return explanation


def reasons(turn: Turn, e: Explanation) -> List[str]:
    """Why the assistant replied as it did, in sentences."""
    why: List[str] = []
    reading = e["reading"]
    before = reading.get("classifier_intent")
    if before and before != e["intent"]:
        why.append(
            f"The classifier read {before} ({float(reading.get('classifier_confidence') or 0):.2f}); "
            f"the rules changed it to {e['intent']}."
        )
    else:
        why.append(f"The classifier read {e['intent']} ({e['confidence']:.2f}).")
    rules = reading.get("rules") or []
    if reading:
        why.append(
            f"Crisis check: rules matched {', '.join(rules) if rules else 'nothing'}; "
            f"crisis probability {float(reading.get('crisis_probability') or 0):.2f}."
        )
    read = [
        f"{key}={', '.join(map(str, value)) if isinstance(value, list) else value}"
        for key, value in e["read"].items()
    ]
    read += [f"{x['entity']}={x['value']}" for x in e["entities"] if x["entity"] not in RULE_ENTITIES]
    if read:
        why.append("Read from the message: " + "; ".join(read) + ".")
    action = e["action"]
    if action == CRISIS_ACTION:
        cause = (
            f"the crisis rules matched ({', '.join(rules)})"
            if rules
            else "the classifier and the crisis classifier agreed"
            + (f" ({', '.join(map(str, reading['crisis']))})" if reading.get("crisis") else "")
        )
        why.append(f"Crisis reply (action_crisis) because {cause}: crisis numbers first.")
    elif action and action.startswith("utter_"):
        why.append(f"A fixed reply: the rule for {e['intent']} says {action}.")
    elif e["did_you_mean"]:
        why.append(
            'Not understood: no answer fitted, so the assistant offered "did you mean" choices. '
            "A training example or an answer may be missing."
        )
    elif action == "action_answer":
        if e["intent"] == FALLBACK_INTENT:
            why.append(
                "The classifier was unsure (nlu_fallback), but the rules found what the message was about: "
                "consider adding it as a training example."
            )
        if e["entries"]:
            why.append(
                "Answered from content: " + ", ".join(f"{x['id']} ({x['kind']})" for x in e["entries"]) + "."
            )
        else:
            why.append("A reply with no content entry (a question back, or a general reply).")
        if e["route"]:
            why.append(f"Route for what was read: {e['route']} (content/routes.yml).")
    pending = e["remembered"].get("pending_question")
    if pending:
        why.append(f"Asked one question ({pending}): the next message is read as the answer to it.")
    remembered = [f"{k}={v}" for k, v in e["remembered"].items()]
    if remembered:
        why.append("Remembered for the next message: " + ", ".join(remembered) + ".")
    if any(x["due_for_review"] for x in e["entries"]):
        why.append("Some of these entries are due for review: check them against their sources.")
    return why


def summary_lines(e: Explanation) -> List[str]:
    """A few lines under a reply in the terminal."""
    lines = [f"intent {e['intent']} ({e['confidence']:.2f}) -> {e['action'] or 'no action'}"]
    for entry in e["entries"]:
        due = "  DUE FOR REVIEW" if entry["due_for_review"] else ""
        lines.append(f"{entry['id']} ({entry['kind']}), reviewed {entry['reviewed'] or '-'}{due}")
        lines += [f"    source: {url}" for url in entry["sources"]]
    if not e["entries"]:
        lines.append("no content entry" + (" (did you mean)" if e["did_you_mean"] else ""))
    return lines


def why_lines(e: Explanation) -> List[str]:
    lines = [f"Message (as stored): {e['message']}"]
    ranking = ", ".join(f"{r['name']} {r['confidence']:.2f}" for r in e["ranking"])
    if ranking:
        lines.append(f"Intent ranking: {ranking}")
    lines += e["why"]
    return lines
