"""The sample's site in a real headless browser (Debian's chromium driven by Playwright),
served from a loopback HTTP server: what a visitor sees, searches and clicks."""

from __future__ import annotations

import functools
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from toolkit.model import Disclosure

from .site_helpers import BRIDGE_PAGE, HOSTILE_NAME, build, findings_for, hostile

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() or shutil.which("chromium") is None,
        reason="Debian chromium is missing: install it with `apt-get install chromium`",
    ),
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output clean."""


@functools.cache
def _sync_playwright():  # imported late: the skip above must win when chromium is missing
    from playwright.sync_api import sync_playwright

    return sync_playwright


@pytest.fixture(scope="module")
def served(sample: Disclosure, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample's site and a hostile one, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("served")
    build([sample], root / "sample", findings=findings_for(sample))
    build([hostile(sample)], root / "hostile")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class Visitor:
    """A browser page that records console errors, script errors and every request."""

    def __init__(self, browser, base: str):
        self.base = base
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _route(self, route) -> None:
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: str):
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return self.page


@pytest.fixture(scope="module")
def browser():
    with _sync_playwright()() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def visitor(browser, served) -> Iterator[Visitor]:
    visitor = Visitor(browser, served)
    yield visitor
    try:
        assert visitor.errors == [], "console errors"
        assert visitor.outside == [], "requests that left localhost"
        assert visitor.dialogs == [], "a script opened a dialog"
    finally:
        visitor.context.close()


def test_home_shows_the_total_budget_and_the_budget_chart(visitor):
    page = visitor.open("sample/")
    assert "1651.67 万元" in page.locator(".jx-total").inner_text()
    assert page.locator("svg.jx-bar-chart rect.jx-chart-bar").count() == 15
    assert page.locator("svg.jx-bar-chart").bounding_box()["width"] > 400


def test_project_index_lists_15_projects_and_sorts_by_budget(visitor):
    page = visitor.open("sample/projects/")
    rows = page.locator(".jx-sortable table tbody tr")
    assert rows.count() == 15
    page.get_by_role("columnheader", name="预算数").click()

    def budgets() -> list[float]:
        cells = page.locator(".jx-sortable table tbody tr td:nth-child(3)").all_inner_texts()
        return [float(re.sub(r"[^0-9.]", "", c)) for c in cells]

    first = budgets()
    assert first in (sorted(first), sorted(first, reverse=True))
    assert first != [float(b) for b in sorted(first, key=str)]  # numeric, not text order
    page.get_by_role("columnheader", name="预算数").click()
    assert budgets() == list(reversed(first))


def test_project_page_shows_indicators_chart_and_findings(visitor):
    page = visitor.open(f"sample/{BRIDGE_PAGE}")
    assert page.locator("h1").inner_text() == "韩家洼三座危桥经费"
    content = page.locator("article").inner_text()
    for text in ("完成率", "群众满意度", "外宣品发放使用量占生产量的比例（%）", "≥90百分比"):
        assert text in content
    chart = page.locator("svg.jx-column-chart")
    assert chart.is_visible() and chart.locator("rect.jx-chart-bar").count() == 4
    assert "写明确定指标值的依据：计划、标准、文件或历史数据。" in content
    assert page.locator('link[rel="alternate"][type="text/turtle"]').count() == 1


def test_chinese_search_for_weiqiao_finds_the_bridge_project(visitor):
    page = visitor.open("sample/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.fill("危桥")
    # Material reads the query on keyup; an input method ends with one, fill() does not.
    box.press("End")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10_000)
    # The index holds jieba's segments joined by zero-width spaces; a reader does not see them.
    first = results.first.inner_text().replace("\u200b", "")
    assert first.startswith("韩家洼三座危桥经费")
    href = results.first.locator("a").first.get_attribute("href")
    assert urlsplit(href).path.endswith(BRIDGE_PAGE)


def test_hostile_disclosure_renders_as_inert_text(visitor, sample):
    first = f"hostile/project/2020/{sample.projects[0].code}/"
    for path in ("hostile/", "hostile/projects/", "hostile/quality/", first):
        page = visitor.open(path)
        assert page.evaluate("window.__pwned") is None, path
    page = visitor.open(first)
    assert page.locator("h1").inner_text() == HOSTILE_NAME
    assert page.title().startswith(HOSTILE_NAME)
    data = page.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
    )
    assert HOSTILE_NAME in str(data)
    index = visitor.open("hostile/projects/").locator("table").inner_text()
    assert "**x**" in index and "[a](javascript:window.__pwned=5)" in index


def test_screenshots_of_home_and_project_page(visitor, tmp_path_factory):
    """Kept for a person to look at: the test run prints where they are."""
    folder = tmp_path_factory.mktemp("screenshots")
    for name, path in (("home", "sample/"), ("project", f"sample/{BRIDGE_PAGE}")):
        page = visitor.open(path)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
        assert (folder / f"{name}.png").stat().st_size > 10_000
