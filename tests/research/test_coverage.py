"""Coverage with absences: expected units from the gazetteer against the reports held."""

from __future__ import annotations

import re
from hashlib import sha256
from urllib.parse import quote

from django.http import QueryDict

from reports import gazetteer
from reports.models import BodyKind, Report
from reports.services import region_from_names
from research import coverage
from research.coverage import children_of, coverage_table, params_from_querydict, resolve_scope


def table_for(**query):
    return coverage_table(params_from_querydict(QueryDict(mutable=True) | query))


def _place(*names):
    return coverage.place_for_chain(tuple(names))


def test_expected_units_come_from_the_gazetteer():
    provinces = children_of(None)
    names = {p.name for p in provinces}
    assert len(provinces) == 31 and "江苏省" in names and "香港特别行政区" not in names
    # 江苏: 13 prefecture-level cities, in division-code order (南京 320100 first).
    cities = children_of(_place("江苏省"))
    assert [p.level for p in cities] == [2] * 13 and cities[0].name == "南京市"
    # A municipality's districts hang under the province; 中山市 has towns, not counties.
    assert all(p.level == 3 for p in children_of(_place("北京市")))
    assert children_of(_place("广东省", "中山市")) and all(p.level == 4 for p in children_of(_place("广东省", "中山市")))


def test_resolve_scope_forms():
    assert resolve_scope("").place is None and resolve_scope("全国").place is None
    assert resolve_scope("苏州").place.full_name == "江苏省苏州市"
    assert resolve_scope("蘇州市").place.full_name == "江苏省苏州市"  # traditional script
    assert resolve_scope("江苏>苏州").place.full_name == "江苏省苏州市"
    assert resolve_scope("320500").place.full_name == "江苏省苏州市"
    # 鼓楼区 exists in several cities: a choice, never a silent pick.
    scope = resolve_scope("鼓楼区")
    assert scope.place is None and len(scope.candidates) >= 3 and "多个" in scope.message
    assert resolve_scope("南京>鼓楼区").place.full_name == "江苏省南京市鼓楼区"
    assert resolve_scope("不存在的地方").message.startswith("未找到")


def test_national_table_provinces_held_and_below(seeds):
    table = table_for()
    # Default years: the years the archive holds for rule-of-law reports.
    years = sorted({r.year for r in Report.objects.filter(kind="fazhi")})
    assert table.years == list(range(years[0], years[-1] + 1))
    assert len(table.counted_units) == 31
    # No seed is a province's own report: every province is missing every year ...
    assert table.held_total == 0 and table.percent == 0.0
    # ... but the seed reports show as reports below their province.
    js = next(u for u in table.units if u.names == ("江苏省",))
    assert sum(c.below for c in js.cells) == 1 and js.years_held == 0 and js.expandable


def test_city_scope_counts_only_the_bodys_own_report(seeds):
    report = seeds["000"]  # 苏州市 2018/2019
    names = tuple(r.name for r in report.region.ancestors())
    city = coverage.place_for_chain(names[:2])
    table = table_for(region=">".join(names[:2]), **{"from": str(report.year), "to": str(report.year)})
    assert table.years == [report.year]
    own = [u for u in table.units if u.cells[0].held]
    expected = 1 + len(children_of(city))
    assert len(table.counted_units) == expected
    if len(names) == 2:  # the city government's own report
        assert [u.names for u in own] == [names]
        assert table.year_rates[0].held == 1 and table.year_rates[0].expected == expected
        missing = table.missing(report.year)
        assert len(missing) == expected - 1 and all(u.names != names for u in missing)


def test_absences_and_rates_hand_checked(db):
    """Three bodies of 苏州市 reporting over 2020–2022, one department: computed by hand."""
    suzhou = region_from_names(["江苏省", "苏州市"])
    wujiang = region_from_names(["江苏省", "苏州市", "吴江区"])
    town = region_from_names({1: "江苏省", 2: "苏州市", 3: "吴江区", 4: "松陵街道"})
    unknown = region_from_names({1: "江苏省", 2: "苏州市", 3: "示范新区"})

    def add(region, year, **kw):
        return Report.objects.create(title=f"{region.name}{year}", kind="fazhi", region=region, year=year,
                                     original_text="x", checksum=sha256(f"{region.pk}-{year}-{kw}".encode()).hexdigest(), **kw)

    add(suzhou, 2020)
    add(suzhou, 2022)
    add(wujiang, 2021)
    add(town, 2021)  # below 吴江区 and 苏州市: never makes them held
    add(wujiang, 2020, body_kind=BodyKind.DEPARTMENT, department="司法局")
    add(unknown, 2022)
    Report.objects.create(title="工作报告", kind="gwr", region=suzhou, year=2021, original_text="y", checksum="g")

    table = table_for(region="苏州", **{"from": "2020", "to": "2022"})
    n_counties = len(children_of(_place("江苏省", "苏州市")))
    assert n_counties == 10  # 5 districts, 苏州工业园区 (a 功能区 the division data lists), 4 cities
    rows = {u.name: u for u in table.units}
    assert [c.held for c in rows["苏州市"].cells] == [True, False, True]  # the gwr of 2021 is another kind
    assert [c.held for c in rows["吴江区"].cells] == [False, True, False]
    assert [c.below for c in rows["吴江区"].cells] == [1, 1, 0]  # the department 2020, the street 2021
    assert [c.below for c in rows["苏州市"].cells] == [1, 2, 1]
    assert "示范新区" in rows and not rows["示范新区"].listed  # 名录外, outside the rates
    assert "吴江区司法局" not in rows  # departments only when asked for
    assert [(r.held, r.expected) for r in table.year_rates] == [(1, 11), (1, 11), (1, 11)]
    assert table.held_total == 3 and table.expected_total == 33 and table.percent == 9.1
    assert [u.name for u in table.missing(2021)][:2] == ["苏州市", "虎丘区"]
    assert len(table.missing(2021)) == 10

    with_depts = table_for(region="苏州", departments="1", **{"from": "2020", "to": "2022"})
    dept = next(u for u in with_depts.units if u.department)
    assert dept.name == "吴江区司法局" and [c.held for c in dept.cells] == [True, False, False]
    assert len(with_depts.counted_units) == 12 and with_depts.held_total == 4
    # Right after its government in the table.
    names = [u.name for u in with_depts.units]
    assert names.index("吴江区司法局") == names.index("吴江区") + 1

    deeper = table_for(region="苏州", depth="2", **{"from": "2021", "to": "2021"})
    street = next(u for u in deeper.units if u.name == "松陵街道")
    assert street.cells[0].held and street.depth == 2 and street.level == 4


def test_bad_input_gives_messages_not_errors(db):
    params = params_from_querydict(QueryDict("from=abc&to=1800&kind=zzz&depth=9&region=不存在之地"))
    assert params.first is None and params.last is None and params.depth == 1
    assert any("起始年份" in w for w in params.warnings) and any("截止年份" in w for w in params.warnings)
    assert any("未找到" in w for w in params.warnings) and params.kind == "fazhi"
    swapped = params_from_querydict(QueryDict("from=2022&to=2019"))
    assert (swapped.first, swapped.last) == (2019, 2022) and swapped.warnings
    wide = coverage_table(params_from_querydict(QueryDict("from=1950&to=2022")))
    assert len(wide.years) == coverage.MAX_YEARS and wide.years[-1] == 2022


def test_coverage_page_links_missing_list_and_csv(client, seeds):
    report = seeds["001"]
    names = [r.name for r in report.region.ancestors()]
    response = client.get("/coverage/", {"region": names[0]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script" not in html and 'style="' not in html
    # Each city row drills down; each year's rate opens that year's missing list.
    city_link = "?region=" + quote(f"{names[0]}>{names[1]}")
    assert city_link in html.replace("&amp;", "&")
    year = re.search(r'missing=(\d{4})#missing', html).group(1)
    missing = client.get(f"/coverage/?region={names[0]}&missing={year}").content.decode()
    assert f"{year} 年缺报名单" in missing and "<ol class=\"missing-list\">" in missing
    # Legend and sticky column markup.
    assert "coverage-legend" in html and 'class="unit-col"' in html
    csv = client.get("/coverage.csv", {"region": names[0]})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == coverage.CSV_FIELDS
    table = table_for(region=names[0])
    assert len(lines) - 1 == sum(len(u.cells) for u in table.units)
    assert len(table.units) == 1 + len(children_of(gazetteer.find_places(names[0])[0]))
    for bad in ({"region": "x" * 500}, {"from": "<b>", "depth": "z"}, {"missing": "abcd"}):
        assert client.get("/coverage/", bad).status_code == 200
