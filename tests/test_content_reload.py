"""Content changes without retraining (issue 15, part 1).

Unit: the watcher serves a valid edit, refuses a broken one with the messages of `make content-check`
and keeps the last good content. Server: a phone number edited in a copy of the content (CJ_CONTENT_DIR)
while an assistant runs is in the next reply, the model file is untouched, and a broken edit keeps
the old number while `make reload-content` (bot.tools.reload_content) reports the problem.
"""

from __future__ import annotations

import logging
import shutil
import time
import uuid
from pathlib import Path

import pytest

from bot.content import ContentError, load_content
from bot.content.watch import ContentWatcher
from bot.settings import PROJECT_ROOT

PHONE = "0800 254 0088"  # Families Outside's helpline in content/support_services.yml
NEW_PHONE = "0800 254 0077"
BROKEN_PHONE = "ring the office"
FAMILY_QUESTION = "my son has just gone to prison, who can help me?"


def copy_of_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", target)
    return target


def set_phone(content_dir: Path, old: str, new: str) -> None:
    services = content_dir / "support_services.yml"
    text = services.read_text(encoding="utf-8")
    assert f'phone: "{old}"' in text
    services.write_text(text.replace(f'phone: "{old}"', f'phone: "{new}"', 1), encoding="utf-8")


def families_outside_phone(watcher: ContentWatcher) -> str:
    return watcher.current().service("families_outside").phone


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_valid_edit_is_served_after_the_next_look(tmp_path):
    content_dir, clock = copy_of_content(tmp_path), Clock()
    watcher = ContentWatcher(content_dir, check_every=2.0, clock=clock)
    assert families_outside_phone(watcher) == PHONE and watcher.last.status == "loaded"
    set_phone(content_dir, PHONE, NEW_PHONE)
    clock.now = 1.0
    assert families_outside_phone(watcher) == PHONE  # not looked at again within check_every
    clock.now = 2.5
    assert families_outside_phone(watcher) == NEW_PHONE
    assert watcher.last.status == "reloaded"
    assert watcher.check().status == "unchanged"


def test_a_broken_edit_is_refused_with_the_content_check_messages_and_the_last_good_content_serves(
    tmp_path, caplog
):
    content_dir = copy_of_content(tmp_path)
    watcher = ContentWatcher(content_dir, check_every=0)
    assert families_outside_phone(watcher) == PHONE
    set_phone(content_dir, PHONE, BROKEN_PHONE)
    with pytest.raises(ContentError) as check:  # what `make content-check` says
        load_content(content_dir)
    with caplog.at_level(logging.ERROR, logger="bot.content.watch"):
        assert families_outside_phone(watcher) == PHONE
        assert families_outside_phone(watcher) == PHONE
    assert watcher.last.status == "refused"
    assert watcher.last.problems == check.value.problems
    assert any(
        "support_services.yml" in p and "families_outside" in p and "phone" in p
        for p in watcher.last.problems
    )
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 1  # logged once, not on every reply
    assert check.value.problems[0] in refusals[0].getMessage()
    # Fixed: served again.
    set_phone(content_dir, BROKEN_PHONE, NEW_PHONE)
    assert families_outside_phone(watcher) == NEW_PHONE and watcher.last.status == "reloaded"


def test_a_missing_file_is_refused_too(tmp_path):
    content_dir = copy_of_content(tmp_path)
    watcher = ContentWatcher(content_dir, check_every=0)
    watcher.current()
    (content_dir / "glossary.yml").unlink()
    assert watcher.current().terms  # the last good content
    assert watcher.last.status == "refused"
    assert any("glossary.yml: file is missing" in p for p in watcher.last.problems)


def test_invalid_content_at_start_still_fails_fast(tmp_path):
    content_dir = copy_of_content(tmp_path)
    set_phone(content_dir, PHONE, BROKEN_PHONE)
    with pytest.raises(ContentError):
        ContentWatcher(content_dir).current()


def test_what_the_server_cannot_use_is_refused_like_invalid_content(tmp_path):
    content_dir = copy_of_content(tmp_path)
    watcher = ContentWatcher(content_dir, check_every=0, also_check=lambda c: ["no such partnership"])
    with pytest.raises(ContentError, match="no such partnership"):
        watcher.current()


def test_content_is_not_in_the_training_fingerprint():
    from bot.tools.training import INPUTS

    assert not any(name == "content" or name.startswith("content/") for name in INPUTS)


# --------------------------------------------------------------------------- the running assistant
@pytest.fixture(scope="module")
def assistant_on_a_copy(tmp_path_factory):
    """An assistant of its own whose action server reads a copy of the content."""
    from assistant_client import free_ports

    from bot.tools.serve import Assistant

    content_dir = copy_of_content(tmp_path_factory.mktemp("reload"))
    log_dir = PROJECT_ROOT / "build" / "test-logs" / "content-reload"
    assistant = Assistant(
        ports=free_ports(),
        log_dir=log_dir,
        env={"CJ_CONTENT_DIR": str(content_dir), "CJ_RATE_LIMIT_IP": "100000"},
    )
    try:
        assistant.start(timeout=240)
    except Exception:
        assistant.stop()
        raise
    yield assistant, content_dir, log_dir
    assistant.stop()


def reply_to(assistant, question: str) -> str:
    from assistant_client import say, text_of

    return text_of(say(assistant.url, str(uuid.uuid4()), question))


@pytest.fixture
def settings_for(monkeypatch):
    """This process's settings with CJ_CONTENT_DIR pointing at `content_dir`, as the tools read them."""
    from bot.settings import get_settings

    def use(content_dir: Path) -> None:
        monkeypatch.setenv("CJ_CONTENT_DIR", str(content_dir))
        get_settings.cache_clear()

    yield use
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.mark.server  # an assistant of its own: not in `make test-fast`
def test_an_edited_phone_number_is_in_the_next_reply_without_training(
    assistant_on_a_copy, settings_for, capsys
):
    from bot.tools import reload_content
    from bot.tools.training import MODEL_PATH

    assistant, content_dir, log_dir = assistant_on_a_copy
    settings_for(content_dir)
    model_mtime = MODEL_PATH.stat().st_mtime_ns
    assert PHONE in reply_to(assistant, FAMILY_QUESTION)

    set_phone(content_dir, PHONE, NEW_PHONE)
    edited = time.monotonic()
    while True:
        reply = reply_to(assistant, FAMILY_QUESTION)
        if NEW_PHONE in reply:
            break
        assert time.monotonic() - edited < 10, reply
        time.sleep(0.2)
    seconds = time.monotonic() - edited
    with capsys.disabled():
        print(f"\nThe edited phone number was in a reply {seconds:.2f} s after the edit (no training).")
    assert PHONE not in reply
    assert MODEL_PATH.stat().st_mtime_ns == model_mtime  # nothing was trained

    # A broken edit: refused, the last good number keeps serving, and make reload-content says why.
    set_phone(content_dir, NEW_PHONE, BROKEN_PHONE)
    time.sleep(1.2)  # past CJ_CONTENT_CHECK_SECONDS
    assert NEW_PHONE in reply_to(assistant, FAMILY_QUESTION)
    capsys.readouterr()
    assert reload_content.main(["--port", str(assistant.ports.actions)]) == 1
    printed = capsys.readouterr()
    assert "support_services.yml" in printed.err  # as make content-check says it
    assert "refused" in printed.err and "families_outside" in printed.err and BROKEN_PHONE in printed.err
    assert "Content edit refused" in (log_dir / "actions.log").read_text()

    # Fixed again: make reload-content serves it at once.
    set_phone(content_dir, BROKEN_PHONE, PHONE)
    assert reload_content.main(["--port", str(assistant.ports.actions)]) == 0
    assert "now serves this content" in capsys.readouterr().out
    assert PHONE in reply_to(assistant, FAMILY_QUESTION)
    assert MODEL_PATH.stat().st_mtime_ns == model_mtime
