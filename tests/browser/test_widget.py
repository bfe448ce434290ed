"""The chat widget in a real browser against the real assistant (see conftest.py).

Run: PYTHONPATH=. TF_CPP_MIN_LOG_LEVEL=2 .venv/bin/python -m pytest tests/browser -x -q
Bot wording is only asserted where it is read from domain.yml or content/*.yml.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from typing import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Route, WebSocketRoute, expect

from tests.browser.conftest import DESKTOP, PROJECT_ROOT, SCREENSHOTS, response

SOCKET_URL = re.compile(r"/socket\.io/")
REST_URL = "**/webhooks/rest/webhook"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
STORAGE_KEYS = "Object.keys(sessionStorage).filter(k => k.startsWith('cjw.'))"


# --------------------------------------------------------------------------- helpers
def launcher(page: Page):
    return page.get_by_role("button", name="Chat with us", exact=True)


def dialog(page: Page):
    return page.get_by_role("dialog", name="Community Justice Assistant")


def chat_log(page: Page):
    return page.get_by_role("log", name="Conversation")


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", " ".join(text.split()))[0]


def open_widget(page: Page, url: str) -> None:
    page.goto(url)
    launcher(page).click()
    expect(dialog(page)).to_be_visible()
    expect(page.get_by_label("Type your message")).to_be_focused()


def expect_greeting(page: Page, domain: dict) -> None:
    expect(page.locator(".cjw-msg--bot").first).to_contain_text(
        first_sentence(response(domain, "utter_greet")["text"])
    )


def ask(page: Page, text: str) -> None:
    field = page.get_by_label("Type your message")
    field.fill(text)
    field.press("Enter")
    expect(page.locator(".cjw-msg--user .cjw-text").last).to_have_text(text)


def session_storage(page: Page) -> dict:
    return page.evaluate(
        "Object.fromEntries(Object.keys(sessionStorage).map(k => [k, sessionStorage.getItem(k)]))"
    )


def session_id_of(page: Page) -> str:
    """The conversation id, from the widget's storage (it is not on window.CJWidget)."""
    return json.loads(session_storage(page)["cjw.session"])


def stored_user_turns(assistant, session_id: str) -> list:
    database = PROJECT_ROOT / "storage" / f"conversations-{assistant.ports.rasa}.db"
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (session_id,)
        ).fetchall()
    return [json.loads(row[0]) for row in rows]


def block_socket(page: Page) -> None:
    """Every Socket.IO WebSocket is closed at once, as on a network that blocks WebSockets."""
    page.route_web_socket(SOCKET_URL, lambda ws: ws.close())


def axe_check(page: Page, label: str) -> None:
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    violations = results.response["violations"]
    if violations:
        print(f"\naxe violations ({label}):\n{results.generate_report()}")
    assert not violations, f"{len(violations)} axe violation(s) with the widget {label}: " + ", ".join(
        v["id"] for v in violations
    )
    passed = [rule["id"] for rule in results.response.get("passes", [])]
    assert "color-contrast" in passed, passed  # the contrast rule really ran on visible text
    print(f"axe ({label}): 0 violations; {len(passed)} rules passed")


# --------------------------------------------------------------------------- conversation over Socket.IO
def test_question_gets_the_content_answer(
    page: Page, site_url: str, domain: dict, topic_answer_sentence: str, demo_page_data: dict, assistant
):
    socket_frames = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: socket_frames.append(payload)))
    open_widget(page, site_url)
    expect_greeting(page, domain)
    assert page.evaluate("window.CJWidget.connection") == "socket"
    # data-primary-colour is applied with a constructed stylesheet (allowed by the page's CSP).
    assert page.evaluate("document.adoptedStyleSheets.length") == 1
    ask(page, "what is community justice?")
    expect(chat_log(page)).to_contain_text(topic_answer_sentence)
    session_id = session_id_of(page)
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", session_id)
    assert page.evaluate("'sessionId' in window.CJWidget") is False  # not exposed to the host page's scripts
    sent = [json.loads(f[2:]) for f in socket_frames if isinstance(f, str) and f.startswith("42")]
    assert ["session_request", {"session_id": session_id}] in sent
    # data-partnership travels as message metadata, in the channel's metadata_key (customData).
    assert [
        "user_uttered",
        {
            "message": "what is community justice?",
            "session_id": session_id,
            "customData": {"partnership": demo_page_data["partnership"]},
        },
    ] in sent
    assert not page.js_errors, page.js_errors
    # ... and it reaches the stored conversation.
    assert (
        stored_user_turns(assistant, session_id)[-1]["metadata"]["partnership"]
        == demo_page_data["partnership"]
    )


def test_quick_reply_sends_payload_and_shows_title(page: Page, site_url: str, domain: dict):
    greet_button = response(domain, "utter_greet")["buttons"][0]
    open_widget(page, site_url)
    expect_greeting(page, domain)
    bots_before = page.locator(".cjw-msg--bot").count()
    page.get_by_role("group", name="Suggested replies").get_by_role(
        "button", name=greet_button["title"]
    ).click()
    expect(page.locator(".cjw-msg--user").last).to_have_text(f"You said: {greet_button['title']}")
    expect(page.locator(".cjw-msg--bot")).not_to_have_count(bots_before)  # the assistant answered
    # Only the latest message keeps its buttons.
    page.wait_for_timeout(500)  # let the rest of the reply arrive
    assert page.locator(".cjw-quick").count() <= 1
    assert page.locator(".cjw-msg").last.locator(".cjw-quick").count() == page.locator(".cjw-quick").count()
    # Payloads never appear as the user's text.
    expect(chat_log(page)).not_to_contain_text(greet_button["payload"])


def test_reload_restores_the_conversation_and_the_server_remembers(
    page: Page, site_url: str, domain: dict, topic_answer_sentence: str, assistant
):
    open_widget(page, site_url)
    expect_greeting(page, domain)
    ask(page, "what is community justice?")
    expect(chat_log(page)).to_contain_text(topic_answer_sentence)
    before = session_storage(page)
    messages_before = page.locator(".cjw-msg").count()

    page.reload()
    expect(dialog(page)).to_be_visible()  # it was open, so it opens again
    expect(page.locator(".cjw-msg")).to_have_count(messages_before)
    assert session_storage(page)["cjw.session"] == before["cjw.session"]
    page.wait_for_function(
        "() => window.CJWidget.connection === 'socket'"
    )  # a function: a string would need eval, which the CSP blocks

    # The next message goes to the same conversation on the server.
    ask(page, "who are the partners?")
    session_id = session_id_of(page)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        texts = [event["text"] for event in stored_user_turns(assistant, session_id)]
        if "who are the partners?" in texts:
            break
        time.sleep(0.3)
    assert texts[-2:] == ["what is community justice?", "who are the partners?"], texts


def test_keyboard_only(page: Page, site_url: str, domain: dict):
    page.goto(site_url)
    the_launcher = launcher(page)
    for _ in range(10):
        page.keyboard.press("Tab")
        if the_launcher.evaluate("el => el === document.activeElement"):
            break
    expect(the_launcher).to_be_focused()
    expect(the_launcher).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(dialog(page)).to_be_visible()
    expect(the_launcher).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_label("Type your message")).to_be_focused()
    expect_greeting(page, domain)

    page.keyboard.type("hello")
    page.keyboard.press("Enter")
    expect(page.locator(".cjw-msg--user").last).to_have_text("You said: hello")
    expect(page.locator(".cjw-msg").last.locator(".cjw-quick-reply").first).to_be_visible()

    # The quick replies sit just before the text field: Shift+Tab reaches the last one.
    page.keyboard.press("Shift+Tab")
    focused = page.evaluate("document.activeElement.className + '|' + document.activeElement.textContent")
    assert focused.startswith("cjw-quick-reply|"), focused
    title = focused.split("|", 1)[1]
    bots_before = page.locator(".cjw-msg--bot").count()
    page.keyboard.press("Space")
    expect(page.locator(".cjw-msg--user").last).to_have_text(f"You said: {title}")
    expect(page.get_by_label("Type your message")).to_be_focused()
    expect(page.locator(".cjw-msg--bot")).not_to_have_count(bots_before)

    page.keyboard.press("Escape")
    expect(dialog(page)).to_be_hidden()
    expect(the_launcher).to_be_focused()
    expect(the_launcher).to_have_attribute("aria-expanded", "false")
    # Visible focus style on the launcher.
    assert the_launcher.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"


def test_quick_exit_clears_storage_deletes_the_conversation_and_leaves(
    page: Page, site_url: str, domain: dict, assistant
):
    exit_url = site_url + "?left=1"

    def with_local_exit(route: Route) -> None:
        original = route.fetch()
        html = original.text().replace(
            'data-exit-url="https://www.bbc.co.uk/weather"', f'data-exit-url="{exit_url}"'
        )
        assert exit_url in html
        route.fulfill(response=original, body=html)

    page.route(site_url, with_local_exit)
    open_widget(page, site_url)
    expect_greeting(page, domain)
    ask(page, "hello")
    assert set(session_storage(page)) >= {"cjw.session", "cjw.transcript", "cjw.open"}
    session_id = session_id_of(page)
    deadline = time.monotonic() + 20
    while not stored_user_turns(assistant, session_id) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert stored_user_turns(assistant, session_id)
    history_length = page.evaluate("history.length")

    exit_button = dialog(page).get_by_role("button", name="Leave this site quickly")
    expect(exit_button).to_be_visible()
    exit_button.click()
    page.wait_for_url(exit_url)
    assert page.evaluate(STORAGE_KEYS) == []
    assert page.evaluate("history.length") == history_length  # replaced, not pushed
    expect(dialog(page)).to_be_hidden()
    expect(page.locator(".cjw-msg")).to_have_count(0)
    deadline = time.monotonic() + 10
    while stored_user_turns(assistant, session_id) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert stored_user_turns(assistant, session_id) == []  # deleted on the server too


def test_reconnects_after_the_connection_drops(
    page: Page, site_url: str, domain: dict, topic_answer_sentence: str
):
    connections = []

    def pass_through(ws: WebSocketRoute) -> None:
        ws.connect_to_server()
        connections.append(ws)

    page.route_web_socket(SOCKET_URL, pass_through)
    open_widget(page, site_url)
    expect_greeting(page, domain)
    assert page.evaluate("window.CJWidget.connection") == "socket"
    connections[0].close()  # the network drops the WebSocket
    expect(page.get_by_role("status")).to_have_text("Reconnecting\u2026")
    page.wait_for_function("() => window.CJWidget.connection === 'socket'")
    expect(page.locator(".cjw-status")).to_have_text("")  # (an empty status line is not displayed)
    assert len(connections) == 2
    ask(page, "what is community justice?")
    expect(chat_log(page)).to_contain_text(topic_answer_sentence)


# --------------------------------------------------------------------------- REST fallback, hostile content, offline
def test_rest_fallback_when_socket_is_blocked(
    page: Page, site_url: str, domain: dict, topic_answer_sentence: str
):
    rest_posts = []
    page.on(
        "request",
        lambda r: (
            rest_posts.append(json.loads(r.post_data)) if r.url.endswith("/webhooks/rest/webhook") else None
        ),
    )
    block_socket(page)
    open_widget(page, site_url)
    expect_greeting(page, domain)
    assert page.evaluate("window.CJWidget.connection") == "rest"
    ask(page, "what is community justice?")
    expect(chat_log(page)).to_contain_text(topic_answer_sentence)
    session_id = session_id_of(page)
    assert {
        "sender": session_id,
        "message": "what is community justice?",
        "metadata": {"partnership": "ayrshire"},
    } in rest_posts
    expect(page.locator(".cjw-offline")).to_be_empty()


def test_bot_html_is_shown_as_text_and_never_runs(page: Page, site_url: str):
    hostile = (
        'Hi <script>window.__pwned=1</script> and <img src=x onerror="window.__pwned=1"> '
        "javascript:window.__pwned=1 see https://example.org/help?a=1&b=<b>2</b>. Call 0800 254 0088."
    )
    replies = [
        {
            "recipient_id": "x",
            "text": hostile,
            "buttons": [{"title": '<img src=x onerror="window.__pwned=1">', "payload": "/greet"}],
        }
    ]
    block_socket(page)
    page.route(
        REST_URL,
        lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(replies)),
    )
    open_widget(page, site_url)
    message = page.locator(".cjw-msg--bot").first
    expect(message).to_contain_text("<script>window.__pwned=1</script>")
    expect(message).to_contain_text('<img src=x onerror="window.__pwned=1">')
    expect(message.get_by_role("button", name='<img src=x onerror="window.__pwned=1">')).to_be_visible()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    root = page.locator("#cjw-root")
    expect(root.locator("script, img, iframe, [onerror]")).to_have_count(0)
    hrefs = message.locator("a").evaluate_all(
        "links => links.map(a => [a.getAttribute('href'), a.rel, a.target])"
    )
    assert hrefs == [
        ["https://example.org/help?a=1&b=", "noopener noreferrer", "_blank"],  # a URL ends at "<"
        ["tel:08002540088", "noopener noreferrer", ""],
    ], hrefs


def test_offline_message_with_phone_contact(page: Page, site_url: str, demo_page_data: dict):
    block_socket(page)
    page.goto(site_url)
    expect(launcher(page)).to_be_visible()
    page.route("**/*", lambda route: route.abort())  # from now on, nothing reaches the server
    launcher(page).click()
    notice = page.locator(".cjw-offline")
    expect(notice).to_contain_text("can't be reached")
    expect(notice).to_contain_text(demo_page_data["phone"])
    expect(notice).to_contain_text(demo_page_data["contact-text"])
    phone_link = notice.get_by_role("link", name=demo_page_data["phone"])
    expect(phone_link).to_have_attribute("href", "tel:" + demo_page_data["phone"].replace(" ", ""))
    expect(notice.get_by_role("link", name="999")).to_have_attribute("href", "tel:999")
    expect(page.get_by_role("status")).to_contain_text("Offline")
    ask(page, "is anyone there?")
    expect(page.locator(".cjw-msg--user").last.locator(".cjw-failed")).to_be_visible()
    expect(page.locator(".cjw-typing")).to_be_hidden()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "desktop-offline.png"))
    axe_check(page, "offline")


def test_start_again_clears_the_conversation(page: Page, site_url: str, domain: dict):
    open_widget(page, site_url)
    expect_greeting(page, domain)
    ask(page, "hello")
    old_session = session_id_of(page)
    dialog(page).get_by_role("button", name="Start again").click()
    expect(page.locator(".cjw-msg--user")).to_have_count(0)
    expect_greeting(page, domain)
    assert session_id_of(page) != old_session


def test_delete_my_conversation_deletes_it_here_and_on_the_server(
    page: Page, site_url: str, domain: dict, topic_answer_sentence: str, assistant
):
    open_widget(page, site_url)
    expect_greeting(page, domain)
    ask(page, "what is community justice?")
    expect(chat_log(page)).to_contain_text(topic_answer_sentence)
    old_session = session_id_of(page)
    assert stored_user_turns(assistant, old_session)
    delete = dialog(page).get_by_role("button", name="Delete my conversation")
    delete.focus()
    page.keyboard.press("Enter")  # a real button: keyboard works
    expect(page.get_by_role("status")).to_have_text(
        "Your conversation has been deleted from this browser and from our server."
    )
    expect(page.locator(".cjw-msg")).to_have_count(0)
    assert stored_user_turns(assistant, old_session) == []
    assert session_id_of(page) != old_session
    assert json.loads(session_storage(page)["cjw.transcript"]) == []
    axe_check(page, "after deleting the conversation")


# --------------------------------------------------------------------------- accessibility and layout
def test_axe_closed_open_and_with_conversation(
    page: Page, site_url: str, domain: dict, topic_answer_sentence: str
):
    page.goto(site_url)
    expect(launcher(page)).to_be_visible()
    axe_check(page, "closed")
    launcher(page).click()
    expect_greeting(page, domain)
    axe_check(page, "open")
    ask(page, "what is community justice?")
    expect(chat_log(page)).to_contain_text(topic_answer_sentence)
    axe_check(page, "with a conversation")
    # The typing indicator is shown only while waiting; check its contrast too.
    page.evaluate("document.querySelector('.cjw-typing').hidden = false")
    axe_check(page, "with the typing indicator")
    assert not page.js_errors, page.js_errors


def test_reduced_motion(browser: Browser, site_url: str):
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    try:
        page = context.new_page()
        page.goto(site_url)
        launcher(page).click()
        animation = page.evaluate("getComputedStyle(document.querySelector('.cjw-dots span')).animationName")
        assert animation == "none"
    finally:
        context.close()


@pytest.fixture
def mobile(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(20_000)
    yield context
    context.close()


def _conversation(page: Page, domain: dict, topic_answer_sentence: str) -> None:
    launcher(page).click()
    expect_greeting(page, domain)
    ask(page, "what is community justice?")
    expect(chat_log(page)).to_contain_text(topic_answer_sentence)
    page.wait_for_timeout(400)  # let the last message settle before the picture


def test_screenshots_and_small_screens(
    page: Page,
    mobile: BrowserContext,
    browser: Browser,
    site_url: str,
    domain: dict,
    topic_answer_sentence: str,
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(site_url)
    expect(launcher(page)).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "desktop-closed.png"))
    _conversation(page, domain, topic_answer_sentence)
    page.screenshot(path=str(SCREENSHOTS / "desktop-open-conversation.png"))

    phone = mobile.new_page()
    phone.goto(site_url)
    expect(launcher(phone)).to_be_visible()
    phone.screenshot(path=str(SCREENSHOTS / "mobile-360-closed.png"))
    _conversation(phone, domain, topic_answer_sentence)
    phone.screenshot(path=str(SCREENSHOTS / "mobile-360-open-conversation.png"))
    box = dialog(phone).bounding_box()
    assert box and box["x"] == 0 and box["y"] == 0 and box["width"] == 360, box  # full screen
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # 320 px wide and 200% zoom (1280x800 at 200% is 640x400 CSS pixels): full screen, no sideways scrolling.
    for name, viewport in (
        ("narrow-320", {"width": 320, "height": 640}),
        ("zoom-200", {"width": 640, "height": 400}),
    ):
        context = browser.new_context(viewport=viewport, device_scale_factor=2 if name == "zoom-200" else 1)
        try:
            small = context.new_page()
            small.goto(site_url)
            launcher(small).click()
            expect_greeting(small, domain)
            box = dialog(small).bounding_box()
            assert box and box["width"] == viewport["width"] and box["height"] == viewport["height"], (
                name,
                box,
            )
            assert small.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
            for control in ("Leave this site quickly", "Send", "Start again", "Delete my conversation"):
                b = dialog(small).get_by_role("button", name=control).bounding_box()
                assert b and b["width"] >= 24 and b["height"] >= 24, (name, control, b)
                assert b["x"] >= 0 and b["x"] + b["width"] <= viewport["width"], (name, control, b)
            small.screenshot(path=str(SCREENSHOTS / f"{name}-open.png"))
        finally:
            context.close()
