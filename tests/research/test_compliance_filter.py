"""The compliance checklist and timeliness as a filter on a search (and on the whole archive).

Hand-coded parts of the seeds (tests/research/test_compliance.py): 000 = 1,2,4; 001 (traditional)
= 1,2,3,4; 002 (untitled) = all five; 003 = 1; 004 = 1,2,3,4.  营商环境 occurs in 002, 004 and,
as 營商環境, in 001; 信访 in 000, 002 and 003.
"""

from __future__ import annotations

import csv
import io

import pytest


def _listed(html: str, reports) -> set[str]:
    return {prefix for prefix, r in reports.items() if r.get_absolute_url() in html}


@pytest.mark.parametrize("query, expected", [
    ("q=营商环境", {"001", "002", "004"}),
    ("q=营商环境&complete=1", {"002"}),
    ("q=营商环境&part=other&missing=1", {"001", "004"}),
    ("q=信访&part=first_duty&missing=1", {"000", "003"}),
    ("q=信访&part=shortfalls", {"000", "002"}),
    ("part=first_duty&missing=1", {"000", "003"}),
    ("complete=1", {"002"}),
])
def test_filter_search_results_by_parts(client, seeds, query, expected):
    page = client.get(f"/compliance/?{query}")
    assert page.status_code == 200
    drill = page.content.decode().split('id="drill"')[1]
    assert _listed(drill, seeds) == expected


def test_scope_is_shown_and_kept_by_links(client, seeds):
    html = client.get("/compliance/?q=营商环境&by=year").content.decode()
    assert "仅统计检索“<strong>营商环境</strong>”命中的法治政府建设年度报告：3 份" in html
    assert "法治政府建设年度报告 3 份" in html
    # Every drill-down link and the CSV keep the search.
    assert "&amp;q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83" in html
    assert '<input type="hidden" name="q" value="营商环境">' in html
    body = client.get("/compliance.csv?q=营商环境").content.decode("utf-8-sig")
    ids = {int(r["report_id"]) for r in csv.DictReader(io.StringIO(body))}
    assert ids == {seeds[p].pk for p in ("001", "002", "004")}


def test_timeliness_ledger_for_a_search(client, seeds):
    html = client.get("/timeliness/?q=信访").content.decode()
    assert _listed(html, seeds) == {"000", "002", "003"}


def test_search_page_links_to_the_filter(client, seeds):
    html = client.get("/search/?q=营商环境").content.decode()
    assert 'class="compliance-filter"' in html and "/compliance/?q=" in html


def test_bad_filters_are_ignored_not_fatal(client, seeds):
    page = client.get("/compliance/?q=营商环境&part=nonsense&status=maybe&year_from=abc")
    assert page.status_code == 200
    html = page.content.decode()
    assert "起始年度“abc”无效" in html
    assert _listed(html.split('id="drill"')[1], seeds) == {"001", "002", "004"}
    empty = client.get("/compliance/?q=%20AND%20").content.decode()
    assert "检索词为空" in empty or "法治政府建设年度报告 5 份" in empty
