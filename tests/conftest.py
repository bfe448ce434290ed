import pytest
from assistant_client import free_ports

from bot.settings import PROJECT_ROOT

SERVER_FIXTURES = {"running_assistant", "assistant", "site_url", "trained_agent", "staff_shell"}


def pytest_collection_modifyitems(items):
    """Mark each test by what it needs, so `make test-fast` can run the ones that need nothing:
    browser (tests/browser), server (a running assistant), scale (marked in tests/scale), else unit."""
    for item in items:
        needs = set(getattr(item, "fixturenames", ()))
        if "tests/browser/" in item.nodeid or item.nodeid.startswith("browser/"):
            item.add_marker(pytest.mark.browser)
        if needs & SERVER_FIXTURES or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.server)
        if not any(item.get_closest_marker(m) for m in ("server", "browser", "scale", "slow")):
            item.add_marker(pytest.mark.unit)


@pytest.fixture(scope="session")
def running_assistant():
    """The real assistant (action server + Rasa server with the trained model), started once per run."""
    from bot.tools.serve import Assistant

    # Every test talks from 127.0.0.1: the per-address limit (CJ_RATE_LIMIT_IP) would soon refuse the
    # whole test run, so it is raised here; tests/test_rate_limit.py checks the limits themselves.
    assistant = Assistant(
        ports=free_ports(), log_dir=PROJECT_ROOT / "build" / "test-logs", env={"CJ_RATE_LIMIT_IP": "100000"}
    )
    try:
        assistant.start(timeout=240)
    except Exception:
        assistant.stop()
        raise
    yield assistant
    assistant.stop()


@pytest.fixture(scope="session")
def trained_agent():
    """The trained model loaded in this process, for tests of what the NLU reads."""
    from rasa.core.agent import Agent

    from bot.tools.training import MODEL_PATH

    return Agent.load(str(MODEL_PATH))


@pytest.fixture(scope="session")
def staff_shell():
    """`make shell` (bot.tools.shell) with its own action server, store and free ports, the console
    reading from a pipe: staff mode in the terminal and the staff view of the widget."""
    from staff_shell import StaffShell

    shell = StaffShell(PROJECT_ROOT / "build" / "test-logs" / "staff-shell")
    try:
        shell.start()
    except Exception:
        shell.stop()
        raise
    yield shell
    shell.stop()
