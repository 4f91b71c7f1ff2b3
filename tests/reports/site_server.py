"""A small government site on a loopback HTTP server, built from the seed reports.

Pages: a list page, report pages with chrome (nav, breadcrumbs, footer), a wrapper page per
attachment kind (.docx/.pdf/.doc/.ofd), a slow page, a 404, a redirect, a redirect loop, a
redirect to a host that is not allowed, an endless response, and a page whose content the
test can change or remove between two fetches (``site.pages[path] = ...``).
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.reports.conftest import SEED_FILES

CHROME_TOP = (
    '<div class="header"><a href="/">首页</a> <a href="/list.html">政务公开</a> 欢迎访问某某市人民政府门户网站</div>'
    '<div class="crumbs">当前位置：首页 &gt; 政务公开 &gt; 法治政府建设</div>'
)
CHROME_BOTTOM = '<div class="footer">主办：某某市人民政府办公室　网站标识码：1234567890　ICP备案号：京ICP备00000000号</div>'


def report_page(title: str, body: str, *, published: str = "2021-03-30") -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in body.splitlines() if line.strip())
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta name='PubDate' content='{published}'></head><body>{CHROME_TOP}"
        f"<div class='article'><h1>{title}</h1><div class='info'>发布时间：{published}</div>"
        f"<div class='content'>{paragraphs}</div></div>{CHROME_BOTTOM}</body></html>"
    ).encode("utf-8")


def wrapper_page(title: str, href: str, label: str) -> bytes:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>{CHROME_TOP}"
        f"<div class='article'><h1>{title}</h1><p>附件：<a href='{href}'>{label}</a></p></div>"
        f"{CHROME_BOTTOM}</body></html>"
    ).encode("utf-8")


def seed_text(index: int) -> tuple[str, str]:
    text = SEED_FILES[index].read_text(encoding="utf-8")
    title = next(line.strip() for line in text.splitlines() if line.strip())
    return title, text


class Site:
    def __init__(self):
        self.pages: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.hits: dict[str, int] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def add(self, path: str, body: bytes, *, status: int = 200, content_type: str = "text/html; charset=utf-8",
            headers: dict | None = None) -> str:
        self.pages[path] = (status, {"Content-Type": content_type, **(headers or {})}, body)
        return self.base + path

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet test output
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                path = self.path.split("?", 1)[0]
                site.hits[path] = site.hits.get(path, 0) + 1
                if path == "/slow.html":
                    time.sleep(3)
                if path == "/endless.bin":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/pdf")
                    self.end_headers()
                    chunk = b"%PDF-1.4\n" + b"0" * (1024 * 1024)
                    try:
                        for _ in range(200):  # 200 MB, never sent whole: the client stops first
                            self.wfile.write(chunk)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    self.close_connection = True
                    return
                if path not in site.pages:
                    body = "<html><body>404 页面不存在</body></html>".encode()
                    self.send_response(404)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                status, headers, body = site.pages[path]
                etag = headers.get("ETag")
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
                    pass

        return Handler

    def start(self) -> Site:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def wrapper_path(attachment: str) -> str:
    """/files/report.pdf -> /wrap/report-pdf.html"""
    return "/wrap/" + attachment.rsplit("/", 1)[-1].replace(".", "-") + ".html"


def build_site(attachments: dict[str, tuple[bytes, str]] | None = None) -> Site:
    """The standard site; ``attachments`` maps a path (/files/r.pdf) to (bytes, content type)."""
    site = Site()
    links = []
    for index in range(2):
        title, text = seed_text(index)
        path = f"/art/{index}.html"
        site.add(path, report_page(title, text))
        links.append(f"<li><a href='{path}'>{title}</a></li>")
    for path, (data, content_type) in (attachments or {}).items():
        site.add(path, data, content_type=content_type)
        wrapper = wrapper_path(path)
        site.add(wrapper, wrapper_page("关于公布法治政府建设年度报告的通知", path, "法治政府建设年度报告" + path[-5:]))
    site.add("/list.html", ("<html><head><meta charset='utf-8'><title>法治政府建设</title></head><body><ul>"
                            + "".join(links) + "</ul></body></html>").encode("utf-8"))
    site.add("/slow.html", report_page(*seed_text(0)))
    site.add("/moved", b"", status=302, headers={"Location": "/art/0.html"})
    site.add("/loop-a", b"", status=302, headers={"Location": "/loop-b"})
    site.add("/loop-b", b"", status=302, headers={"Location": "/loop-a"})
    site.add("/empty.html", "<html><head><meta charset='utf-8'><title>空页面</title></head><body><div>欢迎</div></body></html>"
             .encode("utf-8"))
    return site.start()
