"""The compare pages: topic grid, diffs and copy flags, figures, CSV, keyword grid, selection."""

from __future__ import annotations

import csv
import io
import itertools
from html.parser import HTMLParser

import pytest

from compare import charts, grid, selection
from compare.models import Indicator
from compare.services import indicators_refresh
from compare.topics import TOPICS
from tests.reports.conftest import seed_reports  # noqa: F401  (fixture)

_counter = itertools.count(1)

# A paragraph long enough for copy detection (likely_copies ignores short boilerplate).
REVIEW_2020 = (
    "全面推进行政复议体制改革，畅通行政复议渠道，坚持依法受理、公正审理。2020年全市受理行政复议案件80件，"
    "审结67件，纠错率达到12%，有效发挥了行政复议化解行政争议的主渠道作用。同时认真落实行政复议决定书网上公开制度，"
    "接受社会监督，不断提升行政复议公信力。"
)
REVIEW_2021 = (
    "深化行政复议体制改革，畅通行政复议渠道，坚持依法受理、公正审理。2021年全市受理行政复议案件95件，"
    "审结90件，纠错率达到10%，有效发挥了行政复议化解行政争议的主渠道作用。同时认真落实行政复议决定书网上公开制度，"
    "主动接受社会监督，不断提升行政复议公信力。"
)
ENFORCEMENT = "严格规范公正文明执法，全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。"


def make_region(name, parent=None):
    from reports.models import Region, RegionLevel

    level = RegionLevel.PROVINCE if parent is None else min(parent.level + 1, RegionLevel.TOWN)
    region = Region.objects.create(name=name, level=level, parent=parent)
    region.refresh_from_db()
    return region


def make_report(title, sections, *, region=None, year=2021, script="simplified", refresh=True):
    """sections: [(heading, text, topic)], saved as level-1 sections in order."""
    from reports.models import Report, Section

    n = next(_counter)
    report = Report.objects.create(
        title=title,
        region=region,
        year=year,
        script=script,
        kind="fazhi",
        original_text=title + "\n" + "\n".join(h + "\n" + t for h, t, _ in sections),
        checksum=f"cmp-{n:060d}",
    )
    for i, (heading, text, topic) in enumerate(sections, start=1):
        Section.objects.create(
            report=report,
            level=1,
            number=f"{i}、",
            path=str(i),
            heading=heading,
            text=text,
            order=i,
            topic=topic,
        )
    if refresh:
        indicators_refresh(report=report)
    return report


@pytest.fixture
def seeds(seed_reports):  # noqa: F811
    for report in seed_reports.values():
        indicators_refresh(report=report)
    return seed_reports


@pytest.fixture
def pair_and_copy(db):
    """One city in 2020 and 2021 (same jurisdiction), and another city copying its text."""
    province = make_region("测试省")
    city = make_region("甲市", province)
    other = make_region("乙市", province)
    old = make_report(
        "甲市2020年法治政府建设年度报告",
        [
            ("一、加强行政复议工作", REVIEW_2020, "dispute_resolution"),
            ("二、严格规范执法", ENFORCEMENT, "law_enforcement"),
        ],
        region=city,
        year=2020,
    )
    new = make_report(
        "甲市2021年法治政府建设年度报告",
        [
            ("一、深化行政复议工作", REVIEW_2021, "dispute_resolution"),
            ("二、严格规范执法", ENFORCEMENT, "law_enforcement"),
        ],
        region=city,
        year=2021,
    )
    copy = make_report(
        "乙市2020年法治政府建设年度报告",
        [
            ("一、行政复议", REVIEW_2020.replace("2020", "2019").replace("80", "33"), "dispute_resolution"),
        ],
        region=other,
        year=2020,
    )
    return old, new, copy


def _url(*reports, **extra):
    from urllib.parse import urlencode

    query = {"reports": ",".join(str(r.pk) for r in reports), **extra}
    return "/compare/?" + urlencode(query)


class _Collector(HTMLParser):
    """Elements with a class, their text, and all attribute names: enough to check structure."""

    def __init__(self):
        super().__init__()
        self.classes: list[tuple[str, dict]] = []
        self.attr_names: set[str] = set()
        self.row_ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.attr_names.update(attrs)
        for cls in (attrs.get("class") or "").split():
            self.classes.append((cls, attrs))
        if tag == "tr" and (attrs.get("id") or "").startswith("topic-"):
            self.row_ids.append(attrs["id"][len("topic-") :])


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


# ---------------------------------------------------------------------------
# Topic grid on the seeds
# ---------------------------------------------------------------------------


def test_topic_grid_on_seeds(client, seeds):
    a, b = seeds["000"], seeds["003"]
    response = client.get(_url(a, b))
    assert response.status_code == 200
    html = response.content.decode()
    doc = parse(html)
    columns = [attrs.get("data-report") for cls, attrs in doc.classes if cls == "report-col"]
    assert columns == [str(a.pk), str(b.pk)]
    # One row per topic, in TOPICS order.
    assert doc.row_ids == [t.key for t in TOPICS]
    # Seed 003 has no 下一步 chapter: its cell says so.
    comparison = grid.build_comparison([a, b])
    next_steps = next(r for r in comparison.rows if r.key == "next_steps")
    assert next_steps.cells[0].views and not next_steps.cells[1].views
    assert "本报告未涉及" in html
    # Every section of both reports appears exactly once in the grid.
    for i, report in enumerate((a, b)):
        ids = [v.section.pk for row in comparison.rows for v in row.cells[i].views]
        assert sorted(ids) == sorted(report.sections.values_list("pk", flat=True))
    # Jurisdiction, year and script head each column.
    assert a.jurisdiction_name in html and "2020" in html and "简体" in html


def test_figure_table_links_values_to_their_sections(client, seeds):
    a, b = seeds["000"], seeds["002"]
    html = client.get(_url(a, b)).content.decode()
    for report, key, shown in (
        (a, "admin_litigation_cases", "27件"),
        (a, "head_appearance_rate", "40.7%"),
        (b, "admin_litigation_cases", "67件"),
        (b, "head_appearance_rate", "100%"),
    ):
        indicator = Indicator.objects.filter(report=report, key=key).select_related("section").first()
        link = f'<a href="{indicator.section.get_absolute_url()}" title="{indicator.sentence}">{shown}</a>'
        assert link in html, (key, shown)
    assert 'class="footnotes"' in html
    assert "行政机关负责人出庭应诉率" in html


def test_script_switch_converts_traditional_columns_only(client, seeds):
    from reports.script import to_simplified

    trad, simp = seeds["001"], seeds["000"]
    section = next(s for s in trad.sections.all() if to_simplified(s.heading) != s.heading)
    original = client.get(_url(trad, simp)).content.decode()
    assert section.heading in original
    assert 'lang="zh-Hant"' in original
    converted = client.get(_url(trad, simp, script="simplified")).content.decode()
    assert to_simplified(section.heading) in converted
    assert section.heading not in converted
    assert 'lang="zh-Hant"' not in converted


@pytest.mark.parametrize(
    "value",
    [
        "",
        " ",
        "1",
        "abc",
        "1,abc",
        "-1,2",
        "0,1",
        "1.5,2",
        "１,２",
        "1,1",
        "1,2,3,4,5,6,7",
        "9" * 30 + ",1",
        "1" * 300,
        "1,%00",
        "<script>,1",
    ],
)
def test_bad_reports_values_give_a_clear_message(client, db, value):
    make_report("甲", [("一、概述", "内容", "overview")], refresh=False)
    response = client.get("/compare/", {"reports": value})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="compare-error"' in html
    assert "<script>," not in html


def test_unknown_report_ids_are_named(client, db):
    report = make_report("甲", [("一、概述", "内容", "overview")], refresh=False)
    response = client.get("/compare/", {"reports": f"{report.pk},999999"})
    assert response.status_code == 400
    assert "999999" in response.content.decode()


def test_report_text_is_escaped(client, db):
    evil = make_report(
        "<i>标题</i>",
        [
            (
                "一、<b>加强</b>行政复议",
                '<script>alert("x")</script>行政复议<img src=x onerror=alert(1)>',
                "dispute_resolution",
            ),
        ],
        refresh=False,
    )
    plain = make_report("乙", [("一、行政复议", "行政复议工作。", "dispute_resolution")], refresh=False)
    response = client.get(_url(evil, plain))
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "<script>" not in html
        and "<img src=x" not in html
        and "<b>加强" not in html
        and "<i>标题" not in html
    )
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;加强&lt;/b&gt;" in html
    # The Content-Security-Policy forbids inline styles and scripts: the page uses none.
    assert "style" not in parse(html).attr_names
    assert "<script" not in html


# ---------------------------------------------------------------------------
# Same jurisdiction: aligned diffs; other jurisdictions: copy flags; charts
# ---------------------------------------------------------------------------


def test_same_jurisdiction_is_diffed_and_other_copies_are_flagged(client, pair_and_copy):
    old, new, copy = pair_and_copy
    comparison = grid.build_comparison([new, old, copy])
    # One year comparison, oldest first, every section aligned.
    [years] = comparison.year_comparisons
    assert (years.old, years.new) == (old, new)
    assert years.aligned == 2
    review = next(p for p in years.pairs if p.old.section.path == "1")
    assert review.new.section.path == "1"
    assert 0.5 < review.score < 1
    assert "".join(op.text for op in review.ops if op.kind != "insert") == REVIEW_2020
    assert "".join(op.text for op in review.ops if op.kind != "delete") == REVIEW_2021
    unchanged = next(p for p in years.pairs if p.old.section.path == "2")
    assert unchanged.identical and unchanged.score == 1.0
    # The copy is flagged against both reports of 甲市 (text equal but for the figures) ...
    flagged = {(f.left_report.pk, f.right_report.pk) for f in comparison.copies}
    assert flagged == {(old.pk, copy.pk), (new.pk, copy.pk)}
    best = comparison.copies[0]
    assert best.left_report == old and best.score >= 0.95
    # ... and never between the two years of one jurisdiction.
    assert (old.pk, new.pk) not in flagged and (new.pk, old.pk) not in flagged

    html = client.get(_url(new, old, copy)).content.decode()
    assert 'id="year-diffs"' in html and 'id="copies"' in html
    assert "<ins>" in html and "<del>" in html
    assert f'id="{review.anchor}"' in html and f'href="#{review.anchor}"' in html
    assert f"相似度 {review.percent}%" in html
    assert "疑似横向移植" in html and f'id="{best.anchor}"' in html


def test_different_jurisdictions_only_get_no_diff(client, pair_and_copy):
    old, _new, copy = pair_and_copy
    comparison = grid.build_comparison([old, copy])
    assert comparison.year_comparisons == []
    assert len(comparison.copies) == 1
    html = client.get(_url(old, copy)).content.decode()
    assert 'id="year-diffs"' not in html


def test_chart_for_one_jurisdiction_over_years(client, pair_and_copy):
    old, new, _copy = pair_and_copy
    comparison = grid.build_comparison([old, new])
    [group] = comparison.chart_groups
    chart = next(c for c in group.charts if c.key == "admin_review_accepted")
    assert [(p.year, p.value) for p in chart.points] == [(2020, 80.0), (2021, 95.0)]
    html = client.get(_url(old, new)).content.decode()
    assert "<svg" in html and "<polyline" in html
    assert "2020年 80件；2021年 95件" in html  # readable text alternative
    assert "<script" not in html and "style" not in parse(html).attr_names


def test_chart_geometry():
    assert charts.line_chart("k", "t", "件", [(2020, 5, "", "")]) is None
    chart = charts.line_chart(
        "k", "t", "%", [(2021, 100, "/b", "b"), (2020, 40.7, "/a", "a"), (2021, 1, "", "")]
    )
    assert [p.year for p in chart.points] == [2020, 2021]
    assert chart.points[1].value == 100  # first value of a year wins
    assert chart.left < chart.points[0].x < chart.points[1].x < chart.right
    assert chart.points[1].y == chart.top  # 100% is the top of a percentage axis
    assert chart.y_ticks[0].label == "0" and chart.y_ticks[-1].label == "100"
    assert charts.nice_step(95) == 50 or charts.nice_step(95) == 20


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def test_figures_csv(client, seeds):
    a, b = seeds["000"], seeds["002"]
    response = client.get("/compare/figures.csv", {"reports": f"{a.pk},{b.pk}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    assert header[:4] == ["报告编号", "报告标题", "地区", "年度"]
    assert len(data) == Indicator.objects.filter(report__in=[a, b]).count()
    got = {(int(r[0]), r[4], r[6], r[7]) for r in data}
    assert {
        (a.pk, "admin_litigation_cases", "27", "件"),
        (a.pk, "admin_litigation_lost", "9", "件"),
        (a.pk, "head_appearance_rate", "40.7", "%"),
        (b.pk, "admin_litigation_cases", "67", "件"),
        (b.pk, "head_appearance_rate", "100", "%"),
    } <= got
    row = next(r for r in data if int(r[0]) == a.pk and r[4] == "head_appearance_rate")
    indicator = Indicator.objects.get(report=a, key="head_appearance_rate")
    assert row[10] == indicator.sentence
    assert row[9] == "http://testserver" + indicator.section.get_absolute_url()
    # Report order follows the URL.
    assert [int(r[0]) for r in data] == sorted((int(r[0]) for r in data), key=lambda pk: pk != a.pk)


def test_figures_csv_bad_reports(client, db):
    response = client.get("/compare/figures.csv", {"reports": "1"})
    assert response.status_code == 400


# ---------------------------------------------------------------------------
# Selection (signed cookie, no server session) and the buttons on other pages
# ---------------------------------------------------------------------------


def _listed(client) -> list[int]:
    """The reader's list as the next request will read it from the client's cookie."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    morsel = client.cookies.get(selection.COOKIE_NAME)
    request.COOKIES = {selection.COOKIE_NAME: morsel.value} if morsel is not None else {}
    return selection.get_selection(selection.store(request))


def _add(client, report, action="add", next_url="/reports/"):
    return client.post("/compare/selection/", {"report": report.pk, "action": action, "next": next_url})


def test_selection_add_remove_clear(client, db):
    reports = [make_report(f"报告{i}", [("一、概述", "内容", "overview")], refresh=False) for i in range(7)]
    response = _add(client, reports[0], next_url="/reports/?year=2021")
    assert response.status_code == 302 and response["Location"] == "/reports/?year=2021"
    for report in reports[1:6]:
        _add(client, report)
    assert _listed(client) == [r.pk for r in reports[:6]]
    # A seventh is refused with a message; the list stays as it was.
    page = client.post("/compare/selection/", {"report": reports[6].pk, "next": "/reports/"}, follow=True)
    assert "最多 6 份" in page.content.decode()
    assert len(_listed(client)) == 6
    _add(client, reports[0], action="remove")
    assert reports[0].pk not in _listed(client)
    client.post("/compare/selection/", {"action": "clear", "next": "/"})
    assert _listed(client) == []


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""])
def test_selection_redirect_stays_on_site(client, db, next_url):
    report = make_report("甲", [("一、概述", "内容", "overview")], refresh=False)
    response = _add(client, report, next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == "/compare/"


def test_selection_needs_post_and_csrf(db):
    from django.test import Client

    report = make_report("甲", [("一、概述", "内容", "overview")], refresh=False)
    client = Client(enforce_csrf_checks=True)
    assert client.get("/compare/selection/").status_code == 405
    assert client.post("/compare/selection/", {"report": report.pk}).status_code == 403


@pytest.mark.parametrize("value", ["", "abc", "999999", "1" * 40])
def test_selection_bad_ids(client, db, value):
    response = client.post("/compare/selection/", {"report": value, "next": "/"}, follow=True)
    assert response.status_code == 200
    assert _listed(client) == []


def test_buttons_and_selection_bar(client, seeds):
    a, b = seeds["000"], seeds["002"]
    listing = client.get("/reports/").content.decode()
    assert listing.count('name="csrfmiddlewaretoken"') >= 5 and "加入对比" in listing
    assert 'id="compare-bar"' not in listing
    detail = client.get(a.get_absolute_url()).content.decode()
    assert "加入对比" in detail
    _add(client, a)
    _add(client, b)
    detail = client.get(a.get_absolute_url()).content.decode()
    assert 'id="compare-bar"' in detail and "移出对比" in detail
    assert f'href="/compare/?reports={a.pk},{b.pk}"' in detail
    start = client.get("/compare/").content.decode()
    assert a.title in start and b.title in start


def test_selection_drops_deleted_reports(client, db):
    a = make_report("甲", [("一、概述", "内容", "overview")], refresh=False)
    b = make_report("乙", [("一、概述", "内容", "overview")], refresh=False)
    _add(client, a)
    _add(client, b)
    b.delete()
    assert client.get("/compare/").status_code == 200
    assert _listed(client) == [a.pk]


def test_report_page_shows_topic_labels(client, seeds):
    from compare.topics import TOPIC_BY_KEY

    report = seeds["002"]
    html = client.get(report.get_absolute_url()).content.decode()
    doc = parse(html)
    labels = [cls for cls, _ in doc.classes if cls == "topic-label"]
    assert len(labels) == report.sections.count()
    for key in set(report.sections.values_list("topic", flat=True)):
        assert f'<span class="topic-label" title="主题">{TOPIC_BY_KEY[key].label}</span>' in html


def test_start_page(client, db):
    response = client.get("/compare/")
    assert response.status_code == 200
    assert "对比栏还是空的" in response.content.decode()
