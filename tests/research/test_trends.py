"""Term trends: counts per year × level/province against hand counts of the seeds."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from search.analysis import fold

# Hand counts (grep of fixtures/seeds, both scripts): report year, level, sections mentioning 行政复议.
#   000 石嘴山市 (地级) 2020: 3 · 001 苏州工业园区 (县级) 2019: 2 (行政複議) · 002 杏花岭区 (县级) 2023: 3
#   004 港口镇 (乡级) 2021: 2 · 003 平顶山 (县级) 2019: none.
HAND_XZFY = {("县级", 2019): (1, 2), ("地级", 2020): (1, 3), ("乡级", 2021): (1, 2), ("县级", 2023): (1, 3)}
# 出庭应诉 is in all five (001 as 出庭應訴): two county-level reports in 2019.
HAND_CTYS_REPORTS = {("县级", 2019): 2, ("地级", 2020): 1, ("乡级", 2021): 1, ("县级", 2023): 1}


def _points(trend):
    return {(p["group"], p["year"]): (p["reports"], p["sections"]) for p in trend["points"] if p["reports"]}


def test_trend_counts_by_level_match_hand_counts(client, seeds):
    data = client.get("/api/trends/", {"terms": "行政复议,出庭应诉", "by": "level"}).json()
    assert data["terms"] == ["行政复议", "出庭应诉"] and data["method"] == "search-index"
    xzfy, ctys = data["trends"]
    assert _points(xzfy) == HAND_XZFY
    assert xzfy["total_reports"] == 4 and xzfy["total_sections"] == 10
    assert xzfy["years"] == [2019, 2020, 2021, 2022, 2023]  # the gap year is there, with zeros
    assert {t["year"]: t["reports"] for t in xzfy["totals"]} == {2019: 1, 2020: 1, 2021: 1, 2022: 0, 2023: 1}
    assert {k: v[0] for k, v in _points(ctys).items()} == HAND_CTYS_REPORTS
    # Section counts equal a brute-force folded-substring count (script-blind).
    expected_sections = {}
    for report in seeds.values():
        n = sum(1 for s in report.sections.all() if fold("出庭应诉") in fold(s.heading + "\n" + s.text))
        level = {2: "地级", 3: "县级", 4: "乡级"}[report.region.level]
        key = (level, report.year)
        expected_sections[key] = expected_sections.get(key, 0) + n
    assert {k: v[1] for k, v in _points(ctys).items()} == expected_sections


def test_points_link_to_the_matching_search(client, seeds):
    data = client.get("/api/trends/", {"terms": "行政复议", "by": "province"}).json()
    (trend,) = data["trends"]
    points = {(p["group"], p["year"]): p for p in trend["points"] if p["reports"]}
    assert set(points) == {("江苏省", 2019), ("宁夏回族自治区", 2020), ("广东省", 2021), ("山西省", 2023)}
    js = points[("江苏省", 2019)]
    province = seeds["001"].region.at_level(1)
    assert (
        js["search_url"] == f"/search/?q=%E8%A1%8C%E6%94%BF%E5%A4%8D%E8%AE%AE&year=2019&region={province.pk}"
    )
    # Following the link finds exactly the counted reports.
    search = client.get("/api/search/?" + js["search_url"].split("?", 1)[1]).json()
    assert search["count"] == js["reports"] == 1


def test_shares_divide_by_the_reports_held(client, seeds):
    """Held per year (seeds): 2019 two county reports (001, 003), 2020 one city (000), 2021 one
    town (004), 2023 one county (002); 2022 none.  行政复议 is in 001 but not 003."""
    data = client.get("/api/trends/", {"terms": "行政复议", "by": "level"}).json()
    (trend,) = data["trends"]
    totals = {t["year"]: (t["reports"], t["held"], t["share"]) for t in trend["totals"]}
    assert totals == {2019: (1, 2, 0.5), 2020: (1, 1, 1.0), 2021: (1, 1, 1.0), 2022: (0, 0, None), 2023: (1, 1, 1.0)}
    points = {(p["group"], p["year"]): (p["reports"], p["held"]) for p in trend["points"] if p["held"]}
    assert points == {("县级", 2019): (1, 2), ("地级", 2020): (1, 1), ("乡级", 2021): (1, 1), ("县级", 2023): (1, 1)}
    # The held counts are the archive's own: the same filters on the report list.
    from reports.models import Report

    assert Report.objects.filter(year=2019).count() == 2
    # A level point links to that level's matches only.
    county = next(p for p in trend["points"] if (p["group"], p["year"]) == ("县级", 2019))
    assert "level=3" in county["search_url"]
    search = client.get("/api/search/?" + county["search_url"].split("?", 1)[1]).json()
    assert search["count"] == county["reports"] == 1


def test_share_rises_when_fewer_reports_are_held(client, seeds):
    """Same mentions, fewer reports held: the share goes up, the count does not move."""
    before = client.get("/api/trends/", {"terms": "行政复议"}).json()["trends"][0]
    seeds["003"].delete()  # the 2019 report without the term
    after = client.get("/api/trends/", {"terms": "行政复议"}).json()["trends"][0]
    b2019 = next(t for t in before["totals"] if t["year"] == 2019)
    a2019 = next(t for t in after["totals"] if t["year"] == 2019)
    assert (b2019["reports"], b2019["share"]) == (1, 0.5)
    assert (a2019["reports"], a2019["share"]) == (1, 1.0)


def test_traditional_term_counts_simplified_text(client, seeds):
    data = client.get("/api/trends/", {"terms": "行政複議"}).json()
    assert data["trends"][0]["total_reports"] == 4


def test_filters_region_and_years(client, seeds):
    data = client.get(
        "/api/trends/", {"terms": "出庭应诉", "region": "江苏省", "year_from": "2018", "year_to": "2020"}
    ).json()
    (trend,) = data["trends"]
    assert trend["years"] == [2018, 2019, 2020]
    assert _points(trend) == {("县级", 2019): (1, trend["totals"][1]["sections"])}


def test_trend_page_renders_svg_and_table(client, seeds):
    response = client.get("/trends/", {"terms": "行政复议，出庭应诉", "by": "level"})
    assert response.status_code == 200
    html = response.content.decode()
    # The chart needs no script: the only one is the region typeahead's static file.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/site.js" defer>'] and 'style="' not in html
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == 2
    root = ET.fromstring(svgs[0])
    ns = "{http://www.w3.org/2000/svg}"
    links = [a.get("href") for a in root.iter(f"{ns}a")]
    assert "/search/?q=%E8%A1%8C%E6%94%BF%E5%A4%8D%E8%AE%AE&amp;year=2019" not in links
    assert "/search/?q=%E8%A1%8C%E6%94%BF%E5%A4%8D%E8%AE%AE&year=2019" in links
    # One bar per year with a share (2022 holds no report: no bar), one point per group × year held.
    assert len(list(root.iter(f"{ns}rect"))) == 4
    titles = [t.text for t in root.iter(f"{ns}title")]
    assert "2019 年 · 县级：1 / 2 份报告（50%）" in titles and "2019 年 · 全部：1 / 2 份报告（50%）" in titles
    assert '<table class="trend-table sticky-first">' in html and "县级" in html
    assert 'href="/search/?q=%E8%A1%8C%E6%94%BF%E5%A4%8D%E8%AE%AE&amp;year=2023"' in html


def test_trend_page_without_terms_and_with_bad_input(client, seeds):
    assert "请输入一个或多个检索词" in client.get("/trends/").content.decode()
    response = client.get("/trends/", {"terms": "a,b,c,d,e,f,g", "by": "nonsense", "year_from": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "最多比较 5 个词" in html and "分组方式" in html
    data = client.get("/api/trends/", {"terms": "<b>\"', NOT"}).json()
    assert all(t["total_reports"] == 0 for t in data["trends"])


def test_trend_term_is_escaped(client, seeds):
    html = client.get("/trends/", {"terms": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_share_chart_geometry():
    from research.share_chart import ShareValue, share_chart

    totals = {2019: ShareValue(1, 4, "/a"), 2020: ShareValue(0, 0), 2021: ShareValue(3, 3, "/b")}
    values = {"县级": {2019: ShareValue(1, 2, "/c"), 2021: ShareValue(3, 3, "/d")}, "地级": {2019: ShareValue(0, 2)}}
    chart = share_chart([2019, 2020, 2021], totals, ["县级", "地级"], values, height=300)
    # Bars: 25 % and 100 % of the plot height; nothing for the year with nothing held.
    plot = chart.plot_bottom - chart.plot_top
    assert [(b.href, round(b.height / plot, 2)) for b in chart.bars] == [("/a", 0.25), ("/b", 1.0)]
    county, city = chart.lines
    # 2020 holds nothing for 县级: the line breaks there, so no segment joins 2019 and 2021.
    assert county.segments == [] and [p.href for p in county.points] == ["/c", "/d"]
    assert county.points[0].label == "2019 年 · 县级：1 / 2 份报告（50%）"
    assert city.points[0].y == chart.plot_bottom and city.points[0].href == ""
    assert [t.label for t in chart.y_ticks][-1] == "100%"
    assert [i.label for i in chart.legend] == ["全部（柱）", "县级", "地级"]
