"""When the action server is down, visitors still get a kind reply with a phone number, quickly."""

import json
import time
import urllib.request
import uuid

import pytest
from assistant_client import free_ports

from bot.content import load_content
from bot.settings import PROJECT_ROOT
from bot.tools.serve import Assistant


@pytest.mark.server
def test_action_server_down_still_gets_a_reply_with_a_phone_number_within_2_seconds():
    assistant = Assistant(ports=free_ports(), log_dir=PROJECT_ROOT / "build" / "test-logs" / "degradation")
    contact = load_content().partnership("ayrshire").contact
    try:
        assistant.start(timeout=240)
        action_server = assistant.processes[0]
        action_server.kill()
        action_server.wait()
        for message in ("how do I contact you", "my son is in prison and I need help"):
            request = urllib.request.Request(
                f"{assistant.url}/webhooks/rest/webhook",
                data=json.dumps({"sender": str(uuid.uuid4()), "message": message}).encode(),
                headers={"Content-Type": "application/json"},
            )
            started = time.monotonic()
            with urllib.request.urlopen(request, timeout=30) as reply:
                text = " ".join(m.get("text", "") for m in json.loads(reply.read()))
            assert time.monotonic() - started < 2.5
            assert contact.phone in text and contact.web in text and "999" in text
    finally:
        assistant.stop()
