"""Pages of a huge report stay bounded (issue 15): the report page, a section page and the
admin change page of a report with thousands of sections read a bounded number of sections.

Structural checks (sections loaded as model instances per request), not timings: the times
are printed by tests/load/slowest.py (a 20,000-section report's page took 33-39 s whole).
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from reports.admin import SECTIONS_ON_CHANGE_PAGE
from reports.reader_pages import PAGE_CHARS, PAGE_SECTIONS, reader_pages

N_SECTIONS = 1000  # a few pages' worth; the attack used 20,000


@pytest.fixture
def huge_report(db):
    """A report of N_SECTIONS short level-1 sections, the 10th with two subsections."""
    from reports.models import Report, Section

    report = Report.objects.create(title="某市2023年法治政府建设年度报告（分节极多）", year=2023,
                                   original_text="", checksum="huge-" + "0" * 59)
    rows = [
        Section(report=report, level=1, number=f"（{i}）", path=str(i), heading=f"第{i}项工作",
                text=f"第{i}项：依法行政，推进法治政府建设。", order=i * 10)
        for i in range(1, N_SECTIONS + 1)
    ]
    Section.objects.bulk_create(rows, batch_size=500)
    parent = Section.objects.get(report=report, path="10")
    for k in (1, 2):
        Section.objects.create(report=report, parent=parent, level=2, number=f"{k}.", path=f"10.{k}",
                               heading=f"第10项之{k}", text=f"子项{k}的正文。", order=100 + k)
    return report


@pytest.fixture
def loaded_sections(monkeypatch):
    """Counts Section rows turned into model instances (reading a row whole, text included)."""
    from reports.models import Section

    counter = {"n": 0}
    real = Section.from_db.__func__

    def counting(cls, db, field_names, values):
        counter["n"] += 1
        return real(cls, db, field_names, values)

    monkeypatch.setattr(Section, "from_db", classmethod(counting))
    return counter


def _ids(html: str) -> list[str]:
    return re.findall(r'<section class="section level-\d" id="s-([^"]+)"', html)


def test_a_huge_report_is_read_a_page_at_a_time(client, huge_report, loaded_sections):
    pages = reader_pages(huge_report)
    assert len(pages) == -(-(N_SECTIONS + 2) // PAGE_SECTIONS)
    assert sum(p.sections for p in pages) == N_SECTIONS + 2
    assert all(p.sections <= PAGE_SECTIONS for p in pages)

    response = client.get(f"/reports/{huge_report.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    shown = _ids(html)
    assert shown[0] == "1" and len(shown) == pages[0].sections
    assert loaded_sections["n"] <= PAGE_SECTIONS + 5
    assert f"分 {len(pages)} 页阅读" in html and "page=2" in html and "下一页" in html

    last = client.get(f"/reports/{huge_report.pk}/?page={len(pages)}").content.decode()
    assert _ids(last)[-1] == str(N_SECTIONS) and "上一页" in last
    # Every section is on exactly one page.
    seen = []
    for p in pages:
        seen += _ids(client.get(f"/reports/{huge_report.pk}/?page={p.number}").content.decode())
    assert len(seen) == len(set(seen)) == N_SECTIONS + 2


@pytest.mark.parametrize("page", ["0", "-3", "abc", "99999", "1e9", "\x00"])
def test_any_page_parameter_answers(client, huge_report, page):
    response = client.get(f"/reports/{huge_report.pk}/", {"page": page})
    assert response.status_code == 200 and _ids(response.content.decode())


def test_at_opens_the_page_holding_a_section(client, huge_report):
    path = str(N_SECTIONS - 1)
    html = client.get(f"/reports/{huge_report.pk}/", {"at": path}).content.decode()
    assert path in _ids(html)
    # The section page's "在全文中查看" link leads there.
    section_page = client.get(f"/reports/{huge_report.pk}/s/{path}/").content.decode()
    assert f"?at={path}#s-{path}" in section_page


def test_section_page_of_a_huge_report_reads_its_subtree_and_neighbours_only(
    client, huge_report, loaded_sections
):
    response = client.get(f"/reports/{huge_report.pk}/s/10/")
    html = response.content.decode()
    assert response.status_code == 200
    assert _ids(html) == ["10", "10.1", "10.2"]
    assert 'href="/reports/%d/s/9/"' % huge_report.pk in html  # previous sibling
    assert 'href="/reports/%d/s/11/"' % huge_report.pk in html  # next sibling
    assert loaded_sections["n"] <= 30


def test_admin_change_page_of_a_huge_report_lists_a_bounded_number_of_sections(huge_report, loaded_sections):
    user = get_user_model().objects.create_user("editor", password="pw-123456", is_staff=True, is_superuser=True)
    staff = Client()
    staff.force_login(user)
    response = staff.get(f"/admin/reports/report/{huge_report.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"共 {N_SECTIONS + 2} 个章节，此处列出前 {SECTIONS_ON_CHANGE_PAGE} 个" in html
    assert html.count('class="section-overview"') == 1
    assert loaded_sections["n"] <= SECTIONS_ON_CHANGE_PAGE + 5


def test_a_long_report_is_paged_by_characters_too(db):
    from reports.models import Report, Section

    report = Report.objects.create(title="长篇报告", year=2023, original_text="", checksum="long-" + "0" * 59)
    chunk = "依法行政" * (PAGE_CHARS * 3 // 40)  # 30 % of a page's characters
    Section.objects.bulk_create([
        Section(report=report, level=1, number="", path=str(i), heading="", text=chunk, order=i)
        for i in range(1, 11)
    ])
    pages = reader_pages(report)
    assert [p.sections for p in pages] == [3, 3, 3, 1]


def test_a_short_report_reads_as_one_page(client, db):
    from reports.models import Report, Section

    report = Report.objects.create(title="短报告", year=2023, original_text="", checksum="short-" + "0" * 58)
    Section.objects.create(report=report, level=1, number="一、", path="1", heading="一、总体情况",
                           text="正文。", order=1)
    html = client.get(f"/reports/{report.pk}/").content.decode()
    assert _ids(html) == ["1"] and "分页阅读" not in html


def test_compare_holds_the_first_page_of_a_huge_report(client, huge_report, loaded_sections):
    from reports.models import Report, Section

    other = Report.objects.create(title="某县2023年法治政府建设年度报告", year=2023, original_text="",
                                  checksum="huge-" + "1" * 59)
    Section.objects.create(report=other, level=1, number="一、", path="1", heading="一、总体情况",
                           text="依法行政。", order=1)
    first = reader_pages(huge_report)[0]
    response = client.get("/compare/", {"reports": f"{huge_report.pk},{other.pk}"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"共 {N_SECTIONS + 2} 个章节，篇幅过大，本页只对照其前 {first.sections} 个章节" in html
    assert html.count('class="cmp-section"') == first.sections + 1
    assert loaded_sections["n"] <= first.sections + 10
    api = client.get("/api/compare/", {"reports": f"{huge_report.pk},{other.pk}"})
    assert api.status_code == 200
