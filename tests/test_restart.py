"""A conversation survives the Rasa server being killed (kill -9) in the middle of the support form."""
import pytest
import json
import signal
import urllib.request
import uuid
from assistant_client import free_ports
from bot.settings import PROJECT_ROOT
from bot.tools.serve import Assistant


def say(assistant, sender, text):
    request = urllib.request.Request(f"{assistant.url}/webhooks/rest/webhook",
                                     data=json.dumps({"sender": sender, "message": text}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        return "\n".join(m.get("text", "") for m in json.loads(reply.read()))


@pytest.mark.server
def test_conversation_survives_a_kill_9_mid_form():
    ports = free_ports()
    database = PROJECT_ROOT / "storage" / f"conversations-{ports.rasa}.db"
    database.unlink(missing_ok=True)
    sender = str(uuid.uuid4())
    assistant = Assistant(ports=ports, log_dir=PROJECT_ROOT / "build" / "test-logs" / "restart")
    try:
        assistant.start(timeout=240)
        assert "Who is the support for" in say(assistant, sender, "I need some help")
        rasa_server = assistant.processes[1]
        rasa_server.send_signal(signal.SIGKILL)
        rasa_server.wait()
        assistant.stop()
        assistant.start(timeout=240)
        assert "kind of help" in say(assistant, sender, "it's for my daughter")
    finally:
        assistant.stop()
