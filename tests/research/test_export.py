"""Export of search results: CSV (UTF-8 with BOM) and JSON Lines, streamed, capped."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse

from research.export import CSV_BOM, CSV_HEADERS, FIELDS, plain_snippet
from search.analysis import fold


def _body(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def _csv_rows(response) -> list[dict]:
    text = _body(response)
    assert text.startswith(CSV_BOM)
    return _by_field(csv.DictReader(io.StringIO(text[len(CSV_BOM) :])))


FIELD_OF_HEADER = {CSV_HEADERS[name]: name for name in FIELDS}


def _by_field(reader) -> list[dict]:
    """CSV rows keyed by the JSON field names (the CSV's own header row is Chinese)."""
    assert reader.fieldnames == [CSV_HEADERS[name] for name in FIELDS]
    return [{FIELD_OF_HEADER[k]: v for k, v in row.items()} for row in reader]


def _matching_sections(reports, term: str) -> set[tuple[int, str]]:
    """By hand: sections whose folded heading or text contains the folded term."""
    out = set()
    for report in reports:
        for s in report.sections.all():
            if fold(term) in fold(s.heading) or fold(term) in fold(s.text):
                out.add((report.pk, s.path))
    return out


def test_csv_export_rows_against_the_seeds(client, seeds):
    response = client.get("/search/export.csv", {"q": "行政复议"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="fazhi-search-')
    rows = _csv_rows(response)
    assert list(rows[0].keys()) == FIELDS
    got = {(int(r["report_id"]), r["section_path"]) for r in rows}
    # One row per matching section; the traditional seed (行政複議) is found by the simplified term.
    assert got == _matching_sections(seeds.values(), "行政复议")
    assert len(rows) == 10
    assert {int(r["report_id"]) for r in rows} == {seeds[k].pk for k in ("000", "001", "002", "004")}

    sip = next(r for r in rows if int(r["report_id"]) == seeds["001"].pk and r["section_path"] == "7.1")
    report = seeds["001"]
    section = report.sections.get(path="7.1")
    assert sip["title"] == report.title
    assert sip["jurisdiction"] == "江苏省苏州市苏州工业园区"
    assert (sip["province"], sip["city"], sip["county"], sip["town"]) == (
        "江苏省",
        "苏州市",
        "苏州工业园区",
        "",
    )
    assert sip["level"] == "县级" and sip["year"] == "2019" and sip["kind"] == "法治政府建设年度报告"
    assert sip["section_heading"] == section.heading
    assert sip["report_url"] == f"http://testserver/reports/{report.pk}/"
    assert sip["permalink"] == f"http://testserver/reports/{report.pk}/s/7.1/"
    # Plain text, original script, no markup.
    assert "<" not in sip["snippet"] and "&" not in sip["snippet"]
    assert "行政複議" in sip["snippet"] and sip["snippet"].replace("…", "") in section.text

    town = next(r for r in rows if int(r["report_id"]) == seeds["004"].pk)
    assert town["published"] == "2022-02-14" and town["level"] == "乡级"
    assert (town["province"], town["city"], town["county"], town["town"]) == (
        "广东省",
        "中山市",
        "",
        "港口镇",
    )


def test_jsonl_export_with_filters(client, seeds):
    response = client.get("/search/export.jsonl", {"q": "行政复议", "region": "江苏省"})
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in _body(response).splitlines()]
    assert {(r["report_id"], r["section_path"]) for r in lines} == {
        (seeds["001"].pk, "7.1"),
        (seeds["001"].pk, "8.6"),
    }
    assert set(lines[0]) == set(FIELDS)
    assert lines[0]["year"] == 2019 and lines[0]["report_id"] == seeds["001"].pk

    by_year = client.get("/search/export.jsonl", {"q": "行政复议", "year": "2021"})
    assert {json.loads(x)["report_id"] for x in _body(by_year).splitlines()} == {seeds["004"].pk}


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "NOT"},
        {"q": '"'},
        {"q": "-行政"},
        {"q": "行政复议", "year": "abc", "region": "不存在的地方"},
        {"q": "<script>", "page": "-5"},
        {"q": "没有这个词语的报告啊啊"},
    ],
)
def test_empty_or_bad_queries_give_header_only(client, seeds, query):
    response = client.get("/search/export.csv", query)
    assert response.status_code == 200
    text = _body(response)
    if query.get("q") == "行政复议":  # bad filters are ignored, the query still runs
        assert len(text.splitlines()) > 1
        return
    assert text == CSV_BOM + ",".join(CSV_HEADERS[name] for name in FIELDS) + "\r\n"
    jsonl = client.get("/search/export.jsonl", query)
    assert jsonl.status_code == 200 and _body(jsonl) == ""


def test_search_page_links_to_exports(client, seeds):
    html = client.get("/search/", {"q": "行政复议", "region": "江苏省"}).content.decode()
    assert (
        'href="/search/export.csv?q=%E8%A1%8C%E6%94%BF%E5%A4%8D%E8%AE%AE&amp;region=%E6%B1%9F%E8%8B%8F%E7%9C%81"'
        in html
    )
    assert "导出 CSV" in html and "JSONL" in html
    assert 'type="application/atom+xml"' in html


def test_plain_snippet():
    assert plain_snippet("…依法<mark>行政</mark> &amp; A&lt;B…") == "…依法行政 & A<B…"


@pytest.fixture
def many_reports(transactional_db, research_index, django_capture_on_commit_callbacks):
    """150 reports × 4 sections, all mentioning 行政复议 (two index pages of reports)."""
    from django.db import transaction

    from reports.models import Region, RegionLevel, Report, Section

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        province = Region.objects.create(name="测试省", level=RegionLevel.PROVINCE)
        for i in range(150):
            report = Report.objects.create(
                title=f"测试{i}号报告",
                region=province,
                year=2015 + i % 8,
                kind="fazhi",
                original_text="…",
                checksum=f"bulk-{i:058d}",
            )
            Section.objects.bulk_create(
                [
                    Section(
                        report=report,
                        level=1,
                        number=str(k),
                        path=str(k),
                        heading=f"第{k}部分",
                        text=f"本年度办理行政复议案件{i * 10 + k}件，=SUM(A1)。",
                        order=k,
                    )
                    for k in range(1, 5)
                ]
            )
            report.save()  # bulk_create sends no signal: re-queue the report with its sections
    from search.indexing import drain

    drain()  # an inline drain after commit stops at INLINE_LIMIT tasks; apply the rest
    return 150


def test_large_export_streams_every_row(client, many_reports):
    response = client.get("/search/export.csv", {"q": "行政复议"})
    assert isinstance(response, StreamingHttpResponse)
    chunks = list(response.streaming_content)
    assert len(chunks) > 2  # produced piecewise, not one string
    rows = _by_field(csv.DictReader(io.StringIO(b"".join(chunks).decode("utf-8")[1:])))
    assert len(rows) == 600
    assert len({(r["report_id"], r["section_path"]) for r in rows}) == 600
    # A spreadsheet would not run the cell as a formula.
    assert all(not r["snippet"].startswith("=") for r in rows)


def test_export_cap_adds_a_note(client, many_reports, monkeypatch):
    from research import export

    original = export.export_rows

    def capped(params, absolute, *, max_rows=export.MAX_ROWS):
        return original(params, absolute, max_rows=250)

    monkeypatch.setattr(export, "export_rows", capped)
    lines = _body(client.get("/search/export.jsonl", {"q": "行政复议"})).splitlines()
    assert len(lines) == 251
    assert "note" in json.loads(lines[-1]) and "250" in json.loads(lines[-1])["note"]
    text = _body(client.get("/search/export.csv", {"q": "行政复议"}))
    assert text.splitlines()[-1].startswith("# 已达导出上限 250 行")
