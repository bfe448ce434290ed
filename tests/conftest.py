import os
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))
os.chdir(PROJECT_ROOT)

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def running_assistant():
    """The real assistant (action server + Rasa server with the trained model), started once per run."""
    from bot.serve import Assistant, Ports

    assistant = Assistant(ports=Ports(rasa=5205, actions=5255, host="127.0.0.1"), log_dir=PROJECT_ROOT / "build" / "test-logs")
    try:
        assistant.start(timeout=240)
    except Exception:
        assistant.stop()
        raise
    yield assistant
    assistant.stop()
