"""Fetching reports by web address from a real loopback HTTP server (SSRF rules included)."""

from __future__ import annotations

import pytest

from reports.ingest import IngestError, ingest_bytes
from reports.ingest.url import FetchLimits, attachment_links, check_url, fetch, fetch_report
from tests.reports import ingest_samples as samples
from tests.reports.site_server import build_site, seed_text, wrapper_path

PARAGRAPHS = samples.seed_paragraphs(0, 12)


@pytest.fixture(scope="module")
def site():
    attachments = {
        "/files/report.docx": (samples.docx_bytes(PARAGRAPHS), "application/octet-stream"),
        "/files/report.ofd": (samples.ofd_bytes([PARAGRAPHS]), "application/ofd"),
    }
    server = build_site(attachments)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def allow_loopback(monkeypatch):
    monkeypatch.setenv("ARCHIVE_FETCH_ALLOWED_HOSTS", "127.0.0.1")


def test_report_page_is_fetched_with_its_provenance(site):
    fetched = fetch_report(site.base + "/art/0.html")
    capture = fetched.report
    assert fetched.captures == [capture]
    assert capture.status == 200 and capture.final_url == site.base + "/art/0.html"
    assert capture.header("content-type").startswith("text/html")
    assert capture.ip_address == "127.0.0.1"
    assert len(capture.sha256) == 64 and capture.fetched_at.tzinfo is not None
    title, _ = seed_text(0)
    assert title in ingest_bytes(capture.body, filename=capture.filename).text


def test_redirect_is_followed_and_recorded(site):
    capture = fetch(site.base + "/moved")
    assert capture.final_url == site.base + "/art/0.html"
    assert capture.redirects == [site.base + "/moved"]


@pytest.mark.parametrize("path,kind", [("/files/report.docx", "docx"), ("/files/report.ofd", "ofd")])
def test_wrapper_page_follows_the_attachment_one_level_and_keeps_both(site, path, kind):
    wrapper = site.base + wrapper_path(path)
    fetched = fetch_report(wrapper)
    assert [c.role for c in fetched.captures] == ["page", "attachment"]
    assert fetched.captures[0].final_url == wrapper
    assert fetched.report.final_url == site.base + path
    result = ingest_bytes(fetched.report.body, filename=fetched.report.filename)
    assert result.format == kind  # sniffed from the bytes, not from the octet-stream Content-Type
    assert PARAGRAPHS[2].strip()[:20] in result.text


def test_attachment_links_prefer_the_report(site):
    html = "<a href='/a.pdf'>图片说明.pdf</a><a href='files/b.doc'>2021年度报告</a><a href='/c.html'>首页</a>".encode()
    assert attachment_links(html, "http://example.org/x/y.html") == [
        "http://example.org/x/files/b.doc", "http://example.org/a.pdf",
    ]


@pytest.mark.parametrize(
    "path,code,words",
    [
        ("/missing.html", "url_status", "404"),
        ("/loop-a", "url_redirect_loop", "循环"),
        ("/empty.html", "url_no_report", "没有找到报告"),
    ],
)
def test_bad_addresses_get_clear_messages(site, path, code, words):
    with pytest.raises(IngestError) as caught:
        fetch_report(site.base + path)
    assert caught.value.code == code and words in caught.value.message


def test_slow_page_times_out(site):
    with pytest.raises(IngestError) as caught:
        fetch(site.base + "/slow.html", limits=FetchLimits(read_seconds=0.5))
    assert caught.value.code == "url_timeout" and "超时" in caught.value.message


def test_huge_response_is_cut_at_the_size_limit(site):
    with pytest.raises(IngestError) as caught:
        fetch(site.base + "/endless.bin", limits=FetchLimits(max_bytes=2 * 1024 * 1024))
    assert caught.value.code == "url_too_large" and "2 MB" in caught.value.message


def test_too_many_redirects(site):
    for n in range(4):
        site.add(f"/hop{n}", b"", status=301, headers={"Location": f"/hop{n + 1}"})
    site.add("/hop4", b"ok")
    with pytest.raises(IngestError) as caught:
        fetch(site.base + "/hop0", limits=FetchLimits(max_redirects=2))
    assert caught.value.code == "url_redirects"
    assert fetch(site.base + "/hop0").body == b"ok"


# --------------------------------------------------------------------------- SSRF


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/report.pdf",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://224.0.0.1/",
        "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/",
    ],
)
def test_private_loopback_link_local_and_multicast_are_refused(url):
    with pytest.raises(IngestError) as caught:
        check_url(url)
    assert caught.value.code == "url_blocked" and "ARCHIVE_FETCH_ALLOWED_HOSTS" in caught.value.message


def test_loopback_needs_the_setting(site, monkeypatch):
    monkeypatch.delenv("ARCHIVE_FETCH_ALLOWED_HOSTS")
    before = dict(site.hits)
    with pytest.raises(IngestError) as caught:
        fetch(site.base + "/art/0.html")
    assert caught.value.code == "url_blocked"
    assert site.hits == before  # refused before any connection


def test_every_redirect_hop_is_checked(site):
    # 127.0.0.1 is allowed, "localhost" (the same address under another name) is not.
    site.add("/to-localhost", b"", status=302, headers={"Location": f"http://localhost:{site.port}/art/0.html"})
    site.add("/to-metadata", b"", status=302, headers={"Location": "http://169.254.169.254/"})
    for path in ("/to-localhost", "/to-metadata"):
        with pytest.raises(IngestError) as caught:
            fetch(site.base + path)
        assert caught.value.code == "url_blocked"


def test_hostname_resolving_to_loopback_is_refused(monkeypatch):
    import socket

    def fake_getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    with pytest.raises(IngestError) as caught:
        check_url("https://www.gov.example/report.pdf")
    assert caught.value.code == "url_blocked" and "127.0.0.1" in caught.value.message


@pytest.mark.parametrize("url", ["ftp://example.org/a.pdf", "file:///etc/passwd", "javascript:alert(1)", "http://"])
def test_only_http_urls(url):
    with pytest.raises(IngestError) as caught:
        check_url(url)
    assert caught.value.code == "url_invalid"
