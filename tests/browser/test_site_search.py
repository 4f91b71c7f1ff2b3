"""Search as a new researcher tries it, in real headless Chromium (issue 16, points 1, 2, 7).

Seeds (fixtures/seeds, hand-checked in tests/reports/seed_expectations.py) and their regions:
  000 宁夏回族自治区 › 石嘴山市 (640200) 2020; 001 江苏省 › 苏州市 › 苏州工业园区 2019 (traditional);
  002 山西省 › 太原市 (140100) › 杏花岭区 2023; 003 河南省 › 平顶山市 › 平顶山市城乡一体化示范区 2019;
  004 广东省 › 中山市 › 港口镇 2021 (a town directly under a city).
出庭应诉 is in all five (001 as 出庭應訴), 行政复议 in all but 003 (grep of the seed files).
One more report is imported here under 河北省 › 保定市 › 涞源县 (seed 000's text, retitled), and an
empty 朝阳区 under both 北京市 and 吉林省长春市 makes "朝阳" ambiguous.
"""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tests.conftest import import_seed_reports
from tests.reports.conftest import SEED_FILES

pytestmark = pytest.mark.browser


@pytest.fixture
def archive(transactional_db, isolated_search_index):
    from reports.services import region_from_names, report_draft, report_import

    reports = import_seed_reports()
    text = SEED_FILES[0].read_text(encoding="utf-8").replace("石嘴山市", "涞源县", 1)
    data = ("涞源县2020年法治政府建设年度报告\n" + text).encode("utf-8")
    laiyuan = region_from_names({1: "河北省", 2: "保定市", 3: "涞源县"})
    reports["laiyuan"] = report_import(
        draft=report_draft(data=data, filename="laiyuan.txt"), data=data, overrides={"region": laiyuan}
    )
    region_from_names({1: "北京市", 3: "朝阳区"})
    region_from_names({1: "吉林省", 2: "长春市", 3: "朝阳区"})
    return reports


def params(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def result_ids(page) -> set[int]:
    return {int(x) for x in page.locator("article.result").evaluate_all("els => els.map(e => e.dataset.report)")}


def count(page) -> int:
    return int(page.locator("#result-count").inner_text())


def test_list_punctuation_separates_terms(page, archive):
    page.goto("/search/?q=" + quote("行政复议 出庭应诉"))
    spaced = result_ids(page)
    assert spaced == {archive[k].pk for k in ("000", "001", "002", "004", "laiyuan")}
    for typed in ("行政复议，出庭应诉", "行政复议、出庭应诉", "行政复议,出庭应诉"):
        page.goto("/search/")
        page.locator("form.search-form input[name=q]").fill(typed)
        page.locator("form.search-form button[type=submit]").click()
        page.wait_for_url("**/search/?q=*")
        assert result_ids(page) == spaced, typed
        assert not page.locator("#no-results").count()
        # Both words are marked in the snippets.
        marks = set(page.locator(".snippet mark").all_inner_texts())
        assert {"行政复议", "出庭应诉"} <= marks, marks


REGION_INPUTS = [
    ("保定", "河北省保定市"),
    ("河北", "河北省"),
    ("河北省保定市", "河北省保定市"),
    ("河北省>保定市", "河北省保定市"),
    ("河北 / 保定 / 涞源", "河北省保定市涞源县"),
    ("石嘴", "宁夏回族自治区石嘴山市"),
    ("宁夏", "宁夏回族自治区"),
    ("山西太原", "山西省太原市"),
    ("640200", "宁夏回族自治区石嘴山市"),
    ("140100000000", "山西省太原市"),
]


def test_region_input_forgives(page, archive):
    """Short names, prefixes, paths with or without separators, division codes: each one
    filters by the region meant (one import of the archive for all of them: seeds are slow)."""
    from reports.models import Report

    held = [(r.pk, r.region.full_name) for r in Report.objects.with_region() if r.region]
    for typed, expected_full_name in REGION_INPUTS:
        page.goto("/search/?q=" + quote("出庭应诉"))
        page.locator("form.search-form input[name=region]").fill(typed)
        page.locator("form.search-form button[type=submit]").click()
        page.wait_for_url(lambda url: params_of(url).get("region") == typed)
        chip = page.locator("ul.chips li.chip-region")
        assert chip.count() == 1, typed
        shown = "".join(chip.inner_text().replace("地区：", "").replace("×", "").split("›")).replace(" ", "")
        assert shown == expected_full_name, typed
        assert not page.locator("p.warning").count(), (typed, page.locator("p.warning").all_inner_texts())
        expected = {pk for pk, name in held if name.startswith(expected_full_name)}
        assert expected and result_ids(page) == expected, typed


def test_ambiguous_or_unknown_region_is_never_dropped_silently(page, archive):
    page.goto("/search/?q=" + quote("出庭应诉") + "&region=" + quote("朝阳"))
    warning = page.locator("p.warning").inner_text()
    assert "对应多个地区" in warning and "当前未按地区筛选" in warning
    choices = page.locator(".region-choices a")
    assert sorted(choices.all_inner_texts()) == ["北京市朝阳区", "吉林省长春市朝阳区"]
    # Choosing one filters by it (no report there, so nothing is found, said plainly).
    choices.filter(has_text="吉林省").click()
    page.wait_for_url(lambda url: "region=" in url and "朝阳" not in urlsplit(url).query)
    assert params(page)["region"] == "吉林省长春市朝阳区"
    assert count(page) == 0 and page.locator("#no-results").is_visible()
    assert "长春市" in page.locator("ul.chips li.chip-region").inner_text()

    page.goto("/search/?q=" + quote("出庭应诉") + "&region=" + quote("火星"))
    assert "没有与“火星”相符的地区" in page.locator("p.warning").inner_text()
    assert not page.locator("ul.chips li.chip-region").count()


def test_region_typeahead_fills_suggestions_from_the_json_endpoint(page, archive):
    answer = page.request.get("/regions/suggest/?q=" + quote("石嘴"))
    assert answer.ok and answer.headers["content-type"].startswith("application/json")
    assert [r["full_name"] for r in answer.json()["results"]] == ["宁夏回族自治区石嘴山市"]
    bad = page.request.get("/regions/suggest/?q=" + "%00" * 3 + "x" * 500)
    assert bad.status < 500

    page.goto("/search/")
    region = page.locator("form.search-form input[name=region]")
    region.click()
    region.press_sequentially("保定", delay=30)
    options = page.locator("datalist#region-options option")
    options.first.wait_for(state="attached")
    values = options.evaluate_all("els => els.map(e => e.value)")
    assert values[0] == "河北省保定市"
    assert all("保定" in v for v in values)


def test_facets_drill_down_province_city_county_with_chips(page, archive):
    laiyuan = archive["laiyuan"]
    page.goto("/search/?q=" + quote("出庭应诉"))
    assert count(page) == 6
    provinces = page.locator("aside.facets ul.facet-region li a")
    assert "河北省" in provinces.all_inner_texts()

    def facet_count(name: str) -> str:
        link = page.locator("aside.facets ul.facet-region li", has=page.locator("a", has_text=name))
        return link.locator(".count").inner_text()

    assert facet_count("广东省") == "1"
    page.locator("aside.facets ul.facet-region a", has_text="广东省").click()
    page.wait_for_url(lambda url: params_of(url).get("region") == "广东省")
    assert count(page) == 1
    # One level down: the cities of 广东省 that have matches, then below the city.
    assert page.locator("aside.facets ul.facet-region li a").all_inner_texts() == ["中山市"]
    page.locator("aside.facets ul.facet-region a", has_text="中山市").click()
    page.wait_for_url(lambda url: params_of(url).get("region") == "广东省中山市")
    assert page.locator("aside.facets ul.facet-region li a").all_inner_texts() == ["港口镇"]
    trail = page.locator("aside.facets .facet-trail").inner_text()
    assert "全部" in trail and "广东省" in trail and "中山市" in trail
    # The chip shows the path; its × removes the region filter and keeps the query.
    chip = page.locator("ul.chips li.chip-region")
    assert "广东省" in chip.inner_text() and "中山市" in chip.inner_text()
    chip.locator("a.chip-remove").click()
    page.wait_for_url(lambda url: "region" not in params_of(url))
    assert params(page)["q"] == "出庭应诉" and count(page) == 6

    # 保定 down to 涞源县: counts add up at every level.
    page.goto("/search/?q=" + quote("出庭应诉") + "&region=" + quote("河北"))
    assert count(page) == 1 and result_ids(page) == {laiyuan.pk}
    assert page.locator("aside.facets ul.facet-region li a").all_inner_texts() == ["保定市"]
    page.locator("aside.facets ul.facet-region a", has_text="保定市").click()
    page.wait_for_url(lambda url: params_of(url).get("region") == "河北省保定市")
    assert page.locator("aside.facets ul.facet-region li a").all_inner_texts() == ["涞源县"]
    assert facet_count("涞源县") == "1"


def params_of(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_level_facet_items_are_links_with_a_removable_chip(page, archive):
    page.goto("/search/?q=" + quote("出庭应诉"))
    levels = page.locator("aside.facets ul.facet-level li")
    labels = levels.locator("a").all_inner_texts()
    assert labels and len(labels) == levels.count()  # every item is a link
    county = page.locator("aside.facets ul.facet-level li", has=page.locator("a", has_text="县级"))
    n = int(county.locator(".count").inner_text())
    county.locator("a").click()
    page.wait_for_url(lambda url: params_of(url).get("level") == "3")
    assert count(page) == n
    assert "县级" in page.locator("ul.chips li.chip-level").inner_text()
    assert page.locator("aside.facets ul.facet-level li.active").inner_text().startswith("县级")
    page.locator("ul.chips li.chip-level a.chip-remove").click()
    page.wait_for_url(lambda url: "level" not in params_of(url))
    assert count(page) == 6


def test_phrase_found_only_in_a_heading_is_marked(page, archive):
    phrase = "增强对行政权力的制约和监督"  # 004 § 6 heading; not in any section's text
    page.goto("/search/?q=" + quote(f'"{phrase}"'))
    assert result_ids(page) == {archive["004"].pk}
    link = page.locator("article.result a.section-link").first
    assert link.locator("mark").all_inner_texts() == [phrase]
    link.click()
    page.wait_for_url("**/s/**")
    assert phrase in "".join(page.locator("mark").all_inner_texts())
