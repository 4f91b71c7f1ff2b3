"""search.service: filters, facets (hand-counted), sorting, region by id or name, bad input."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from reports.models import ReportKind
from search import service
from search.service import SearchParams, params_from_querydict, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(search_index, regions, make_report):
    R = regions
    mk = make_report
    return {
        "js2020": mk("江苏省2020年法治政府建设报告", [("一、复议", "行政复议工作扎实推进。")], region=R["江苏省"], year=2020),
        "sz2021": mk("苏州市2021年报告", [("一、复议", "行政复议体制改革。")], region=R["苏州市"], year=2021),
        "sip2021": mk("园区2021年报告", [("一、执法", "行政执法与行政复议衔接。")], region=R["苏州工业园区"], year=2021),
        "lf2022": mk("娄葑街道2022年报告", [("一、调解", "人民调解与行政复议。")], region=R["娄葑街道"], year=2022),
        "nj2021": mk("南京市2021年报告", [("一、公开", "政务公开。")], region=R["南京市"], year=2021,
                     kind=ReportKind.GOVERNMENT_WORK),
        "gz2021": mk("广州市2021年报告", [("一、复议", "行政复议案件。")], region=R["广州市"], year=2021),
        "th2020": mk("天河区2020年报告", [("一、公开", "政务公开和行政复议。")], region=R["天河区"], year=2020),
    }


def pks(page):
    return sorted(h.report.pk for h in page.results)


def test_query_count_and_facets_hand_counted(corpus):
    page = search(SearchParams(q="行政复议"))
    expected = {"js2020", "sz2021", "sip2021", "lf2022", "gz2021", "th2020"}
    assert page.count == 6
    assert pks(page) == sorted(corpus[k].pk for k in expected)
    assert page.facets["year"] == {2022: 1, 2021: 3, 2020: 2}
    assert page.facets["province"] == {"江苏省": 4, "广东省": 2}
    assert page.facets["level"] == {"省级": 1, "地级": 2, "县级": 2, "乡级": 1}
    assert list(page.facets["year"]) == [2022, 2021, 2020]


def test_facets_follow_filters(corpus, regions):
    page = search(SearchParams(q="行政复议", region=regions["江苏省"], year=2021))
    assert pks(page) == sorted([corpus["sz2021"].pk, corpus["sip2021"].pk])
    assert page.facets["year"] == {2021: 2}
    assert page.facets["province"] == {"江苏省": 2}
    assert page.facets["level"] == {"地级": 1, "县级": 1}


@pytest.mark.parametrize(
    "kwargs, keys",
    [
        ({"year": 2021}, {"sz2021", "sip2021", "gz2021"}),
        ({"year_from": 2021}, {"sz2021", "sip2021", "lf2022", "gz2021"}),
        ({"year_to": 2020}, {"js2020", "th2020"}),
        ({"year_from": 2021, "year_to": 2021}, {"sz2021", "sip2021", "gz2021"}),
        ({"kind": ReportKind.GOVERNMENT_WORK}, set()),
    ],
)
def test_each_filter(corpus, kwargs, keys):
    page = search(SearchParams(q="行政复议", **kwargs))
    assert pks(page) == sorted(corpus[k].pk for k in keys)
    assert page.count == len(keys)


def test_region_includes_descendants_by_id_or_name(corpus, regions):
    for value in (str(regions["苏州市"].pk), "苏州市"):
        params, warnings = params_from_querydict(QueryDict(f"q=行政复议&region={value}"))
        assert warnings == []
        page = search(params)
        assert pks(page) == sorted(corpus[k].pk for k in ("sz2021", "sip2021", "lf2022"))
    params, _ = params_from_querydict(QueryDict("region=江苏省"))
    page = search(params)  # browse mode: every report under 江苏省
    assert page.count == 5
    assert page.facets["province"] == {"江苏省": 5}


def test_browse_mode_sorted_by_year(corpus):
    page = search(SearchParams())
    assert page.count == 7 and page.error == ""
    years = [h.report.year for h in page.results]
    assert years == sorted(years, reverse=True)


def test_sort_by_year(corpus):
    asc = [h.report.year for h in search(SearchParams(q="行政复议", sort="year")).results]
    desc = [h.report.year for h in search(SearchParams(q="行政复议", sort="-year")).results]
    assert asc == sorted(asc) and desc == sorted(desc, reverse=True)
    assert asc[0] == 2020 and desc[0] == 2022


def test_pagination(corpus):
    p1 = search(SearchParams(q="行政复议", per_page=4, page=1))
    p2 = search(SearchParams(q="行政复议", per_page=4, page=2))
    assert (p1.num_pages, len(p1.results), len(p2.results)) == (2, 4, 2)
    assert not set(pks(p1)) & set(pks(p2))
    p9 = search(SearchParams(q="行政复议", per_page=4, page=9))
    assert p9.page == 2 and p9.warnings


def test_bad_params_become_warnings():
    params, warnings = params_from_querydict(
        QueryDict("year=abc&year_from=1800&kind=zzz&sort=random&page=-3&region=火星省")
    )
    assert params.year is None and params.year_from is None and params.kind == ""
    assert params.sort == "relevance" and params.page == 1 and params.region is None
    assert len(warnings) == 6


BAD_QUERIES = [
    "", " ", "x" * 10_000, "行政" * 5000, '"未闭合', "((行政复议", "行政复议))", "AND OR NOT", "NOT",
    "-", "--行政", "*", "行政*", "?复议", "\x00\x01\x1f行政\x7f", "<script>alert(1)</script>",
    "行政 OR", "OR 行政", '""', "（）", "\u3000", "\ud800", "法治政府 AND AND 复议", "-行政复议",
    "title:行政", "year:[2020 TO 2021]", "a~2", "行政^3", "🙂", "\\", "'", "。，、",
]


@pytest.mark.parametrize("q", BAD_QUERIES)
def test_bad_queries_never_raise(corpus, q):
    page = search(SearchParams(q=q))
    assert isinstance(page, service.SearchPage)
    assert page.error in ("", service.E_NOTHING)
    assert page.count == len(page.results) or len(page.results) == 20


def test_engine_errors_become_friendly_message(corpus, monkeypatch):
    from search import backends

    def boom(*a, **k):
        raise RuntimeError("index corrupt")

    monkeypatch.setattr(backends.ArchiveWhooshSearchBackend, "search_reports", boom)
    page = search(SearchParams(q="行政复议"))
    assert page.error == service.E_ENGINE and page.results == []


def test_region_drill_down_counts_and_level_filter(corpus, regions):
    page = search(SearchParams(q="行政复议"))
    assert [(r.region.name, r.count) for r in page.regions] == [("江苏省", 4), ("广东省", 2)]
    page = search(SearchParams(q="行政复议", region=regions["江苏省"]))
    assert [(r.region.name, r.count) for r in page.regions] == [("苏州市", 3)]
    assert page.regions_own == 1  # 江苏省's own report
    page = search(SearchParams(q="行政复议", region=regions["苏州市"]))
    assert [(r.region.name, r.count) for r in page.regions] == [("苏州工业园区", 2)]
    assert [(lv.level, lv.label, lv.count) for lv in page.levels] == [(2, "地级", 1), (3, "县级", 1), (4, "乡级", 1)]
    params, warnings = params_from_querydict(QueryDict("q=行政复议&level=3"))
    assert warnings == [] and params.level == 3
    assert pks(search(params)) == sorted(corpus[k].pk for k in ("sip2021", "th2020"))
    _, warnings = params_from_querydict(QueryDict("q=行政复议&level=9"))
    assert warnings == ["行政层级“9”无效，已忽略。"]


def test_national_level_is_a_root_beside_the_provinces(search_index, regions, make_report):
    from reports.models import Region, RegionLevel

    nation = Region.objects.create(name="国务院", level=RegionLevel.NATIONAL)
    nation.refresh_from_db()
    make_report("国务院2021年报告", [("一、复议", "行政复议。")], region=nation, year=2021)
    make_report("苏州市2021年报告", [("一、复议", "行政复议。")], region=regions["苏州市"], year=2021)
    page = search(SearchParams(q="行政复议"))
    assert {(r.region.name, r.count) for r in page.regions} == {("国务院", 1), ("江苏省", 1)}
    assert page.facets["level"] == {"国家级": 1, "地级": 1}
    assert [h.report.title for h in search(SearchParams(q="行政复议", level=0)).results] == ["国务院2021年报告"]
