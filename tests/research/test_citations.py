"""Citations: pure GB/T 7714 / BibTeX / RIS formatting, and the pages and downloads."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pytest
from django.utils import timezone

from research.citations import CitationSource, bibtex, gbt7714, government_name, issuer_of, ris

ACCESSED = date(2026, 11, 22)


def test_gbt7714_report_with_publication_date():
    src = CitationSource(
        title="苏州工业园区管理委员会关于2019年法治政府建设工作情况的报告",
        url="https://example.org/reports/2/",
        accessed=ACCESSED,
        published=date(2020, 3, 5),
        region_names=["江苏省", "苏州市", "苏州工业园区"],
        region_levels=[1, 2, 3],
    )
    assert gbt7714(src) == (
        "苏州工业园区管理委员会. 苏州工业园区管理委员会关于2019年法治政府建设工作情况的报告[EB/OL]. "
        "(2020-03-05)[2026-11-22]. https://example.org/reports/2/."
    )


@pytest.mark.parametrize(
    "title, names, levels, expected",
    [
        (
            "港口镇2021年法治政府建设年度报告",
            ["广东省", "中山市", "港口镇"],
            [1, 2, 4],
            "中山市港口镇人民政府",
        ),
        (
            "太原市杏花岭区2023年法治政府建设年度报告",
            ["山西省", "太原市", "杏花岭区"],
            [1, 2, 3],
            "太原市杏花岭区人民政府",
        ),
        ("2020年法治政府建设工作报告", ["宁夏回族自治区", "石嘴山市"], [1, 2], "石嘴山市人民政府"),
        ("江苏省2020年法治政府建设报告", ["江苏省"], [1], "江苏省人民政府"),
        (
            "蘇州工業園區管理委員會關於2019年法治政府建設工作情況的報告",
            ["江苏省"],
            [1],
            "蘇州工業園區管理委員會",
        ),
        # "关于" preceded by a year, not an issuer: fall back to the jurisdiction.
        ("2020年关于法治政府建设的报告", ["江苏省", "南京市"], [1, 2], "南京市人民政府"),
        ("无地区的报告", [], [], "佚名"),
    ],
)
def test_issuer(title, names, levels, expected):
    assert issuer_of(title, names, levels) == expected


def test_government_name_does_not_repeat_the_city():
    assert (
        government_name(["河南省", "平顶山市", "平顶山市城乡一体化示范区"], [1, 2, 3])
        == "平顶山市城乡一体化示范区人民政府"
    )


def test_section_citation_uses_the_part_form_and_no_date_when_unknown():
    src = CitationSource(
        title="港口镇2021年法治政府建设年度报告",
        url="https://x.test/reports/5/s/2/",
        accessed=ACCESSED,
        region_names=["广东省", "中山市", "港口镇"],
        region_levels=[1, 2, 4],
        section_title="二、依法全面履行政府职能",
    )
    assert gbt7714(src) == (
        "中山市港口镇人民政府. 二、依法全面履行政府职能[EB/OL]//中山市港口镇人民政府. "
        "港口镇2021年法治政府建设年度报告. [2026-11-22]. https://x.test/reports/5/s/2/."
    )


def test_bibtex_escapes_and_keeps_corporate_author_whole():
    src = CitationSource(
        title="A&B 100% {报告}_x",
        url="https://x.test/r/1/",
        accessed=ACCESSED,
        report_id=1,
        year=2021,
        published=date(2022, 2, 14),
        region_names=["广东省"],
        region_levels=[1],
    )
    text = bibtex(src)
    assert text.startswith("@misc{fazhi1-2021,\n")
    assert "author = {{广东省人民政府}}" in text
    assert r"title = {{A\&B 100\% \{报告\}\_x}}" in text
    assert "urldate = {2026-11-22}" in text and "date = {2022-02-14}" in text and "year = {2022}" in text


def test_ris_record():
    src = CitationSource(
        title="港口镇2021年法治政府建设年度报告",
        url="https://x.test/reports/5/",
        accessed=ACCESSED,
        published=date(2022, 2, 14),
        year=2021,
        report_id=5,
        region_names=["广东省", "中山市", "港口镇"],
        region_levels=[1, 2, 4],
    )
    lines = ris(src).split("\r\n")
    assert lines[0] == "TY  - GOVDOC"
    assert "AU  - 中山市港口镇人民政府" in lines
    assert "DA  - 2022/02/14" in lines and "PY  - 2022" in lines
    assert "UR  - https://x.test/reports/5/" in lines and "Y2  - 2026/11/22" in lines
    assert lines[-2] == "ER  - " and lines[-1] == ""


# -- pages -------------------------------------------------------------------


def test_report_page_citation_for_a_seed(client, seeds):
    report = seeds["004"]  # 港口镇, published 2022-02-14
    html = client.get(report.get_absolute_url()).content.decode()
    today = timezone.localdate().isoformat()
    expected = (
        f"中山市港口镇人民政府. 港口镇2021年法治政府建设年度报告[EB/OL]. (2022-02-14)[{today}]. "
        f"http://testserver/reports/{report.pk}/."
    )
    assert expected in html
    assert report.file_checksum in html and len(report.file_checksum) == 64
    assert f'href="/reports/{report.pk}/original"' in html
    assert f'href="/reports/{report.pk}/cite.bib"' in html
    assert report.created_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d") in html


def test_traditional_seed_cites_the_issuer_from_the_title(client, seeds):
    report = seeds["001"]
    text = client.get(f"/reports/{report.pk}/cite.ris").content.decode()
    assert "AU  - 蘇州工業園區管理委員會\r\n" in text
    assert f"TI  - {report.title}\r\n" in text


def test_bib_and_ris_downloads(client, seeds):
    report = seeds["002"]
    bib = client.get(f"/reports/{report.pk}/cite.bib")
    assert bib.status_code == 200 and bib["Content-Type"].startswith("application/x-bibtex")
    assert "attachment" in bib["Content-Disposition"]
    assert "author = {{太原市杏花岭区人民政府}}" in bib.content.decode()
    section = report.sections.get(path="1")
    sec = client.get(f"/reports/{report.pk}/s/{section.path}/cite.ris")
    body = sec.content.decode()
    assert sec.status_code == 200 and f"UR  - http://testserver{section.get_absolute_url()}\r\n" in body
    assert "T2  - " + report.title in body
    assert client.get(f"/reports/{report.pk}/cite.doc").status_code == 404
    assert client.get(f"/reports/{report.pk}/s/99.99/cite.bib").status_code == 404
    assert client.get("/reports/999999/cite.bib").status_code == 404


def test_section_page_shows_citation(client, seeds):
    report = seeds["004"]
    section = report.sections.get(path="2")
    html = client.get(section.get_absolute_url()).content.decode()
    assert "二、依法全面履行政府职能[EB/OL]//中山市港口镇人民政府. 港口镇2021年法治政府建设年度报告." in html
    assert f"http://testserver{section.get_absolute_url()}." in html


def test_original_download_with_chinese_filename(client, seeds):
    from reports.models import Report

    report = seeds["000"]
    response = client.get(f"/reports/{report.pk}/original")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == report.original_file.open("rb").read()
    assert response["Content-Disposition"] == f'attachment; filename="{report.original_filename}"'

    Report.objects.filter(pk=report.pk).update(original_filename="港口镇 报告.txt")
    response = client.get(f"/reports/{report.pk}/original")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert quote("港口镇 报告.txt") in disposition
    response.close()


def test_original_404_without_file(client, seeds):
    from reports.models import Report

    report = seeds["003"]
    Report.objects.filter(pk=report.pk).update(original_file="")
    assert client.get(f"/reports/{report.pk}/original").status_code == 404
    html = client.get(report.get_absolute_url()).content.decode()
    assert f"/reports/{report.pk}/original" not in html


# -- the source page, the reporting body and a year (issue: cite the source, not our site) ----


def _sourced(**extra):
    return CitationSource(
        title="小龍門鄉2024年法治政府建設情況報告",  # real_dev d073, traditional
        url="https://archive.test/reports/9/",
        accessed=ACCESSED,
        published=date(2025, 4, 11),
        year=2024,
        region_names=["北京市", "房山区", "小龙门乡"],
        region_levels=[1, 2, 4],
        report_id=9,
        source_url="https://gov.example.cn/art/2025/4/11/t.html",
        responsible="北京市房山區小龍門鄉人民政府",
        publisher="小龍門鄉人民政府",
        **extra,
    )


def test_gbt7714_cites_the_source_page_and_the_recorded_body():
    assert gbt7714(_sourced()) == (
        "北京市房山區小龍門鄉人民政府. 小龍門鄉2024年法治政府建設情況報告[EB/OL]. "
        "(2025-04-11)[2026-11-22]. https://gov.example.cn/art/2025/4/11/t.html."
    )


def test_bibtex_has_year_url_urldate_and_the_archive_copy():
    entry = bibtex(_sourced())
    assert "  year = {2025}," in entry
    assert "  url = {https://gov.example.cn/art/2025/4/11/t.html}," in entry
    assert "  urldate = {2026-11-22}," in entry
    assert "  organization = {{小龍門鄉人民政府}}," in entry
    assert "本库副本：https://archive.test/reports/9/" in entry


def test_bibtex_year_falls_back_to_the_year_reported_on_for_an_untitled_undated_report():
    src = CitationSource(title="2022年推进法治政府建设的主要举措和成效", url="https://archive.test/reports/1/",
                         accessed=ACCESSED, year=2022, region_names=["重庆市", "铜梁区"], region_levels=[1, 3])
    entry = bibtex(src)
    assert "  year = {2022}," in entry and "  url = {https://archive.test/reports/1/}," in entry


def test_ris_uses_the_source_and_publisher():
    record = ris(_sourced())
    assert "UR  - https://gov.example.cn/art/2025/4/11/t.html\r\n" in record
    assert "PB  - 小龍門鄉人民政府\r\n" in record
    assert "PY  - 2025\r\n" in record and "Y2  - 2026/11/22\r\n" in record


def test_a_section_is_cited_by_its_permalink_even_with_a_source_page():
    src = _sourced(section_title="一、主要舉措和成效", section_path="1")
    assert gbt7714(src).endswith("https://archive.test/reports/9/.")


def test_report_page_has_a_selectable_citation_near_the_top(client, shared_seed_reports):
    report = shared_seed_reports["001"]  # traditional script
    html = client.get(report.get_absolute_url()).content.decode()
    top = html.index('id="citation-top"')
    assert top < html.index('class="report-body"')  # above the text, not only at the bottom
    assert "[EB/OL]" in html[top:top + 400] and "蘇州工業園區" in html[top:top + 400]
    assert 'class="cite-copy" data-copy="citation-top" hidden' in html  # shown only by JS
    assert "js/cite-copy.js" in html
