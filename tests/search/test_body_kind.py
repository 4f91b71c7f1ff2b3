"""Search tells government reports from department reports: a filter and a facet (hand-counted),
and the national root as one more region beside the provinces."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.urls import reverse

from reports.models import BodyKind, Region, RegionLevel
from search.service import SearchParams, params_from_querydict, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(search_index, regions, make_report, django_capture_on_commit_callbacks):
    nation = Region.objects.create(name="国务院", level=RegionLevel.NATIONAL)
    nation.refresh_from_db()

    def mk(title, text, region, body_kind=BodyKind.GOVERNMENT, body=""):
        report = make_report(title, [("一、复议", text)], region=region, index=False)
        report.body_kind, report.reporting_body = body_kind, body
        with django_capture_on_commit_callbacks(execute=True):
            report.save()
        return report

    return {
        "sz": mk("苏州市2021年报告", "行政复议体制改革。", regions["苏州市"], body="苏州市人民政府"),
        "szsfj": mk("苏州市司法局2021年报告", "行政复议应诉。", regions["苏州市"], BodyKind.DEPARTMENT, "苏州市司法局"),
        "gz": mk("广州市2021年报告", "行政复议案件。", regions["广州市"]),
        "sfb": mk("司法部2021年报告", "行政复议工作。", nation, BodyKind.DEPARTMENT, "司法部"),
        "other": mk("南京市2021年报告", "政务公开。", regions["南京市"], BodyKind.DEPARTMENT, "南京市教育局"),
        "nation": nation,
    }


def pks(page):
    return sorted(h.report.pk for h in page.results)


def test_body_kind_facet_is_hand_counted(reports):
    page = search(SearchParams(q="行政复议"))
    assert page.count == 4
    assert [(row.value, row.label, row.count) for row in page.body_kinds] == [("gov", "政府", 2), ("dept", "部门", 2)]
    assert page.facets["body_kind"] == {"政府": 2, "部门": 2}


@pytest.mark.parametrize(("body_kind", "keys"), [("dept", {"szsfj", "sfb"}), ("gov", {"sz", "gz"})])
def test_body_kind_filter(reports, body_kind, keys):
    page = search(SearchParams(q="行政复议", body_kind=body_kind))
    assert pks(page) == sorted(reports[k].pk for k in keys)
    assert [row.value for row in page.body_kinds] == [body_kind]


def test_body_kind_from_the_query_string_and_a_bad_value(reports):
    params, warnings = params_from_querydict(QueryDict("q=行政复议&body_kind=dept"))
    assert params.body_kind == "dept" and warnings == []
    params, warnings = params_from_querydict(QueryDict("q=行政复议&body_kind=ministry"))
    assert params.body_kind == "" and warnings == ["报告主体“ministry”无效，已忽略。"]


def test_national_root_is_a_facet_beside_the_provinces(reports):
    page = search(SearchParams(q="行政复议"))
    names = {row.region.name: row.count for row in page.regions}
    assert names == {"国务院": 1, "江苏省": 2, "广东省": 1}
    params, warnings = params_from_querydict(QueryDict("q=行政复议&region=中央"))
    assert warnings == [] and params.region == reports["nation"]
    assert pks(search(params)) == [reports["sfb"].pk]


def test_search_page_shows_the_facet_the_chip_and_the_body(client, reports):
    html = client.get(reverse("search:search"), {"q": "行政复议", "body_kind": "dept"}).content.decode()
    assert 'class="counts facet-body-kind"' in html
    assert "报告主体：部门" in html
    assert "苏州市司法局（部门）" in html and "司法部（部门）" in html
    assert "苏州市人民政府" not in html
