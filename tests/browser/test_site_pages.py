"""The site's pages as a new user meets them, in real headless Chromium (issue 16, points 3-8).

One archive (the five seeds, tests/reports/seed_expectations.py) per test; each test walks
several pages so the slow seed import is paid a few times only.  Screenshots of every page at
1366 and 390 px go to the test's tmp directory (look there when a layout assertion fails).
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.conftest import import_seed_reports

pytestmark = pytest.mark.browser

NAV = {"检索": "/search/", "报告": "/reports/", "对比": "/compare/", "趋势": "/trends/", "覆盖": "/coverage/",
       "数据与 API": "/api/"}
USERNAME, PASSWORD = "editor", "pw-site-123456"


@pytest.fixture
def seeds(transactional_db, isolated_search_index):
    return import_seed_reports()


def csp_errors(errors: list[str]) -> list[str]:
    return [e for e in errors if "Content Security Policy" in e or "Refused" in e or "404" in e]


def watch_console(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def no_sideways_scroll(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def test_header_reaches_every_tool_and_the_api_pages_are_chinese(page, seeds):
    errors = watch_console(page)
    page.goto("/")
    nav = page.locator("nav.site-nav")
    assert nav.locator("a").all_inner_texts()[: len(NAV)] == list(NAV)
    for label, path in NAV.items():
        page.goto("/")
        page.locator("nav.site-nav a", has_text=label).click()
        page.wait_for_url(f"**{path}*")
        assert page.locator("nav.site-nav a[aria-current=page]").inner_text() == label
    # 「数据与 API」: a Chinese page in the site's frame that explains the endpoints.
    assert page.url.endswith("/api/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == "数据与 API"
    for endpoint in ("/api/reports/", "/api/search/", "/api/compare/", "/api/trends/"):
        assert endpoint in page.locator("main").inner_text()
    assert page.locator("a[href='/api/docs/']").count() and page.locator("a[href^='/api/schema/']").count()
    # The browsable JSON keeps the site's name, a way back, and needs nothing the CSP blocks.
    page.goto("/api/reports/")
    assert "法治政府报告库" in page.title()
    page.locator("#api-back").click()
    page.wait_for_url("**/api/")
    # The docs say /api/compare/ needs reports= (it answers 400 without).
    page.goto("/api/docs/")
    compare = page.locator("section.api-endpoint", has_text="/api/compare/")
    row = compare.locator("table.api-params tr", has=page.locator("code", has_text="reports"))
    assert row.locator("td").nth(3).inner_text() == "是"
    assert page.request.get("/api/compare/").status == 400
    assert not csp_errors(errors), errors


def test_favicon_skip_link_and_admin_stays_chinese(page, browser, live_server, seeds):
    errors = watch_console(page)
    page.goto("/")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(icon).ok
    assert page.request.get("/favicon.ico").ok  # redirected to the same icon
    # The first Tab reaches the skip link; following it puts the focus on the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert not csp_errors(errors), errors

    english = browser.new_context(base_url=live_server.url, locale="en-US", extra_http_headers={"Accept-Language": "en-US,en;q=0.9"})
    try:
        admin = english.new_page()
        admin.goto("/admin/login/")
        assert admin.locator("html").get_attribute("lang") == "zh-hans"
        assert admin.locator("input[type=submit]").get_attribute("value") == "登录"
        assert "Log in" not in admin.content()
    finally:
        english.close()


def test_coverage_years_legend_and_sticky_region_column(page, seeds):
    from django.db.models import Max, Min

    from reports.models import Report, ReportKind

    held = Report.objects.filter(kind=ReportKind.RULE_OF_LAW).aggregate(first=Min("year"), last=Max("year"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/coverage/")
    # Opens on the years the archive holds for the kind, not on decades of empty columns.
    years = page.locator("table.coverage-table thead th[scope=col]").all_inner_texts()[1:-1]
    assert years[0] == str(held["first"]) and years[-1] == str(held["last"])
    legend = page.locator("ul.coverage-legend").inner_text()
    assert "已收录" in legend and "缺报" in legend and "名录外" in legend
    page.locator("input[name=from]").fill("2000")
    page.locator("input[name=to]").fill(str(held["last"]))
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/coverage/?*from=2000*")
    assert page.locator("table.coverage-table thead th[scope=col]").all_inner_texts()[1] == "2000"
    sw, iw = no_sideways_scroll(page)
    assert sw <= iw
    # Scrolling the table sideways keeps the unit column in view.
    scroller = page.locator(".coverage-scroll").first
    first_cell = page.locator("table.coverage-table tbody th").first
    x0 = first_cell.bounding_box()["x"]
    scroller.evaluate("el => { el.scrollLeft = 400; }")
    assert scroller.evaluate("el => el.scrollLeft") > 0
    assert abs(first_cell.bounding_box()["x"] - x0) < 2


def test_report_page_citation_top_simplified_title_and_compare_in_place(page, seeds):
    traditional = seeds["001"]
    errors = watch_console(page)
    page.goto(traditional.get_absolute_url())
    cite = page.locator("#cite-top")
    assert cite.bounding_box()["y"] < 900  # within the first screen, not 12,000 px down
    for label in ("BibTeX", "RIS", "JSON"):
        assert cite.locator("a", has_text=label).count()
    assert page.request.get(cite.locator("a", has_text="BibTeX").get_attribute("href")).ok
    assert "蘇州工業園區" in page.locator("h1.report-title").inner_text()
    page.goto(traditional.get_absolute_url() + "?script=simplified")
    title = page.locator("h1.report-title").inner_text()
    assert "苏州工业园区" in title and "蘇州" not in title
    assert "苏州工业园区" in page.title()

    # 加入对比 from the fourth result: the list changes, the page does not reload or jump.
    page.goto("/search/?q=" + quote("出庭应诉"))
    page.evaluate("window.__marker = 1")
    form = page.locator("form.compare-add").nth(3)
    form.scroll_into_view_if_needed()
    y_before = form.bounding_box()["y"]
    form.locator("button").click()
    page.locator("#compare-bar").wait_for()
    assert page.evaluate("window.__marker") == 1  # same document: no reload
    assert abs(page.locator("form.compare-add").nth(3).bounding_box()["y"] - y_before) < 3
    assert page.locator("form.compare-add").nth(3).locator("button").inner_text() == "移出对比"
    assert "1/" in page.locator("#compare-bar strong").inner_text()
    page.locator("form.compare-add").nth(1).locator("button").click()
    page.locator("#compare-go").wait_for()
    assert page.evaluate("window.__marker") == 1
    page.locator("#compare-go").click()
    page.wait_for_url("**/compare/?reports=*")
    assert page.locator("table.compare-grid th.report-col").count() == 2
    assert not csp_errors(errors), errors


def test_trend_zeros_are_readable(page, seeds):
    page.goto("/trends/?terms=" + quote("行政复议") + "&by=level")
    zero = page.locator("table.trend-table .zero").first
    ratio = zero.evaluate(
        """el => {
          const rgb = s => s.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
          const lum = c => { const v = c.map(x => { x /= 255; return x <= .03928 ? x / 12.92 : ((x + .055) / 1.055) ** 2.4; });
                             return .2126 * v[0] + .7152 * v[1] + .0722 * v[2]; };
          let node = el, bg = 'rgba(0, 0, 0, 0)';
          while (node && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) { bg = getComputedStyle(node).backgroundColor; node = node.parentElement; }
          const a = lum(rgb(getComputedStyle(el).color)), b = lum(rgb(bg));
          return (Math.max(a, b) + .05) / (Math.min(a, b) + .05);
        }"""
    )
    assert ratio >= 4.5, ratio  # WCAG AA for text


PAGES = ["/", "/search/?q=" + quote("行政复议"), "/reports/", "REPORT", "COMPARE", "/trends/?terms=" + quote("行政复议"),
         "/coverage/", "/api/", "/api/docs/", "/compare/", "/admin/reports/report/upload/"]


def test_no_page_scrolls_sideways_on_a_phone(page, seeds, tmp_path):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(USERNAME, password=PASSWORD, is_staff=True, is_superuser=True)
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(USERNAME)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    ids = ",".join(str(seeds[k].pk) for k in ("000", "001", "004"))
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 844})
        for path in PAGES:
            url = {"REPORT": seeds["001"].get_absolute_url(), "COMPARE": f"/compare/?reports={ids}"}.get(path, path)
            page.goto(url)
            name = re.sub(r"[^a-z0-9]+", "_", url.lower()).strip("_") or "home"
            page.screenshot(path=str(tmp_path / f"{width}-{name}.png"))
            sw, iw = no_sideways_scroll(page)
            assert sw <= iw, (width, url, sw, iw)

    page.set_viewport_size({"width": 390, "height": 844})
    # Search: the query box fits and the first result starts on the first screen.
    page.goto("/search/?q=" + quote("行政复议"))
    box = page.locator("form.search-form input[name=q]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.locator("article.result").first.bounding_box()["y"] < 844
    assert page.locator("details.more-filters").get_attribute("open") is None  # folded on phones
    assert page.locator("details.facet-panel").get_attribute("open") is None
    # Compare: topic by topic, each passage labelled with its report, readable at full width.
    page.goto(f"/compare/?reports={ids}")
    cells = page.locator("table.compare-grid td.cell")
    label = cells.first.locator(".cell-label")
    assert label.is_visible() and label.inner_text().strip()
    assert cells.first.bounding_box()["width"] > 300
    assert page.locator("ol.compare-reports-list li").count() == 3
    # The report switcher: one report's passages per topic, a much shorter page.
    tall = page.evaluate("document.documentElement.scrollHeight")
    page.locator("fieldset.report-switch label", has_text="港口镇").click()
    visible = page.locator("table.compare-grid td.cell:visible")
    assert visible.count() > 0
    assert set(visible.evaluate_all("els => els.map(e => e.dataset.report)")) == {str(seeds["004"].pk)}
    assert page.evaluate("document.documentElement.scrollHeight") < tall
    page.locator("#cmp-show-all").check()
    assert page.locator("table.compare-grid td.cell:visible").count() == 3 * page.locator("tr.topic-row").count()
