"""Bad input over REST gets a clear 2xx or 4xx answer, and the server keeps answering."""
import json
import urllib.error
import urllib.request
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.rasa_ext.privacy import redact
from bot.settings import PROJECT_ROOT


def post(assistant, body: bytes):
    request = urllib.request.Request(f"{assistant.url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, json.loads(reply.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def message(text):
    return json.dumps({"sender": str(uuid.uuid4()), "message": text}).encode()


def still_answers(assistant):
    status, replies = post(assistant, message("hello"))
    assert status == 200 and replies and replies[0]["text"]


def test_malformed_requests_get_a_400_that_says_why(running_assistant):
    for body in (b"{not json", b"\xff\xfe\xfa", b"[1, 2]", b'"just a string"',
                 json.dumps({"sender": 5, "message": "hi"}).encode(),
                 json.dumps({"sender": "a", "message": {"nested": ["json"]}}).encode(),
                 json.dumps({"sender": "", "message": "hi"}).encode()):
        status, reply = post(running_assistant, body)
        assert status == 400, body
        assert reply["reason"]
    still_answers(running_assistant)


def test_a_100kb_message_is_refused_kindly_before_nlu(running_assistant):
    status, replies = post(running_assistant, message("help " * 20_000))
    assert status == 200 and "long message" in replies[0]["text"]
    still_answers(running_assistant)


def test_odd_but_valid_messages_get_an_answer(running_assistant):
    for text in ("", "   ", "🙂🙂🙂", "مرحبا كيف حالك", "\x00\x07\x1b[31m", "<script>alert(1)</script>", "\u202etxet"):
        status, replies = post(running_assistant, message(text))
        assert status == 200, text
    still_answers(running_assistant)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_gets_a_2xx_or_4xx(running_assistant, text):
    status, _ = post(running_assistant, message(text))
    assert 200 <= status < 500


def test_personal_details_are_redacted_but_places_kept():
    text = redact("call me on 07700 900123 or 01294 317 203, email jo.bloggs@example.com, I live at KA12 8HN in Irvine")
    assert "07700" not in text and "317 203" not in text and "example.com" not in text and "KA12" not in text
    assert "Irvine" in text and "[phone number]" in text and "[postcode]" in text


def test_the_stored_conversation_holds_no_phone_email_or_postcode(running_assistant):
    import sqlite3

    sender = str(uuid.uuid4())
    post(running_assistant, json.dumps({"sender": sender, "message":
         "I need help, I live in Irvine KA11 1AB, ring me on 07700 900123 or mail me at jo@example.com"}).encode())
    database = PROJECT_ROOT / "storage" / f"conversations-{running_assistant.ports.rasa}.db"
    with sqlite3.connect(database) as connection:
        stored = " ".join(row[0] for row in connection.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (sender,)))
    assert "Irvine" in stored
    for detail in ("KA11 1AB", "07700 900123", "jo@example.com"):
        assert detail not in stored


def test_server_logs_hold_no_message_text(running_assistant):
    marker = f"my neighbour {uuid.uuid4().hex[:8]} needs help with housing"
    post(running_assistant, message(marker))
    logs = " ".join(path.read_text(errors="replace") for path in running_assistant.log_dir.glob("*.log"))
    assert marker not in logs
