"""Debian's Chromium, headless, driven by Playwright as a person uses the console: elements found by role and label.

Playwright's own browser download cannot work on these machines (CONSOLE.md); `make test` installs Debian's
`chromium` and `fonts-noto-cjk` first (tools/ensure-browser.sh). A failing test's last page is kept as a screenshot
under the run's output (`<basetemp>/browser-screenshots`).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, ViewportSize, async_playwright

CHROMIUM = os.environ.get("JIUZHU_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run"]  # fmt: skip
# The smallest screen staff work at (CONSOLE.md).
VIEWPORT: ViewportSize = {"width": 1366, "height": 768}
# Set to a folder (docs/console) to keep the main pages' screenshots there for readers of the docs.
SCREENSHOTS = os.environ.get("JIUZHU_SCREENSHOTS")


@pytest.fixture(scope="package")
async def chromium() -> AsyncIterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (tools/ensure-browser.sh)")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
async def page(chromium: Browser, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
               ) -> AsyncIterator[Page]:  # fmt: skip
    context = await chromium.new_context(viewport=VIEWPORT, locale="zh-CN")
    tab = await context.new_page()
    try:
        yield tab
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            folder = tmp_path_factory.getbasetemp() / "browser-screenshots"
            folder.mkdir(exist_ok=True)
            await tab.screenshot(path=folder / f"{request.node.name}.png", full_page=True)
        await context.close()


async def keep_screenshot(tab: Page, name: str) -> None:
    """The page as a reader of the docs should see it, when JIUZHU_SCREENSHOTS names a folder."""
    if SCREENSHOTS:
        # Playwright creates the folder.
        await tab.screenshot(path=Path(SCREENSHOTS) / f"{name}.png", full_page=True)


async def no_horizontal_scroll(tab: Page) -> bool:
    width: int = await tab.evaluate("document.documentElement.scrollWidth")
    return width <= VIEWPORT["width"]
