"""manage.py harvest against a loopback site: new, unchanged (304), changed, gone, robots, delay."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reports.harvest import PoliteFetcher, load_sources, version_diff
from reports.models import Report, SourceDocument
from tests.reports import ingest_samples as samples
from tests.reports.site_server import build_site, report_page, seed_text, wrapper_path

pytestmark = pytest.mark.django_db
PARAGRAPHS = samples.seed_paragraphs(4, 30)


@pytest.fixture
def site():
    server = build_site({"/files/report.docx": (samples.docx_bytes(PARAGRAPHS), "application/octet-stream")})
    links = ["/art/0.html", "/art/1.html", wrapper_path("/files/report.docx"), "/about.html"]
    items = "".join(f"<li><a href='{href}'>{href}</a></li>" for href in links)
    server.add("/list.html", f"<html><body><ul>{items}</ul></body></html>".encode())
    server.add("/art/0.html", report_page(*seed_text(0)), headers={"ETag": '"v1"'})
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def allow_loopback(monkeypatch):
    monkeypatch.setenv("ARCHIVE_FETCH_ALLOWED_HOSTS", "127.0.0.1")


def sources_file(tmp_path, site) -> str:
    path = tmp_path / "sources.toml"
    path.write_text(
        "[[source]]\n"
        'name = "测试市人民政府"\n'
        f'list_urls = ["{site.base}/list.html"]\n'
        "link_pattern = '/(art|wrap)/[^/]+\\.html$'\n"
        'kind = "fazhi"\n'
        "delay = 0\n",
        encoding="utf-8",
    )
    return str(path)


def run_harvest(path):
    out = io.StringIO()
    try:
        call_command("harvest", path, "--json", "--no-progress", "--retries", "0", stdout=out)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, json.loads(out.getvalue())


def test_harvest_then_reharvest_new_unchanged_changed_gone(site, tmp_path):
    path = sources_file(tmp_path, site)
    status, first = run_harvest(path)
    assert status == 0, first
    assert (first["new"], first["failed"]) == (3, 0)  # /about.html does not match the link pattern
    assert Report.objects.count() == 3 and SourceDocument.objects.count() == 3
    wrapped = SourceDocument.objects.get(url=site.base + wrapper_path("/files/report.docx"))
    assert wrapped.reports.get().original_format == "docx"
    assert wrapped.reports.get().captures.count() == 2

    # Nothing changed: the ETag page answers 304, the others are compared by checksum.
    hits_before = site.hits.get("/art/0.html", 0)
    status, second = run_harvest(path)
    assert status == 0 and second["unchanged"] == 3 and second["new"] == 0
    assert site.hits["/art/0.html"] == hits_before + 1
    assert Report.objects.count() == 3

    # One page changes, one vanishes from the site and from the list.
    title, text = seed_text(1)
    lines = text.splitlines()
    corrected = next(i for i, line in enumerate(lines) if len(line) > 60)
    lines[corrected] += "本段数据已于2022年4月更正。"
    site.add("/art/1.html", report_page(title, "\n".join(lines)))
    del site.pages["/art/0.html"]
    status, third = run_harvest(path)
    assert status == 0
    assert (third["changed"], third["gone"], third["unchanged"]) == (1, 1, 1), third["pages"]
    changed = SourceDocument.objects.get(url=site.base + "/art/1.html")
    versions = list(changed.reports.order_by("fetched_at"))
    assert len(versions) == 2  # the old version is kept
    diff = version_diff(versions[0].original_text, versions[1].original_text)
    added = [line for kind, line in diff if kind == "add"]
    assert len(added) == 1 and added[0].endswith("本段数据已于2022年4月更正。")
    assert any(kind == "remove" for kind, _ in diff)
    gone = SourceDocument.objects.get(url=site.base + "/art/0.html")
    assert gone.gone_since is not None and gone.last_seen is not None
    assert gone.reports.count() == 1  # flagged, never deleted

    # Resumable and idempotent: running again changes nothing more.
    status, fourth = run_harvest(path)
    assert fourth["new"] == fourth["changed"] == 0 and Report.objects.count() == 4


def test_robots_txt_is_obeyed(site):
    site.add("/robots.txt", b"User-agent: *\nDisallow: /art/\n", content_type="text/plain")
    fetcher = PoliteFetcher(retries=0)
    assert not fetcher.allowed(site.base + "/art/0.html")
    assert fetcher.allowed(site.base + "/list.html")


def test_requests_to_one_host_are_spaced_and_retried_with_backoff(site):
    slept = []
    clock = lambda: 0.0  # noqa: E731 - time stands still: every request waits the whole delay
    fetcher = PoliteFetcher(retries=2, backoff=0.5, sleep=slept.append, clock=clock)
    fetcher.delay = 3.0
    fetcher.get(site.base + "/list.html")
    fetcher.get(site.base + "/list.html")
    assert slept == [3.0]
    slept.clear()
    with pytest.raises(Exception):
        fetcher.get(site.base + "/missing.html")  # 404: not transient, no retry
    assert slept == [3.0]
    site.add("/flaky.html", b"busy", status=503)
    slept.clear()
    with pytest.raises(Exception):
        fetcher.get(site.base + "/flaky.html")
    assert slept == [3.0, 0.5, 3.0, 1.0, 3.0]  # delay, backoff 0.5, delay, backoff 1.0, delay


def test_bad_sources_file_is_refused_clearly(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[[source]]\nname = 'x'\n", encoding="utf-8")
    with pytest.raises(CommandError, match="list_urls"):
        call_command("harvest", str(bad))
    with pytest.raises(ValueError, match="正则"):
        load_sources("[[source]]\nlist_urls=['http://a/']\nlink_pattern='('\n")


def test_admin_shows_versions_with_their_diff_and_the_vanished_flag(site, tmp_path, django_user_model, client):
    path = sources_file(tmp_path, site)
    run_harvest(path)
    title, text = seed_text(1)
    site.add("/art/1.html", report_page(title, text.replace("。", "。\n新增的一段说明文字。", 1)))
    site.pages.pop("/art/0.html")
    run_harvest(path)
    admin = django_user_model.objects.create_superuser("boss", password="pw-123456")
    client.force_login(admin)
    doc = SourceDocument.objects.get(url=site.base + "/art/1.html")
    old, new = doc.reports.order_by("fetched_at")
    page = client.get(f"/admin/reports/report/{new.pk}/change/").content.decode()
    assert "第 2 版" in page and "与上一版本比较" in page
    diff = client.get(f"/admin/reports/report/{old.pk}/diff/{new.pk}/").content.decode()
    assert '<div class="add">+ 新增的一段说明文字。</div>' in diff
    vanished = SourceDocument.objects.get(url=site.base + "/art/0.html").reports.get()
    page = client.get(f"/admin/reports/report/{vanished.pk}/change/").content.decode()
    assert "来源网页已失效" in page
    unrelated = Report.objects.exclude(source_document=doc).first()
    assert client.get(f"/admin/reports/report/{old.pk}/diff/{unrelated.pk}/").status_code == 404
