"""Fixtures for the browser tests: one real assistant (action server + Rasa) for the whole session,
Debian's Chromium driven by Playwright, and one fresh browser context per test."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterator

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from bot.tools.serve import Assistant

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = PROJECT_ROOT / "test-output" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: run `make browser-setup` (installs Debian's chromium) first.",
            pytrace=False,
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def assistant(chromium_path: str, running_assistant: Assistant) -> Assistant:
    """The one real assistant of the test run (tests/conftest.py), with the browser checked first."""
    return running_assistant


@pytest.fixture(scope="session")
def site_url(assistant: Assistant) -> str:
    return f"{assistant.url}/site/"


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(20_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    page = context.new_page()
    errors: list = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text) if msg.type == "error" and "Content Security Policy" in msg.text else None
        ),
    )
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page


# --------------------------------------------------------------------------- content read from YAML
def _load(path: str) -> dict:
    return yaml.safe_load((PROJECT_ROOT / path).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def domain() -> dict:
    """Bot wording by name: domain.yml responses (utter_*) and actions/prompts.yml (used by custom actions)."""
    wording = {}
    prompts = PROJECT_ROOT / "actions" / "prompts.yml"
    if prompts.exists():
        wording.update(
            {f"utter_{name}": value for name, value in (_load("actions/prompts.yml") or {}).items()}
        )
    wording.update({name: values[0] for name, values in _load("domain.yml").get("responses", {}).items()})
    return wording


def response(domain: dict, name: str) -> dict:
    """The first variant of a response, from domain.yml or actions/prompts.yml (name without the file's prefix)."""
    return domain[name]


@pytest.fixture(scope="session")
def topic_answer_sentence() -> str:
    """The first sentence of the what_is_community_justice answer in content/topics.yml."""
    topics = _load(PROJECT_ROOT / "content" / "topics.yml")["topics"]
    answer = next(t["answer"] for t in topics if t["id"] == "what_is_community_justice")
    return re.split(r"(?<=\.)\s", " ".join(answer.split()))[0]


@pytest.fixture(scope="session")
def demo_page_data() -> dict:
    """The widget's data attributes on web/index.html."""
    html = (PROJECT_ROOT / "web" / "index.html").read_text(encoding="utf-8")
    tag = re.search(r'<script src="/site/static/cj-widget\.js"[^>]*>', html, re.S).group(0)
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', tag))
