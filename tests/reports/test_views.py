"""Browsing pages: home, list with filters, report page with TOC and permalinks."""

import pytest
from django.utils.html import escape

pytestmark = pytest.mark.django_db


def test_home_counts(client, seed_reports):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<strong id="report-total">5</strong>' in html
    assert "广东省" in html and "江苏省" in html


def test_list_filters_by_region_including_descendants(client, seed_reports):
    response = client.get("/reports/", {"region": "江苏省"})
    html = response.content.decode()
    assert escape(seed_reports["001"].title) in html
    assert escape(seed_reports["004"].title) not in html
    assert client.get("/reports/", {"year": "not-a-year"}).status_code == 200


def test_report_page_has_toc_and_permalinks(client, seed_reports):
    report = seed_reports["004"]
    response = client.get(report.get_absolute_url())
    html = response.content.decode()
    for section in report.sections.all():
        assert f'id="{section.anchor}"' in html
        assert f'href="#{section.anchor}"' in html
        assert section.get_absolute_url() in html


def test_section_permalink_page(client, seed_reports):
    report = seed_reports["004"]
    section = report.sections.filter(level=1).exclude(number="").first()
    response = client.get(section.get_absolute_url())
    assert response.status_code == 200
    assert escape(section.heading) in response.content.decode()
    assert client.get(f"/reports/{report.pk}/s/999.999/").status_code == 404


def test_traditional_report_switches_to_simplified(client, seed_reports):
    report = seed_reports["001"]
    original = client.get(report.get_absolute_url()).content.decode()
    simplified = client.get(report.get_absolute_url(), {"script": "simplified"}).content.decode()
    assert "蘇州工業園區" in original
    assert "苏州工业园区" in simplified
    assert "轉為簡體" not in simplified


def test_report_text_is_escaped(client, db):
    from reports.ingest import IngestedText
    from reports.services import draft_from_text, report_import

    text = "<script>alert(1)</script>某某区2022年法治政府建设年度报告\n一、总体情况\n开展<b>法治</b>宣传。\n二、下一步工作\n继续推进。"
    draft = draft_from_text(
        ingested=IngestedText(text=text, format="text", encoding="utf-8", warnings=[], page_meta={}),
        file_checksum="", filename="x.txt",
    )
    report = report_import(draft=draft)
    html = client.get(report.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<b>法治</b>" not in html
    assert "&lt;b&gt;法治&lt;/b&gt;" in html


def test_highlight_terms_from_search(client, seed_reports):
    report = seed_reports["001"]
    html = client.get(report.get_absolute_url(), {"hl": "行政复议"}).content.decode()
    assert "<mark>行政複議</mark>" in html
