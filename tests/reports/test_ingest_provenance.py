"""import_reports with web addresses: reports, provenance rows and WARC records."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.management import call_command

from reports.models import Capture, Report
from tests.reports import ingest_samples as samples
from tests.reports.site_server import build_site, wrapper_path

pytestmark = pytest.mark.django_db
PARAGRAPHS = samples.seed_paragraphs(2, 30)


@pytest.fixture(scope="module")
def site():
    server = build_site({"/files/report.docx": (samples.docx_bytes(PARAGRAPHS), "application/msword")})
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def allow_loopback(monkeypatch):
    monkeypatch.setenv("ARCHIVE_FETCH_ALLOWED_HOSTS", "127.0.0.1")


def run_import(*args):
    out = io.StringIO()
    try:
        call_command("import_reports", *args, "--no-progress", "--json", stdout=out)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, json.loads(out.getvalue())


def test_urls_are_reported_like_files(site, tmp_path):
    page, wrapper, missing = site.base + "/art/1.html", site.base + wrapper_path("/files/report.docx"), site.base + "/gone.html"
    status, summary = run_import(page, wrapper, missing)
    assert status == 1
    by_path = {f["path"]: f for f in summary["files"]}
    assert by_path[page]["status"] == "created" and by_path[wrapper]["status"] == "created"
    assert by_path[missing]["status"] == "error" and "404" in by_path[missing]["message"]
    assert summary["created"] == 2 and summary["error"] == 1

    report = Report.objects.get(pk=by_path[wrapper]["report"])
    captures = list(report.captures.order_by("pk"))
    assert [c.role for c in captures] == ["page", "attachment"]
    page_capture, attachment = captures
    assert page_capture.final_url == wrapper and attachment.final_url == site.base + "/files/report.docx"
    assert report.source_url == wrapper  # citations point at the page readers can open
    assert report.fetched_at == page_capture.fetched_at
    assert report.original_format == "docx" and report.original_filename == "report.docx"
    assert attachment.status == 200 and attachment.content_type == "application/msword"
    with report.original_file.open("rb") as original:
        body = original.read()
    assert attachment.checksum == hashlib.sha256(body).hexdigest() and attachment.size == len(body)

    # The WARC record holds the response as received, readable by warcio.
    from warcio.archiveiterator import ArchiveIterator

    with attachment.warc_file.open("rb") as warc:
        records = [
            (r.rec_headers, r.http_headers.get_statuscode(), r.content_stream().read())
            for r in ArchiveIterator(warc) if r.rec_type == "response"
        ]
    assert len(records) == 1
    warc_headers, status, payload = records[0]
    assert warc_headers.get_header("WARC-Target-URI") == attachment.final_url
    assert status == "200" and payload == body
    assert warc_headers.get_header("WARC-IP-Address") == "127.0.0.1"


def test_the_same_url_twice_is_a_duplicate_and_changes_nothing(site):
    url = site.base + "/art/0.html"
    assert run_import(url)[1]["created"] == 1
    counts = Report.objects.count(), Capture.objects.count()
    status, summary = run_import(url)
    assert status == 0 and summary["files"][0]["status"] == "duplicate"
    assert (Report.objects.count(), Capture.objects.count()) == counts


def test_refused_address_changes_nothing(site, monkeypatch):
    monkeypatch.delenv("ARCHIVE_FETCH_ALLOWED_HOSTS")
    status, summary = run_import(site.base + "/art/0.html")
    assert status == 1 and "ARCHIVE_FETCH_ALLOWED_HOSTS" in summary["files"][0]["message"]
    assert Report.objects.count() == 0 and Capture.objects.count() == 0
