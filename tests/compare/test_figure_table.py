"""One indicator across bodies × years: stated, computed and corrected cells; page, CSV, API."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import QueryDict

from compare import figure_table, services
from compare.models import CorrectionAction, Indicator
from tests.compare.test_views import make_region, make_report
from tests.reports.conftest import seed_reports  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds_with_figures(seed_reports):  # noqa: F811
    for report in seed_reports.values():
        services.indicators_refresh(report=report)
    return seed_reports


@pytest.fixture
def counties():
    province = make_region("某省")
    city = make_region("某市", province)
    jia, yi = make_region("甲县", city), make_region("乙县", city)
    other = make_region("丙县", make_region("他市", make_region("他省")))
    reports = {
        # Hand-coded: stated 10% and parts 5/50 agree; 2/40 computed (5%); stated 8% against
        # parts 4/20 (20%) is a mismatch; 乙县 2021 states nothing on litigation.
        ("甲县", 2021): make_report("甲县2021年法治政府建设年度报告", [
            ("行政应诉", "全县一审行政诉讼案件50件，败诉5件，败诉率10%。", "litigation")], region=jia, year=2021),
        ("甲县", 2022): make_report("甲县2022年法治政府建设年度报告", [
            ("行政应诉", "全县一审行政诉讼案件40件，败诉2件。", "litigation")], region=jia, year=2022),
        ("乙县", 2021): make_report("乙县2021年法治政府建设年度报告", [
            ("普法", "开展普法活动12场。", "other")], region=yi, year=2021),
        ("乙县", 2022): make_report("乙縣2022年法治政府建設年度報告", [
            ("行政應訴", "行政訴訟案件共20件，敗訴4件，敗訴率8%。", "litigation")], region=yi, year=2022,
            script="traditional"),
        ("丙县", 2022): make_report("丙县2022年法治政府建设年度报告", [
            ("行政应诉", "一审行政诉讼案件10件，败诉1件。", "litigation")], region=other, year=2022),
    }
    return province, reports


def _table(**query):
    q = QueryDict(mutable=True)
    q.update(query)
    return figure_table.cross_table(figure_table.params_from_querydict(q))


def _cells(table):
    return {(row.label, c.year): (c.display, c.source, c.mismatch) for row in table.rows for c in row.cells if c}


def test_loss_rate_stated_computed_and_checked(counties):
    province, _ = counties
    table = _table(indicator="admin_litigation_loss_rate", region=str(province.pk))
    assert table.years == [2021, 2022]
    assert _cells(table) == {
        ("某省某市甲县", 2021): ("10", "stated", False),
        ("某省某市甲县", 2022): ("5", "computed", False),
        ("某省某市乙县", 2022): ("8", "stated", True),
    }
    [mismatch] = table.mismatches
    assert mismatch.computed == 20.0 and "行政诉讼败诉案件 4 / 行政诉讼（应诉）案件 20" == mismatch.formula
    computed = next(c for r in table.rows for c in r.cells if c and c.source == "computed")
    assert computed.formula == "行政诉讼败诉案件 2 / 一审行政诉讼案件 40"
    assert [label for label, _ in table.charts] == ["某省某市甲县"]  # two years only there


def test_whole_archive_and_counts(counties):
    table = _table(indicator="admin_litigation_first_instance")
    assert _cells(table) == {
        ("他省他市丙县", 2022): ("10", "stated", False),
        ("某省某市甲县", 2021): ("50", "stated", False),
        ("某省某市甲县", 2022): ("40", "stated", False),
    }
    # An explicit range shows every year of it, empty or not.
    assert _table(indicator="admin_litigation_first_instance", **{"from": "2020", "to": "2022"}).years == \
        [2020, 2021, 2022]


def test_a_correction_is_shown_as_such(counties):
    _, reports = counties
    figure = Indicator.objects.get(report=reports[("甲县", 2021)], key="admin_litigation_lost")
    services.figure_correct(indicator=figure, action=CorrectionAction.CORRECT, value=6, note="原文笔误")
    table = _table(indicator="admin_litigation_lost", region="某省")
    assert _cells(table)[("某省某市甲县", 2021)] == ("6", "corrected", False)


def test_bad_input_is_explained_not_fatal(counties, client):
    params = figure_table.params_from_querydict(QueryDict("indicator=nope&from=20x1&to=1800&region=不存在的地方"))
    assert params.key == figure_table.DEFAULT_KEY and params.first is None and params.last is None
    assert len(params.warnings) == 4
    page = client.get("/compare/figures/", {"indicator": "nope", "from": "abc", "region": "不存在的地方"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "指标无效" in html and "起始年份" in html and "本库没有与" in html


def test_page_csv_and_api(counties, client):
    province, reports = counties
    query = {"indicator": "admin_litigation_loss_rate", "region": str(province.pk)}
    html = client.get("/compare/figures/", query).content.decode()
    assert "某省某市甲县" in html and "他省" not in html.split("<table")[1]
    assert "5*" in html and "8 ≠ 20.0" in html and "1 处比率与分子分母不符" in html
    assert 'class="coverage-scroll"' in html and "chart-legend" in html and "<svg" in html

    response = client.get("/compare/figures/table.csv", query)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["body"], r["year"], r["value"], r["source"], r["mismatch"]) for r in rows] == [
        ("某省某市甲县", "2021", "10", "stated", "0"),
        ("某省某市甲县", "2022", "5", "computed", "0"),
        ("某省某市乙县", "2022", "8", "stated", "1"),
    ]
    assert rows[2]["report_id"] == str(reports[("乙县", 2022)].pk) and "敗訴率8%" in rows[2]["sentence"]
    assert rows[0]["section_url"].startswith("http://")

    data = client.get("/api/figures/", query).json()
    assert data["indicator"] == "admin_litigation_loss_rate" and data["unit"] == "%"
    assert data["years"] == [2021, 2022] and data["region"] == "某省"
    assert [(c["value"], c["computed"], c["mismatch"]) for c in data["cells"]] == [
        (10.0, 10.0, False), (5.0, None, False), (8.0, 20.0, True)]
    schema = client.get("/api/schema/").content.decode()
    assert "/api/figures/" in schema


def test_compare_page_shows_computed_rates(client, seeds_with_figures):
    a, b = seeds_with_figures["000"], seeds_with_figures["002"]
    html = client.get(f"/compare/?reports={a.pk},{b.pk}").content.decode()
    row = html.split('data-key="admin_litigation_loss_rate"')[1].split("</tr>")[0]
    # Seed 000 states 27 cases and 9 lost, no rate: 33.3% computed; seed 002 states no loss.
    assert "33.3%*" in row and "行政诉讼败诉案件 9 / 行政诉讼（应诉）案件 27" in row
    head = html.split('data-key="head_appearance_rate"')[1].split("</tr>")[0]
    assert "40.7%" in head and "≠" not in head  # 11/27 = 40.74 agrees with the stated 40.7


def test_indicators_api_marks_corrections(client, seeds_with_figures):
    report = seeds_with_figures["000"]
    figure = Indicator.objects.get(report=report, key="admin_litigation_lost")
    services.figure_correct(indicator=figure, action=CorrectionAction.CORRECT, value=8, note="复核")
    data = client.get(f"/api/reports/{report.pk}/indicators/").json()
    lost = next(d for d in data if d["key"] == "admin_litigation_lost")
    assert lost["value"] == 8 and lost["corrected"] is True
    assert all(d["corrected"] is False for d in data if d["key"] != "admin_litigation_lost")
