"""Admin upload: staff only, preview before saving, corrections kept, bad input changes nothing."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from reports.models import Region, Report, Section

from .conftest import SEED_FILES

pytestmark = pytest.mark.django_db

SIMPLIFIED_SEED = next(p for p in SEED_FILES if p.name.startswith("004"))
UPLOAD_URL = "/admin/reports/report/upload/"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("editor", password="pw-123456", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def snapshot():
    return (Report.objects.count(), Section.objects.count(), Region.objects.count(), stored_files())


def upload(client, *files, text=""):
    payload = {"files": list(files)} if files else {}
    if text:
        payload["text"] = text
    return client.post(UPLOAD_URL, payload, follow=True)


def confirm(client, response, **fields):
    """Post the preview form back with the values shown, changed by `fields` (name → value)."""
    html = response.content.decode()
    token_url = response.redirect_chain[-1][0] if response.redirect_chain else response.request["PATH_INFO"]
    data = {}
    for name, value in re.findall(r'<input[^>]*name="(f\d+-[a-z_]+)"[^>]*value="([^"]*)"', html):
        data[name] = value
    for name in re.findall(r'<input type="checkbox" name="(f\d+-save)"[^>]*checked', html):
        data[name] = "on"
    for name, options in re.findall(r'<select name="(f\d+-[a-z_]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        data[name] = selected.group(1) if selected else ""
    prefix = next((k for k in data if k.endswith("-title")), "f0-title").rsplit("-", 1)[0]
    for key, value in fields.items():
        data[f"{prefix}-{key}"] = value
    data["confirm"] = "1"
    return client.post(token_url, data, follow=True)


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(UPLOAD_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    before = snapshot()
    response = client.post(UPLOAD_URL, {"text": SIMPLIFIED_SEED.read_text(encoding="utf-8")})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert snapshot() == before


def test_non_staff_users_cannot_upload(db):
    user = get_user_model().objects.create_user("reader", password="pw-123456")
    client = Client()
    client.force_login(user)
    assert client.get(UPLOAD_URL).status_code == 302


def test_post_without_csrf_token_is_refused(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    before = snapshot()
    response = client.post(UPLOAD_URL, {"text": SIMPLIFIED_SEED.read_text(encoding="utf-8")})
    assert response.status_code == 403
    assert snapshot() == before


def test_gb18030_upload_preview_correct_and_save(staff_client):
    data = SIMPLIFIED_SEED.read_text(encoding="utf-8").encode("gb18030")
    response = upload(staff_client, SimpleUploadedFile("港口镇.txt", data))
    html = response.content.decode()
    assert "确认导入" in html
    assert "gb18030" in html.lower()
    assert 'value="港口镇2021年法治政府建设年度报告"' in html
    assert 'value="2021"' in html
    assert Report.objects.count() == 0  # nothing saved before confirmation

    response = confirm(staff_client, response, year="2020")
    report = Report.objects.get()
    assert report.year == 2020
    assert "year" in report.locked_fields
    assert report.region.full_name == "广东省中山市港口镇"
    assert report.created_by.username == "editor"
    with report.original_file.open("rb") as stored:
        assert stored.read() == data
    assert report.original_encoding == "gb18030"


def test_duplicate_upload_is_refused_with_a_link(staff_client):
    data = SIMPLIFIED_SEED.read_bytes()
    confirm(staff_client, upload(staff_client, SimpleUploadedFile("a.txt", data)))
    existing = Report.objects.get()
    before = snapshot()
    response = upload(staff_client, SimpleUploadedFile("b.txt", data))
    html = response.content.decode()
    assert "重复的报告" in html
    assert f"/admin/reports/report/{existing.pk}/change/" in html
    confirm(staff_client, response)
    assert snapshot() == before


def test_cancel_discards_the_batch(staff_client):
    response = upload(staff_client, SimpleUploadedFile("a.txt", SIMPLIFIED_SEED.read_bytes()))
    token_url = response.redirect_chain[-1][0]
    staff_client.post(token_url, {"cancel": "1"})
    assert Report.objects.count() == 0
    follow = staff_client.get(token_url, follow=True)
    assert "不存在或已过期" in follow.content.decode()


def _docx_bytes(paragraphs):
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


BAD_INPUTS = [
    ("empty.txt", b"", "为空"),
    ("blank.txt", b"   \n\t \r\n  ", "空白"),
    ("picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "PNG"),
    ("broken.docx", b"PK\x03\x04" + b"\x00" * 200, "docx"),
    ("broken.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog", "PDF"),
]


@pytest.mark.parametrize("filename,data,expected", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_gets_a_clear_message_and_changes_nothing(staff_client, filename, data, expected):
    before = snapshot()
    response = upload(staff_client, SimpleUploadedFile(filename, data))
    html = response.content.decode()
    assert expected.lower() in html.lower()
    if response.redirect_chain:  # staged: the preview names the problem and saving does nothing
        assert "无法导入" in html
        confirm_response = staff_client.post(response.redirect_chain[-1][0], {"confirm": "1"}, follow=True)
        assert confirm_response.status_code == 200
    else:  # refused by the upload form itself
        assert "errorlist" in html
    assert snapshot() == before


def test_file_over_the_size_limit_is_refused(staff_client):
    before = snapshot()
    with override_settings(ARCHIVE_MAX_UPLOAD_BYTES=1000):
        response = upload(staff_client, SimpleUploadedFile("big.txt", "法治".encode() * 1000))
    assert response.status_code == 200
    assert "超过大小上限" in response.content.decode()
    assert snapshot() == before


def test_chinese_text_without_numbering_is_kept_as_one_section(staff_client):
    text = "这是一段没有任何编号结构的说明文字，只是一段话。"
    response = upload(staff_client, text=text)
    assert "全文作为一节保存" in response.content.decode()
    confirm(staff_client, response)
    report = Report.objects.get()
    assert report.sections.count() == 1
    assert "全文作为一节保存" in "".join(report.parse_warnings)


def test_text_without_chinese_needs_confirmation(staff_client):
    text = "This page has no Chinese text at all, only a sentence in English."
    response = upload(staff_client, text=text)
    response = confirm(staff_client, response)
    assert Report.objects.count() == 0
    html = response.content.decode()
    assert "勾选" in html and "--allow-unstructured" not in html
    confirm(staff_client, response, confirm_unstructured="on")
    report = Report.objects.get()
    assert report.sections.count() >= 1


def test_docx_upload(staff_client):
    data = _docx_bytes(["某某县2022年法治政府建设年度报告", "一、加强组织领导", "县政府召开常务会议3次。", "二、下一步工作", "继续推进。"])
    response = upload(staff_client, SimpleUploadedFile("report.docx", data))
    confirm(staff_client, response)
    report = Report.objects.get()
    assert report.original_format == "docx"
    assert [s.heading for s in report.sections.filter(level=1).exclude(number="")] == ["加强组织领导", "下一步工作"]
