"""The widget's links, feedback controls and staff view, in Chromium against the real assistant (and,
for the staff view, against `make shell`'s server), with axe.

Run: PYTHONPATH=. .venv/bin/python -m pytest tests/browser/test_feedback_and_links.py -q
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from typing import List

import pytest
import yaml
from playwright.sync_api import Page, expect

from tests.browser.conftest import PROJECT_ROOT, SCREENSHOTS
from tests.browser.test_widget import (
    REST_URL,
    axe_check,
    block_socket,
    chat_log,
    dialog,
    expect_greeting,
    launcher,
    open_widget,
    session_id_of,
    session_storage,
)

QUESTION = "what is community justice?"
TOPIC = "what_is_community_justice"


@pytest.fixture(scope="module")
def topic() -> dict:
    topics = yaml.safe_load((PROJECT_ROOT / "content" / "topics.yml").read_text(encoding="utf-8"))["topics"]
    return next(t for t in topics if t["id"] == TOPIC)


def ask(page: Page, text: str) -> None:
    field = page.get_by_label("Type your message")
    field.fill(text)
    field.press("Enter")
    expect(page.locator(".cjw-msg--user .cjw-text").last).to_have_text(text)


def stored_feedback(assistant, session_id: str) -> List[dict]:
    database = PROJECT_ROOT / "storage" / f"conversations-{assistant.ports.rasa}.db"
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'cj_feedback' ORDER BY id",
            (session_id,),
        ).fetchall()
    return [json.loads(row[0]) for row in rows]


def wait_for_feedback(assistant, session_id: str, count: int) -> List[dict]:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = stored_feedback(assistant, session_id)
        if len(found) >= count:
            return found
        time.sleep(0.2)
    return stored_feedback(assistant, session_id)


def feedback_group(page: Page):
    return page.get_by_role("group", name="Feedback on this answer").last


def expect_titled_links(page: Page, topic: dict) -> None:
    links = chat_log(page).get_by_role("list", name="Links").last
    expect(links).to_be_visible()
    first = topic["links"][0]
    link = links.get_by_role("link", name=f"{first['label']} (opens in a new tab)")
    expect(link).to_have_attribute("href", first["url"])
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(link).to_have_attribute("target", "_blank")
    expect(chat_log(page)).not_to_contain_text("\u2022 " + first["label"])  # the plain-text stand-in gave way


# --------------------------------------------------------------------------- links
def test_links_are_a_titled_list_under_the_reply(page: Page, site_url: str, domain: dict, topic: dict):
    open_widget(page, site_url)
    expect_greeting(page, domain)
    assert page.evaluate("window.CJWidget.connection") == "socket"
    ask(page, QUESTION)
    expect_titled_links(page, topic)
    # The list is part of the reply it follows, and comes back after a reload.
    reply = page.locator(".cjw-msg--bot", has=page.get_by_role("list", name="Links")).last
    expect(reply.locator(".cjw-sr").first).to_have_text("Assistant said: ")
    page.reload()
    expect_titled_links(page, topic)
    assert not page.js_errors, page.js_errors


def test_links_over_the_rest_fallback(page: Page, site_url: str, domain: dict, topic: dict):
    block_socket(page)
    open_widget(page, site_url)
    expect_greeting(page, domain)
    assert page.evaluate("window.CJWidget.connection") == "rest"
    ask(page, QUESTION)
    expect_titled_links(page, topic)
    expect(feedback_group(page)).to_be_visible()


def test_only_https_links_are_shown_and_only_as_text(page: Page, site_url: str):
    replies = [
        {"recipient_id": "x", "text": "Here is where to look."},
        {
            "recipient_id": "x",
            "custom": {
                "links": [
                    {"label": "Safe <b>site</b>", "url": "https://example.org/help"},
                    {"label": "Plain http", "url": "http://example.org/"},
                    {"label": "Script", "url": "javascript:window.__pwned=1"},
                    {"label": "Data", "url": "data:text/html,<script>window.__pwned=1</script>"},
                    {"label": "", "url": "https://example.org/empty-label"},
                    {"label": "Not a string", "url": ["https://example.org/"]},
                ]
            },
        },
        {"recipient_id": "x", "custom": {"something_else": {"x": 1}}},
    ]
    block_socket(page)
    page.route(
        REST_URL,
        lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(replies)),
    )
    open_widget(page, site_url)
    links = page.get_by_role("list", name="Links")
    expect(links).to_have_count(1)
    hrefs = links.locator("a").evaluate_all(
        "links => links.map(a => [a.getAttribute('href'), a.textContent, a.rel, a.target])"
    )
    assert hrefs == [
        ["https://example.org/help", "Safe <b>site</b> (opens in a new tab)", "noopener noreferrer", "_blank"]
    ]
    expect(page.locator("#cjw-root b, #cjw-root script")).to_have_count(0)
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned") is None


# --------------------------------------------------------------------------- feedback
def test_feedback_by_keyboard_is_stored_with_the_answers_content_entries(
    page: Page, site_url: str, domain: dict, topic: dict, assistant
):
    open_widget(page, site_url)
    expect_greeting(page, domain)
    expect(page.get_by_role("group", name="Feedback on this answer")).to_have_count(
        0
    )  # a greeting is not an answer
    ask(page, QUESTION)
    group = feedback_group(page)
    expect(group).to_contain_text("Was this helpful?")
    yes = group.get_by_role("button", name="Yes, this was helpful")
    no = group.get_by_role("button", name="No, this was not helpful")
    report = group.get_by_role("button", name="Report a wrong or out-of-date answer")
    for control in (yes, no, report):
        expect(control).to_be_visible()
        box = control.bounding_box()
        assert box and box["height"] >= 24 and box["width"] >= 24, box
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    group.scroll_into_view_if_needed()
    page.wait_for_timeout(400)  # smooth scrolling
    dialog(page).screenshot(path=str(SCREENSHOTS / "feedback-controls.png"))
    axe_check(page, "with feedback controls")

    # Keyboard only: Tab reaches "Yes", Enter sends it.
    yes.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Thank you for your feedback.")
    expect(group).to_contain_text("Thank you for your feedback.")
    expect(group.get_by_role("button", name="Yes, this was helpful")).to_have_count(0)
    assert (
        page.evaluate("document.activeElement.textContent") == "Thank you for your feedback."
    )  # focus not lost
    session_id = session_id_of(page)
    stored = wait_for_feedback(assistant, session_id, 1)
    assert [(f["rating"], f["content_entries"][0]) for f in stored] == [("helpful", TOPIC)]

    page.keyboard.press("Shift+Tab")  # back to the links, then forward to "Report"
    report.focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("status")).to_have_text(
        "Thank you for reporting this answer. Our staff will check it."
    )
    assert [f["rating"] for f in wait_for_feedback(assistant, session_id, 2)] == ["helpful", "report"]
    group.scroll_into_view_if_needed()
    page.wait_for_timeout(400)
    dialog(page).screenshot(path=str(SCREENSHOTS / "feedback-given.png"))
    axe_check(page, "after feedback")

    # The conversation carries on as before, and the feedback state survives a reload.
    ask(page, QUESTION)
    expect(page.get_by_role("group", name="Feedback on this answer")).to_have_count(2)
    page.reload()
    expect(page.get_by_role("group", name="Feedback on this answer").first).to_contain_text(
        "Thank you for reporting"
    )
    assert "rated" in session_storage(page)["cjw.transcript"]


def test_feedback_over_the_rest_fallback_and_when_it_cannot_be_sent(
    page: Page, site_url: str, domain: dict, assistant
):
    block_socket(page)
    open_widget(page, site_url)
    expect_greeting(page, domain)
    ask(page, QUESTION)
    group = feedback_group(page)
    page.route("**/webhooks/rest/feedback", lambda route: route.abort())
    group.get_by_role("button", name="No, this was not helpful").click()
    expect(page.get_by_role("status")).to_contain_text("could not be sent")
    expect(group.get_by_role("button", name="No, this was not helpful")).to_be_enabled()
    page.unroute("**/webhooks/rest/feedback")
    group.get_by_role("button", name="No, this was not helpful").click()
    expect(page.get_by_role("status")).to_have_text("Thank you for your feedback.")
    assert [f["rating"] for f in wait_for_feedback(assistant, session_id_of(page), 1)] == ["not_helpful"]


# --------------------------------------------------------------------------- staff view
def test_the_staff_view_shows_how_each_reply_was_made(page: Page, staff_shell, domain: dict, topic: dict):
    staff_url = f"{staff_shell.url}/site/staff/"
    open_widget(page, staff_url)
    expect_greeting(page, domain)
    ask(page, QUESTION)
    staff = page.locator(".cjw-staff").last
    expect(staff.locator("summary")).to_contain_text("Staff: ask_what_is_community_justice")
    staff.locator("summary").click()
    expect(staff).to_contain_text(f"{TOPIC} (answer), reviewed {topic['reviewed']}")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    staff.scroll_into_view_if_needed()
    page.wait_for_timeout(400)
    page.screenshot(path=str(SCREENSHOTS / "staff-view.png"))
    host = re.sub(r"^www\.", "", topic["sources"][0].split("/")[2])
    expect(staff.get_by_role("link", name=f"{host} (opens in a new tab)").first).to_have_attribute(
        "href", topic["sources"][0]
    )
    ask(page, "/why")
    why = page.locator(".cjw-staff[open]").last
    expect(why).to_contain_text("Crisis check")
    expect(why).to_contain_text(f"Answered from content: {TOPIC} (answer)")
    expect(feedback_group(page)).to_be_visible()  # what the public sees, too
    page.wait_for_timeout(400)
    page.screenshot(path=str(SCREENSHOTS / "staff-view-why.png"))
    axe_check(page, "staff view")
    assert not page.js_errors, page.js_errors


def test_the_public_page_never_shows_staff_details(page: Page, site_url: str, domain: dict):
    open_widget(page, site_url)
    expect_greeting(page, domain)
    ask(page, QUESTION)
    expect(feedback_group(page)).to_be_visible()
    ask(page, "/why")
    page.wait_for_timeout(1500)
    expect(page.locator(".cjw-staff")).to_have_count(0)
    assert dialog(page).is_visible() and launcher(page).count() == 1
