"""The national level and department reports in the database: import, region tree and lookup,
the body-kind filter of the list and the API, the migration that moves national reports."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from reports.filters import ReportFilter
from reports.models import BodyKind, Region, RegionLevel, Report
from reports.region_lookup import lookup_region
from reports.services import report_draft, report_import

pytestmark = pytest.mark.django_db

MINISTRY = ("司法部2022年法治政府建设年度报告\n2022年，司法部坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平"
            "法治思想，扎实推进法治政府建设。部党组高度重视。现将有关情况报告如下：\n一、主要举措和成效\n（一）加强党的领导。"
            "部党组召开会议研究部署法治政府建设工作，在江苏省、浙江省开展试点。\n二、存在的不足和原因\n个别领域制度建设滞后。\n")
BUREAU = ("苏州市司法局关于2023年度法治政府建设工作情况的报告\n2023年，苏州市司法局坚持以习近平新时代中国特色社会主义思想为指导，"
          "现将有关情况报告如下：\n一、主要举措和成效\n（一）加强党的领导。局党组研究部署法治政府建设，在昆山市、太仓市试点。\n"
          "二、存在的不足和原因\n基层执法力量不足。\n")
CITY = ("苏州市人民政府关于2023年度法治政府建设情况的报告\n2023年，市政府坚持以习近平法治思想为指导，现将有关情况报告如下：\n"
        "一、主要举措和成效\n（一）加强党的领导。市政府常务会议专题学法。\n二、存在的不足和原因\n执法规范化仍需加强。\n")
STATE_COUNCIL = ("各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协各位委员提出意见。\n一、2023年工作回顾\n"
                 "过去一年，国内生产总值增长5.2%。北京市、上海市、广东省经济总量稳步提升。\n二、2024年经济社会发展总体要求和政策取向\n"
                 "今年发展主要预期目标是……\n")


def imported(text: str, name: str) -> Report:
    data = text.encode("utf-8")
    return report_import(draft=report_draft(data=data, filename=name), data=data)


def test_ministry_report_lands_on_the_national_root():
    report = imported(MINISTRY, "sfb.txt")
    assert report.region.level == RegionLevel.NATIONAL and report.region.parent is None
    assert report.region.name == "国务院" and report.region.code == "100000"
    assert (report.reporting_body, report.body_kind, report.department) == ("司法部", BodyKind.DEPARTMENT, "司法部")
    assert report.jurisdiction_name == "国务院"
    assert report.body_label == "司法部（部门）"


def test_state_council_and_ministry_share_one_national_root():
    ministry = imported(MINISTRY, "sfb.txt")
    council = imported(STATE_COUNCIL, "gwr.txt")
    assert council.region == ministry.region
    assert council.kind == "gwr" and council.body_kind == BodyKind.GOVERNMENT
    assert Region.objects.national().count() == 1
    # A root beside the provinces: everything "in" 江苏省 never includes it.
    bureau = imported(BUREAU, "sfj.txt")
    province = bureau.region.ancestors()[0]
    assert set(Report.objects.in_region(province)) == {bureau}
    assert set(Region.objects.roots()) == {ministry.region, province}


def test_department_report_keeps_its_body_and_its_region():
    report = imported(BUREAU, "sfj.txt")
    assert report.region.full_name == "江苏省苏州市"
    assert (report.reporting_body, report.body_kind, report.department) == ("苏州市司法局", "dept", "司法局")


def test_filter_tells_government_reports_from_department_reports():
    bureau, city, ministry = imported(BUREAU, "a.txt"), imported(CITY, "b.txt"), imported(MINISTRY, "c.txt")
    assert set(ReportFilter({"body_kind": "dept"}, queryset=Report.objects.all()).qs) == {bureau, ministry}
    assert set(ReportFilter({"body_kind": "gov"}, queryset=Report.objects.all()).qs) == {city}
    assert not ReportFilter({"body_kind": "部门"}, queryset=Report.objects.all()).is_valid()
    assert set(Report.objects.of_body_kind("dept")) == {bureau, ministry}


@pytest.mark.parametrize("typed", ["国务院", "中央", "国家", "全国", "国家级"])
def test_region_lookup_knows_the_national_level(typed):
    national = imported(MINISTRY, "c.txt").region
    found = lookup_region(typed)
    assert found.region == national and found.message == ""


def test_list_page_has_a_body_kind_facet_and_filter(client):
    bureau, city = imported(BUREAU, "a.txt"), imported(CITY, "b.txt")
    imported(MINISTRY, "c.txt")
    page = client.get(reverse("reports:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="body_kind"' in html and "报告主体" in html
    assert page.context["by_body_kind"] == [("gov", "政府", 1), ("dept", "部门", 2)]
    # The national root is counted beside the provinces, not as 地区未定.
    roots = {region.name if region else None: n for region, n in page.context["by_province"]}
    assert roots == {"江苏省": 2, "国务院": 1}
    only = client.get(reverse("reports:list"), {"body_kind": "gov"})
    assert [r.pk for r in only.context["page"]] == [city.pk]
    assert "苏州市司法局（部门）" in client.get(reverse("reports:list"), {"body_kind": "dept"}).content.decode()
    assert bureau.pk in [r.pk for r in client.get(reverse("reports:list"), {"body_kind": "dept"}).context["page"]]
    bad = client.get(reverse("reports:list"), {"body_kind": "x"})
    assert bad.status_code == 200 and "筛选条件有误" in bad.content.decode()


def test_api_filters_by_body_kind(client):
    imported(BUREAU, "a.txt")
    imported(CITY, "b.txt")
    response = client.get("/api/reports/", {"body_kind": "dept"})
    assert response.status_code == 200
    data = response.json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [row["title"] for row in rows] == ["苏州市司法局关于2023年度法治政府建设工作情况的报告"]


def test_migration_moves_national_reports_without_region_to_the_national_root():
    migration = importlib.import_module("reports.migrations.0003_national_level")
    council = imported(STATE_COUNCIL, "gwr.txt")
    city = imported(CITY, "b.txt")
    Report.objects.filter(pk=council.pk).update(region=None, reporting_body="")
    Region.objects.filter(level=RegionLevel.NATIONAL).delete()
    migration.forwards(apps, None)
    council.refresh_from_db()
    city.refresh_from_db()
    assert council.region.level == RegionLevel.NATIONAL and council.region.tree_path == f"{council.region.pk:08d}/"
    assert council.reporting_body == "国务院"
    assert city.region.name == "苏州市"  # a report with a region is left alone
    migration.forwards(apps, None)  # running it again changes nothing
    assert Region.objects.national().count() == 1
