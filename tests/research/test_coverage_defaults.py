"""Coverage with absences: the default year range is the years the archive holds; the page
keeps its labels in view (sticky header and first column) and explains its marks."""

from __future__ import annotations

from django.http import QueryDict

from research.coverage import coverage_table, params_from_querydict


def test_default_years_are_the_archives(seeds):
    years = sorted({r.year for r in seeds.values() if r.kind == "fazhi" and r.year})
    table = coverage_table(params_from_querydict(QueryDict("")))
    assert table.years == list(range(years[0], years[-1] + 1))
    assert table.archive_years == (years[0], years[-1])
    # One bound given: the other comes from the archive.
    later = coverage_table(params_from_querydict(QueryDict(f"from={years[-1] - 1}")))
    assert later.years == [years[-1] - 1, years[-1]]


def test_page_prefills_the_range_and_has_legend_and_sticky_labels(client, seeds):
    years = sorted({r.year for r in seeds.values() if r.kind == "fazhi" and r.year})
    html = client.get("/coverage/").content.decode()
    assert f'name="from" inputmode="numeric" size="5" value="{years[0]}"' in html
    assert f'name="to" inputmode="numeric" size="5" value="{years[-1]}"' in html
    assert "默认年份为本库所收该类报告的年份范围" in html
    for mark in ("已收录该单位本身的报告", "缺报：本库没有该单位该年度的报告", "名录外"):
        assert mark in html
    assert 'class="coverage-table absences"' in html and '<th scope="col" class="unit-col">' in html
    css = client.get("/static/css/site.css")
    body = b"".join(css.streaming_content).decode() if css.streaming else css.content.decode()
    assert "table.coverage-table.absences thead th { position: sticky; top: 0;" in body
    assert "table.coverage-table.absences .unit-col { position: sticky; left: 0;" in body
