"""The admin upload preview, in real headless Chromium (issue 16, point 8).

Seed 004 (港口镇, hand-checked in tests/reports/seed_expectations.py) prints 发布日期 2022-02-14 and
its § 1 is about 组织领导-type work (topic key ``leadership``). A second text names no region.
"""

from __future__ import annotations

import pytest

from tests.reports.conftest import SEED_FILES

pytestmark = pytest.mark.browser

SEED = next(p for p in SEED_FILES if p.name.startswith("004"))
USERNAME, PASSWORD = "editor", "pw-preview-123456"
NO_REGION = """2021年法治政府建设年度报告

一、加强党对法治政府建设的领导
全年召开常务会议专题研究法治政府建设三次，主要负责人履行推进法治建设第一责任人职责。

二、依法全面履行政府职能
深化行政审批制度改革，公布权责清单，推进“放管服”改革。

三、存在的不足和下一步打算
行政执法规范化水平有待提高。下一步将加强执法人员培训。
"""


@pytest.fixture
def editor(page, transactional_db, isolated_search_index):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(USERNAME, password=PASSWORD, is_staff=True, is_superuser=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/admin/login/?next=/admin/reports/report/upload/")
    page.locator("input[name=username]").fill(USERNAME)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/reports/report/upload/")
    return page


def upload(page, path) -> None:
    page.goto("/admin/reports/report/upload/")
    page.locator("#upload-form input[type=file][name=files]").set_input_files(str(path))
    page.locator("#upload-form input[type=submit][name=upload]").click()
    page.wait_for_url("**/admin/reports/report/upload/*/")


def test_preview_shows_the_date_one_heading_a_wide_title_and_topics_in_chinese(editor, tmp_path):
    from reports.models import Report

    page = editor
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    upload(page, SEED)
    assert page.locator("#content h1").all_inner_texts() == ["确认导入"]  # once, not twice
    assert page.locator("input[name=f0-published]").input_value() == "2022-02-14"
    assert page.locator("input[name=f0-title]").bounding_box()["width"] >= 500
    page.locator("#preview-form input[name=confirm]").click()
    page.wait_for_url("**/admin/reports/report/*/change/")
    report = Report.objects.get()
    assert str(report.published) == "2022-02-14"
    # Section topics by their Chinese labels, in the list and in its filter.
    page.goto(f"/admin/reports/section/?report__id__exact={report.pk}")
    column = " ".join(page.locator("td.field-topic_display").all_inner_texts())
    assert "组织领导" in column and "leadership" not in column
    assert "leadership" not in page.locator("#changelist-filter").inner_text()
    page.locator("#changelist-filter a", has_text="组织领导").first.click()
    page.wait_for_url("**topic=leadership*")
    assert set(page.locator("td.field-topic_display").all_inner_texts()) == {"组织领导"}
    section = report.sections.filter(topic="leadership").first()
    page.goto(f"/admin/reports/section/{section.pk}/change/")
    chosen = page.locator("select[name=topic] option:checked").inner_text()
    assert chosen == "组织领导"
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_failed_upload_offers_no_confirm(editor, tmp_path):
    page = editor
    empty = tmp_path / "空文件.txt"
    empty.write_bytes(b"")
    upload(page, empty)
    assert "无法导入" in page.locator("fieldset.preview-item").inner_text()
    assert page.locator("#preview-form input[name=confirm]").count() == 0
    assert "没有可以保存的报告" in page.locator(".submit-row").inner_text()
    page.locator("#preview-form input[name=cancel]").click()
    page.wait_for_url("**/admin/reports/report/")
    assert "未保存任何内容" in page.locator("ul.messagelist").inner_text()


def test_region_warning_goes_once_the_admin_sets_the_region(editor, tmp_path):
    from reports.models import Report

    page = editor
    path = tmp_path / "无地区.txt"
    path.write_text(NO_REGION, encoding="utf-8")
    upload(page, path)
    item = page.locator("fieldset.preview-item")
    assert "未能确定地区" in item.locator("ul.messagelist").inner_text()
    # The region filled in but the title emptied: the form comes back, the region settled.
    item.locator("input[name=f0-province]").fill("河北省")
    item.locator("input[name=f0-city]").fill("保定市")
    title = item.locator("input[name=f0-title]").input_value()
    item.locator("input[name=f0-title]").fill("")
    page.evaluate("document.getElementById('preview-form').noValidate = true")  # let the server refuse it
    with page.expect_navigation():
        page.locator("#preview-form input[name=confirm]").click()
    item = page.locator("fieldset.preview-item")
    assert "地区已填写：河北省保定市" in item.locator("ul.messagelist").inner_text()
    assert not item.locator("ul.messagelist li.warning", has_text="未能确定地区").count()
    item.locator("input[name=f0-title]").fill(title)
    page.locator("#preview-form input[name=confirm]").click()
    page.wait_for_url("**/admin/reports/report/*/change/")
    report = Report.objects.select_related("region").get()
    assert report.region.full_name == "河北省保定市"
    assert not [w for w in report.parse_warnings if w.startswith("未能确定地区")]
    assert "未能确定地区" not in page.locator("form").first.inner_text()
