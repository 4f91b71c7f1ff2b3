"""Coverage dashboard: region × year matrix, gaps, links to the report list."""

from __future__ import annotations

from research.coverage import coverage_matrix


def test_province_matrix(seeds):
    cov = coverage_matrix(level="province")
    assert cov.years == [2019, 2020, 2021, 2022, 2023]
    rows = {row.label: [c.count for c in row.cells] for row in cov.rows}
    assert rows == {
        "宁夏回族自治区": [0, 1, 0, 0, 0],
        "江苏省": [1, 0, 0, 0, 0],
        "山西省": [0, 0, 0, 0, 1],
        "河南省": [1, 0, 0, 0, 0],
        "广东省": [0, 0, 1, 0, 0],
    }
    assert cov.year_totals == [2, 1, 1, 0, 1]
    assert cov.undated == cov.unplaced == 0
    js = next(row for row in cov.rows if row.label == "江苏省")
    assert js.cells[0].kinds == {"fazhi": 1} and js.total == 1 and js.years_covered == 1


def test_city_matrix_and_kind_filter(seeds):
    from reports.models import Report

    cov = coverage_matrix(level="city")
    labels = {row.label: row.total for row in cov.rows}
    # 港口镇 sits directly under 中山市 (no county): still counted in its city.
    assert labels == {
        "宁夏回族自治区 · 石嘴山市": 1,
        "江苏省 · 苏州市": 1,
        "山西省 · 太原市": 1,
        "河南省 · 平顶山市": 1,
        "广东省 · 中山市": 1,
    }
    Report.objects.filter(pk=seeds["002"].pk).update(kind="gwr")
    assert sum(r.total for r in coverage_matrix(kind="gwr").rows) == 1
    assert sum(r.total for r in coverage_matrix(kind="fazhi").rows) == 4
    Report.objects.filter(pk=seeds["000"].pk).update(year=None)
    assert coverage_matrix().undated == 1


def test_coverage_page_links_cells(client, seeds):
    report = seeds["001"]
    province = report.region.at_level(1)
    response = client.get("/coverage/", {"level": "province"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/reports/?region={province.pk}&amp;year=2019"' in html
    assert html.count('class="gap"') == 5 * 5 - 5
    assert "<script" not in html and 'style="' not in html
    # The link lists exactly that region's reports of that year.
    listing = client.get(f"/reports/?region={province.pk}&year=2019").content.decode()
    assert report.title in listing
    assert client.get("/coverage/", {"level": "bogus", "kind": "bogus"}).status_code == 200


def test_default_window_leaves_out_a_few_old_years():
    from research.coverage import default_window

    # 19 reports from 2016 on, one in 1955: the window starts where nine tenths of them are.
    per_year = {1955: 1, 2016: 2, 2018: 3, 2020: 4, 2021: 5, 2022: 5}
    assert default_window(per_year) == (2016, 2022)
    assert default_window({2020: 1}) == (2020, 2020)
    assert default_window({}) is None


def test_coverage_window_from_the_years_held_and_by_choice(client, seeds):
    from reports.models import Report

    Report.objects.filter(pk=seeds["003"].pk).update(year=1955)  # one old report of five
    cov = coverage_matrix(level="province")
    assert cov.years_held == (1955, 2023) and cov.default_window
    # 4 of 5 (80%) are 2020-2023; 90% needs 1955 back in, so the window stays whole here.
    assert cov.years[0] == 1955
    Report.objects.filter(pk=seeds["003"].pk).update(year=2019)
    chosen = coverage_matrix(level="province", year_from=2021, year_to=2020)  # swapped: still a window
    assert chosen.years == [2020, 2021] and not chosen.default_window
    assert chosen.outside == 3 and sum(r.total for r in chosen.rows) == 2
    html = client.get("/coverage/", {"year_from": "2021", "year_to": "2023"}).content.decode()
    assert '<th scope="col">2020</th>' not in html and '<th scope="col">2021</th>' in html
    assert "显示全部年份" in html and "year_from=2019" in html
    bad = client.get("/coverage/", {"year_from": "abc"})
    assert bad.status_code == 200 and "起始年度“abc”无效" in bad.content.decode()
