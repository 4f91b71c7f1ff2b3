"""Research instruments in real headless Chromium: per-section citation copy buttons on the
report page, and the figures table's sticky labels."""

from __future__ import annotations

import pytest

from tests.reports.conftest import SEED_FILES

pytestmark = pytest.mark.browser


@pytest.fixture
def imported(transactional_db, isolated_search_index):
    from reports.services import report_draft, report_import
    from search.backends import reset_searchers

    reset_searchers()
    reports = []
    for path in SEED_FILES[:3]:
        data = path.read_bytes()
        reports.append(report_import(draft=report_draft(data=data, filename=path.name), data=data))
    yield reports
    reset_searchers()


def test_section_citation_copy_buttons(browser, live_server, imported):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        report = imported[0]
        page.goto(report.get_absolute_url())
        top = page.locator("button.cite-copy[data-copy='citation-top']")
        assert top.is_visible()
        buttons = page.locator("button.cite-copy-section")
        assert buttons.count() == report.sections.count()
        first = report.sections.order_by("order").first()
        button = page.locator(f"section[data-path='{first.path}'] > .section-head button.cite-copy-section")
        button.click()
        page.wait_for_function("document.querySelector(\"section[data-path='%s'] > .section-head button\")"
                               ".textContent === '已复制'" % first.path)
        copied = page.evaluate("navigator.clipboard.readText()")
        assert "[EB/OL]" in copied and report.title.strip()[:6] in copied
        assert copied != page.locator("#citation-top").inner_text()  # the section's, not the report's
        assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    finally:
        context.close()
