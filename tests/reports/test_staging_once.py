"""A staged upload is parsed once: reloading the preview or confirming reads the kept result."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports import services, staging
from reports.ingest import ingest_bytes
from reports.models import Report

from .test_upload_admin import SIMPLIFIED_SEED, confirm, staff, staff_client, upload  # noqa: F401

pytestmark = pytest.mark.django_db


def test_preview_reload_and_confirm_parse_the_file_only_once(staff_client, monkeypatch):  # noqa: F811
    calls = []

    def counting(data, **kwargs):
        calls.append(kwargs.get("filename"))
        return ingest_bytes(data, **kwargs)

    monkeypatch.setattr(services, "ingest_bytes", counting)
    monkeypatch.setattr(staging, "ingest_bytes", counting, raising=False)
    data = SIMPLIFIED_SEED.read_bytes()
    first = upload(staff_client, SimpleUploadedFile("report.txt", data))
    assert first.status_code == 200 and "确认导入" in first.content.decode()
    again = staff_client.get(first.redirect_chain[-1][0], follow=True)
    assert again.status_code == 200
    confirm(staff_client, again)
    assert Report.objects.count() == 1
    assert calls == ["report.txt"]


def test_a_refused_file_stays_refused_without_being_parsed_again(staff_client, monkeypatch):  # noqa: F811
    calls = []

    def counting(data, **kwargs):
        calls.append(kwargs.get("filename"))
        return ingest_bytes(data, **kwargs)

    monkeypatch.setattr(services, "ingest_bytes", counting)
    monkeypatch.setattr(staging, "ingest_bytes", counting, raising=False)
    first = upload(staff_client, SimpleUploadedFile("broken.pdf", b"%PDF-1.4\n garbage"))
    assert "PDF 文件已损坏" in first.content.decode()
    again = staff_client.get(first.redirect_chain[-1][0], follow=True)
    assert "PDF 文件已损坏" in again.content.decode()
    assert calls == ["broken.pdf"]
