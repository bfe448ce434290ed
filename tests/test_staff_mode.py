"""Staff mode (issue 15, part 2): `make shell` shows under each reply the intent and its confidence and
the content entries with their sources and reviewed dates; `/why` explains the last reply; it runs
on 127.0.0.1 with its own store; the staff view of the widget exists only on that server.
The staff view in the browser (with axe) is in tests/browser/test_feedback_and_links.py."""

from __future__ import annotations

import json
import sqlite3
import urllib.error
import urllib.request
import uuid
from types import SimpleNamespace

import pytest

from bot.content import load_content
from bot.rasa_ext.channels.staff import is_local, refuse_other_machines
from bot.settings import PROJECT_ROOT
from bot.tools.conversation_log import did_you_mean_texts
from bot.tools.shell import render, run_console
from bot.tools.staff_view import explain, summary_lines, why_lines
from tests.coroutines import complete

TOPIC = "what_is_community_justice"


@pytest.fixture(scope="module")
def content():
    return load_content()


def user(text, intent, confidence, entities=(), reading=None, timestamp=1.0):
    parse = {
        "intent": {"name": intent, "confidence": confidence},
        "entities": list(entities),
        "text": text,
        "intent_ranking": [
            {"name": intent, "confidence": confidence},
            {"name": "ask_aims", "confidence": 0.01},
        ],
    }
    if reading is not None:
        parse["cj_reading"] = reading
    return {"event": "user", "text": text, "parse_data": parse, "timestamp": timestamp}


def bot(text, entries=(), timestamp=2.0):
    return {
        "event": "bot",
        "text": text,
        "timestamp": timestamp,
        "metadata": {"content_entries": list(entries)} if entries else {},
    }


def action(name):
    return {"event": "action", "name": name}


READING = {
    "rules": [],
    "crisis_probability": 0.01,
    "classifier_intent": "ask_what_is_community_justice",
    "classifier_confidence": 0.93,
}


def test_the_explanation_names_the_intent_entries_sources_and_reviewed_dates(content):
    events = [
        action("action_listen"),
        user("what is community justice?", "ask_what_is_community_justice", 0.93, reading=READING),
        action("action_answer"),
        bot("Community justice means ...", [TOPIC]),
        {"event": "slot", "name": "last_topic", "value": TOPIC},
        action("action_listen"),
    ]
    e = explain(events, content)
    answer = content.answer(TOPIC)
    assert (e["intent"], e["confidence"], e["action"]) == (
        "ask_what_is_community_justice",
        0.93,
        "action_answer",
    )
    assert e["entries"] == [
        {
            "id": TOPIC,
            "kind": "answer",
            "name": answer.title,
            "sources": list(answer.sources),
            "reviewed": answer.reviewed.isoformat(),
            "due_for_review": e["entries"][0]["due_for_review"],
        }
    ]
    lines = summary_lines(e)
    assert lines[0] == "intent ask_what_is_community_justice (0.93) -> action_answer"
    assert f"{TOPIC} (answer), reviewed {answer.reviewed.isoformat()}" in lines[1]
    assert all(f"source: {url}" in "\n".join(lines) for url in answer.sources)
    why = "\n".join(why_lines(e))
    assert "The classifier read ask_what_is_community_justice (0.93)" in why
    assert "Crisis check: rules matched nothing" in why
    assert f"Answered from content: {TOPIC} (answer)" in why
    assert f"last_topic={TOPIC}" in why


def test_the_explanation_of_a_crisis_a_changed_intent_and_a_did_you_mean(content):
    crisis = explain(
        [
            user(
                "I want to end it all",
                "crisis_suicidal",
                0.9,
                [{"entity": "crisis", "value": "suicidal", "extractor": "SupportSignals"}],
                {
                    "rules": ["suicidal"],
                    "crisis_probability": 0.97,
                    "classifier_intent": "out_of_scope",
                    "classifier_confidence": 0.4,
                },
            ),
            action("action_crisis"),
            bot("Please call ...", ["samaritans"]),
        ],
        content,
    )
    why = "\n".join(crisis["why"])
    assert "The classifier read out_of_scope (0.40); the rules changed it to crisis_suicidal." in why
    assert "Crisis reply (action_crisis) because the crisis rules matched (suicidal)" in why
    assert "crisis=suicidal" in why
    not_understood = explain(
        [
            user("flibble", "nlu_fallback", 0.2),
            action("action_answer"),
            bot(next(iter(did_you_mean_texts()))),
        ],
        content,
    )
    assert not_understood["did_you_mean"] and "did you mean" in "\n".join(not_understood["why"])
    assert summary_lines(not_understood)[-1] == "no content entry (did you mean)"
    family = explain(
        [
            user(
                "my son is in prison",
                "request_support_family",
                1.0,
                [{"entity": "audience", "value": "family"}],
            ),
            action("action_answer"),
            bot("Families Outside ...", ["families_outside"]),
        ],
        content,
    )
    assert family["route"] == content.route_for("family", None).id
    assert family["entries"][0]["kind"] == "service"
    assert explain([], content) is None


def test_what_the_rules_read_comes_from_cj_reading(content):
    reading = {
        **READING,
        "classifier_intent": "request_support",
        "audience": "family",
        "needs": ["visiting"],
        "crisis": [],
        "about": "someone else",
        "follow_up": None,
        "correction": False,
    }
    e = explain(
        [
            user("how do I visit my brother", "request_support_family", 0.9, reading=reading),
            action("action_answer"),
            bot("Visiting ...", ["families_outside"]),
        ],
        content,
    )
    assert e["read"] == {"audience": "family", "needs": ["visiting"], "about": "someone else"}
    assert e["route"] == content.route_for("family", "visiting").id
    why = "\n".join(e["why"])
    assert "Read from the message: audience=family; needs=visiting; about=someone else." in why
    assert f"Route for what was read: {e['route']}" in why


def test_the_console_prints_replies_buttons_links_and_staff_lines(content):
    e = explain(
        [
            user("what is community justice?", "ask_what_is_community_justice", 0.93),
            action("action_answer"),
            bot("x", [TOPIC]),
        ],
        content,
    )
    lines, buttons = render(
        [
            {"text": "Community justice means ..."},
            {"custom": {"links": [{"label": "gov.scot", "url": "https://www.gov.scot/"}]}},
            {"custom": {"feedback": {"answer": "1.5"}}},
            {"text": "Anything else?", "buttons": [{"title": "Tell me more", "payload": "/ask_more"}]},
            {"custom": {"staff": e}},
        ]
    )
    assert lines[:4] == [
        "Community justice means ...",
        "  link: gov.scot <https://www.gov.scot/>",
        "Anything else?",
        "  [1] Tell me more",
    ]
    assert lines[4] == "  staff | intent ask_what_is_community_justice (0.93) -> action_answer"
    assert buttons == [{"title": "Tell me more", "payload": "/ask_more"}]
    why, _ = render([{"custom": {"staff_why": e}}])
    assert why[0] == "  why | Message (as stored): what is community justice?"


def test_the_console_presses_buttons_by_number_and_stops(monkeypatch):
    sent = []

    async def post(url, sender, text):
        sent.append(text)
        return [{"text": "Hello", "buttons": [{"title": "Support", "payload": "/request_support"}]}]

    monkeypatch.setattr("bot.tools.shell.post_message", post)
    typed = iter(["hello\n", "1\n", "\n", "/stop\n", "never read\n"])
    printed = []

    async def read():
        return next(typed)

    assert complete(run_console("http://x", "s", printed.append, read)) == 2
    assert sent == ["hello", "/request_support"]
    assert "(pressed: Support)" in printed


def test_staff_mode_is_only_for_this_machine():
    assert is_local("127.0.0.1") and is_local("::1") and is_local("127.0.0.2")
    assert (
        not is_local("192.168.1.20")
        and not is_local("")
        and not is_local(None)
        and not is_local("localhost.evil")
    )
    refused = complete(refuse_other_machines(SimpleNamespace(ip="10.0.0.5")))
    assert refused.status == 403
    assert complete(refuse_other_machines(SimpleNamespace(ip="127.0.0.1"))) is None


def test_credentials_yml_never_names_the_staff_channels():
    assert "staff" not in (PROJECT_ROOT / "credentials.yml").read_text().lower()
    assert "data-staff" not in (PROJECT_ROOT / "web" / "index.html").read_text()


# --------------------------------------------------------------------------- make shell, running
def test_make_shell_shows_intent_entries_sources_and_reviewed_dates_under_each_reply(staff_shell, content):
    answer = content.answer(TOPIC)
    start = staff_shell.type("what is community justice?")
    staff_shell.wait_for_line("staff | intent", 60, start)
    intent_line = staff_shell.wait_for_line("staff | intent ask_what_is_community_justice", 5, start)
    assert (
        staff_shell.lines[intent_line].split("(")[1].split(")")[0].replace(".", "").isdigit()
    )  # the confidence
    staff_shell.wait_for_line(f"staff | {TOPIC} (answer), reviewed {answer.reviewed.isoformat()}", 5, start)
    staff_shell.wait_for_line(f"staff |     source: {answer.sources[0]}", 5, start)
    reply = staff_shell.wait_for_line(answer.answer.split(".")[0], 5, start)
    assert reply < intent_line  # under the reply

    start = staff_shell.type("/why")
    staff_shell.wait_for_line("why | Message (as stored): what is community justice?", 30, start)
    staff_shell.wait_for_line("why | Crisis check:", 5, start)
    staff_shell.wait_for_line(f"why | Answered from content: {TOPIC} (answer)", 5, start)


def test_make_shell_keeps_to_its_own_store_and_why_is_never_stored(staff_shell):
    staff_shell.wait_for_line("Staff shell: conversation", 5)
    line = next(x for x in staff_shell.lines if x.startswith("Staff shell: conversation"))
    conversation = line.split("conversation ")[1].split(",")[0]
    assert uuid.UUID(conversation)
    start = staff_shell.type("hello")
    staff_shell.wait_for_line("staff | intent", 60, start)
    with sqlite3.connect(PROJECT_ROOT / staff_shell.store) as db:
        texts = [
            json.loads(d)["text"]
            for (d,) in db.execute(
                "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (conversation,)
            )
        ]
    assert "hello" in texts and "/why" not in texts


def test_the_staff_server_answers_json_with_staff_notes_and_the_public_server_has_no_staff_page(
    staff_shell, running_assistant
):
    sender = str(uuid.uuid4())
    request = urllib.request.Request(
        f"{staff_shell.url}/webhooks/rest/webhook",
        headers={"Content-Type": "application/json"},
        data=json.dumps({"sender": sender, "message": "what is community justice?"}).encode(),
    )
    with urllib.request.urlopen(request, timeout=60) as reply:
        replies = json.loads(reply.read())
    staff = [r["custom"]["staff"] for r in replies if "staff" in (r.get("custom") or {})]
    assert (
        len(staff) == 1
        and staff[0]["entries"][0]["id"] == TOPIC
        and replies[-1]["custom"] == {"staff": staff[0]}
    )
    with urllib.request.urlopen(f"{staff_shell.url}/site/staff/", timeout=10) as page:
        assert 'data-staff="true"' in page.read().decode()
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{running_assistant.url}/site/staff/", timeout=10)
    assert missing.value.code == 404
    # The public server sends no staff notes.
    request = urllib.request.Request(
        f"{running_assistant.url}/webhooks/rest/webhook",
        headers={"Content-Type": "application/json"},
        data=json.dumps({"sender": sender, "message": "what is community justice?"}).encode(),
    )
    with urllib.request.urlopen(request, timeout=60) as reply:
        assert not any("staff" in (r.get("custom") or {}) for r in json.loads(reply.read()))
