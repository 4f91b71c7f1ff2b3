"""A reader in real headless Chromium: home page → report → table-of-contents link → section."""

import pytest

from tests.conftest import import_seed_reports

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(transactional_db):
    return import_seed_reports()


def test_home_to_report_to_section(page, live_server, seeded):
    report = seeded["004"]
    page.goto(live_server.url + "/")
    assert page.locator("#report-total").inner_text() == "5"
    page.get_by_role("link", name=report.title).first.click()
    page.wait_for_url(f"**{report.get_absolute_url()}")
    assert page.locator("h1.report-title").inner_text() == report.title

    target = report.sections.filter(level=2).order_by("order")[3]
    page.locator(f'.report-toc a[href="#{target.anchor}"]').click()
    page.wait_for_url(f"**#{target.anchor}")
    section = page.locator(f'[id="{target.anchor}"]')
    assert section.is_visible()
    assert target.heading in section.locator(".section-heading").first.inner_text()
    # The section's permalink opens a page of its own.
    section.locator(".permalink").first.click()
    page.wait_for_url(f"**{target.get_absolute_url()}")
    assert target.heading in page.locator(".section-heading").first.inner_text()
