"""Admin intake of web addresses and scans: background work, polling, OCR correction, WARC."""

from __future__ import annotations

import html as html_lib
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.models import Capture, Report
from tests.reports import ingest_samples as samples
from tests.reports.site_server import build_site, seed_text, wrapper_path

from .test_upload_admin import UPLOAD_URL, confirm, snapshot, staff, staff_client, upload  # noqa: F401

pytestmark = pytest.mark.django_db
PARAGRAPHS = samples.seed_paragraphs(3, 30)


@pytest.fixture(scope="module")
def site():
    server = build_site({"/files/report.docx": (samples.docx_bytes(PARAGRAPHS), "application/octet-stream")})
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def allow_loopback(monkeypatch):
    monkeypatch.setenv("ARCHIVE_FETCH_ALLOWED_HOSTS", "127.0.0.1")


def wait_for_preview(client, response, seconds: float = 240):
    """Reload the preview (as its meta refresh does) until nothing runs in the background."""
    url = response.redirect_chain[-1][0]
    deadline = time.monotonic() + seconds
    while 'id="preview-running"' in response.content.decode():
        assert time.monotonic() < deadline, "background work did not finish"
        time.sleep(0.5)
        response = client.get(url)
        response.redirect_chain = [(url, 200)]
    return response


def test_pasted_addresses_are_fetched_previewed_and_saved_with_provenance(staff_client, site):  # noqa: F811
    page = site.base + "/art/1.html"
    wrapper = site.base + wrapper_path("/files/report.docx")
    response = staff_client.post(UPLOAD_URL, {"urls": f"{page}\n{wrapper}\n{page}"}, follow=True)
    assert response.status_code == 200
    first = response.content.decode()
    assert '<meta http-equiv="refresh"' in first and 'name="confirm"' not in first  # nothing to save yet
    response = wait_for_preview(staff_client, response)
    html = response.content.decode()
    assert html.count('class="module preview-item"') == 2  # the repeated address is staged once
    assert "报告文件：" + site.base + "/files/report.docx" in html
    saved = confirm(staff_client, response)
    assert saved.status_code == 200
    assert Report.objects.count() == 2
    report = Report.objects.get(original_format="docx")
    assert report.source_url == wrapper and report.fetched_at is not None
    assert list(report.captures.values_list("role", flat=True)) == ["page", "attachment"]
    assert seed_text(1)[0] in Report.objects.exclude(pk=report.pk).get().original_text

    change = staff_client.get(f"/admin/reports/report/{report.pk}/change/").content.decode()
    assert "抓取记录 (WARC)" in change and wrapper in change
    capture = report.captures.get(role="attachment")
    warc = staff_client.get(f"/admin/reports/report/{report.pk}/capture/{capture.pk}/warc/")
    assert warc.status_code == 200 and warc["Content-Type"] == "application/warc"
    assert b"".join(warc.streaming_content)[:2] == b"\x1f\x8b"  # gzipped WARC


def test_bad_addresses_are_refused_and_change_nothing(staff_client, site, monkeypatch):  # noqa: F811
    before = snapshot()
    response = staff_client.post(UPLOAD_URL, {"urls": "ftp://example.org/a.pdf"}, follow=True)
    assert "http:// 或 https://" in response.content.decode() and "errorlist" in response.content.decode()

    monkeypatch.delenv("ARCHIVE_FETCH_ALLOWED_HOSTS")
    response = staff_client.post(UPLOAD_URL, {"urls": site.base + "/art/0.html\nhttp://10.1.2.3/r.pdf"}, follow=True)
    html = wait_for_preview(staff_client, response).content.decode()
    assert html.count("无法导入：出于安全原因") == 2
    confirm_response = staff_client.post(response.redirect_chain[-1][0], {"confirm": "1"}, follow=True)
    assert confirm_response.status_code == 200
    assert snapshot() == before and Capture.objects.count() == 0


@pytest.mark.ocr
def test_scan_is_recognised_in_the_background_and_its_text_corrected(staff_client):  # noqa: F811
    lines = ["2021年某某区法治政府建设年度报告", "一、主要工作", "依法全面履行政府职能。", "二、存在问题", "行政执法规范化程度不高。"]
    page = samples.render_pages(lines)[0]
    png = samples.image_bytes(page.crop((0, 0, page.width, 1300)), "PNG")
    response = upload(staff_client, SimpleUploadedFile("scan.png", png))
    first = response.content.decode()
    assert "正在进行 OCR 识别" in first or "正在读取" in first
    response = wait_for_preview(staff_client, response)
    html = response.content.decode()
    assert "OCR 识别" in html and 'class="ocr-confidence"' in html
    confidence = float(re.search(r'class="ocr-confidence">([\d.]+)<', html).group(1))
    assert 50 <= confidence <= 100
    recognised = html_lib.unescape(re.search(r'<textarea name="f0-text"[^>]*>(.*?)</textarea>', html, re.S).group(1))
    assert "依法全面履行政府职能" in recognised.replace(" ", "")
    corrected = recognised.strip("\n") + "\n三、下一步安排\n人工校对补上的一句。"
    confirm(staff_client, response, text=corrected)
    report = Report.objects.get()
    assert "人工校对补上的一句" in report.original_text
    assert report.ocr_engine.startswith("Tesseract") and report.ocr_confidence == pytest.approx(confidence)
    assert "OCR 文字已由管理员校对。" in report.parse_warnings
    assert report.original_format == "image"
