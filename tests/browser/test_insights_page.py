"""The insights page of `make insights` in Chromium: readable, and accessible (axe), on the store of
known conversations written by tests/test_insights.py. Screenshot: test-output/screenshots/insights.png."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from bot.tools.insights_render import write_report
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_widget import axe_check
from tests.test_insights import found, store  # noqa: F401  (fixtures: the store of known conversations)


def test_the_insights_page_reads_well_and_passes_axe(page: Page, found, tmp_path):  # noqa: F811
    html, _ = write_report(found, tmp_path)
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(html.as_uri())
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What people asked the Community Justice Assistant"
    )
    expect(
        page.get_by_role(
            "img", name="Conversations and messages per day (the same figures as the first table)"
        )
    ).to_be_visible()
    table = page.get_by_role("table", name="Answers given most, and what people thought of them")
    expect(table.get_by_role("row").nth(1)).to_contain_text("what_is_community_justice")
    expect(page.get_by_role("table", name="Messages not understood, grouped by similarity")).to_contain_text(
        "[phone number]"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "insights.png"), full_page=True)
    axe_check(page, "insights page")
