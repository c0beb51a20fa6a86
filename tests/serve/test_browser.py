"""A reviewer in a real browser: Playwright drives Debian's Chromium against `newsfacts serve` on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import newsfacts_cmd
from tests.serve.conftest import running_site

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Debian's package (make setup installs it where apt is available); never a browser Playwright downloads.
CHROMIUM = Path(os.environ.get("NEWSFACTS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Where the review page's screenshot is copied when asked (make screenshot: docs/review.png).
SCREENSHOT_ENV = "NEWSFACTS_SCREENSHOT"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: make setup installs Debian's chromium where apt is available "
                    "(or set NEWSFACTS_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def test_a_reviewer_records_a_verdict_and_the_cli_sees_it(news_db, page, tmp_path):
    from playwright.sync_api import expect

    note = "Checked with the company: $2 billion in total, the $1.5 billion figure is out of date"
    with running_site(news_db) as url:
        page.goto(url)
        page.get_by_role("link", name="news", exact=True).click()  # the index lists the database
        page.get_by_role("link", name="Review contradictions").first.click()
        cards = page.locator("article.nf-contradiction")
        expect(cards).to_have_count(3)
        card = page.locator("#contradiction-3")
        expect(card.locator("mark")).to_have_text(["$1.5 billion", "$2 billion"])
        expect(card.locator("cite")).to_have_count(2)
        card.get_by_label("real: the articles disagree").check()
        card.get_by_label("Note").fill(note)
        card.get_by_role("button", name="Record verdict").click()
        page.wait_for_url(url + "-/review")
        expect(page.locator(".message-info")).to_have_text("contradiction 3: real")
        expect(cards).to_have_count(2)  # the open ones left

        page.goto(url + "-/review?show=shown")
        decided = page.locator("#contradiction-3")
        expect(decided.locator(".nf-status")).to_have_text("real")
        expect(decided.locator(".nf-note-text")).to_have_text(note)
        expect(decided.get_by_label("real: the articles disagree")).to_be_checked()
        shot = tmp_path / "review.png"
        page.screenshot(path=shot, full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get(SCREENSHOT_ENV):
        shutil.copy(shot, os.environ[SCREENSHOT_ENV])

    listed = subprocess.run(newsfacts_cmd("contradictions", "--all", "--format", "json", "--db", str(news_db)),
                            capture_output=True, text=True, check=True)
    rows = {row["id"]: row for row in json.loads(listed.stdout)}
    assert (rows[3]["status"], rows[3]["note"]) == ("real", note)
    assert [rows[i]["status"] for i in (1, 2)] == ["open", "open"]
    assert page.dialogs == []


def test_hostile_article_text_shows_as_text_in_the_browser(hostile_db, page):
    from playwright.sync_api import expect

    with running_site(hostile_db) as url:
        for path in ("-/review", "-/review/1", "hostile/v_contradictions", "hostile/articles", "hostile/claims",
                     "hostile/open_contradictions"):
            page.goto(url + path, wait_until="load")
            assert page.locator("img").count() == 0, path  # no <img onerror=...> became an element
            assert page.locator("script:not([src])").evaluate_all(
                "scripts => scripts.filter(s => s.textContent.includes('alert')).length") == 0, path
        page.goto(url + "-/review")
        expect(page.locator(".nf-sentence")).to_have_text([
            "Acme AI raised $50 million in a Series B round led by Sequoia Capital <script>alert('x')</script>, "
            "the company said.",
            "Acme AI raised $80 million in a Series B round led by Sequoia Capital <img src=x onerror=alert(1)>, "
            "the company said."])
        expect(page.locator("cite").first).to_have_text("Acme <script>alert('title')</script> raises money")
    assert page.dialogs == [], "article text ran as script"
