"""Reports by web address: a careful fetch with httpx, and the attachment behind a wrapper page.

``fetch_report(url)`` returns the bytes to ingest plus every HTTP exchange made on the way
(``Capture``: final URL, time, status, headers, checksum, body) so the archive can keep them
as WARC records.  Limits: connect/read timeouts and a total deadline per response, a size
limit checked on the header and while streaming, at most ``max_redirects`` hops (a loop is
named as one), content recognised by its bytes, never by its Content-Type.

SSRF: every hop's host is resolved once and each address must be public (not private,
loopback, link-local, multicast, reserved or unspecified) unless the host is listed in the
environment setting ``ARCHIVE_FETCH_ALLOWED_HOSTS`` (comma-separated).  The connection then
goes to the address that was checked (Host header and TLS SNI keep the name), so a DNS answer
that changes between the check and the connection cannot redirect it.

A page that only wraps the report (little text of its own, a link to a .pdf/.doc/.docx/
.wps/.ofd attachment) is followed one level: the attachment becomes the report, the page is
kept beside it as a capture.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from reports.ingest.base import IngestError, _err, _size_label

ALLOWED_HOSTS_ENV = "ARCHIVE_FETCH_ALLOWED_HOSTS"
USER_AGENT = "FazhiArchive/1.0 (+archive of government reports; polite harvester)"
_ATTACHMENT_RE = re.compile(r"\.(pdf|docx?|wps|ofd)(?:$|[?#])", re.I)
# A page with less report text than this (CJK characters) and an attachment link only wraps it.
WRAPPER_MAX_CHARS = 300


@dataclass(frozen=True)
class FetchLimits:
    connect_seconds: float = 10.0
    read_seconds: float = 30.0
    total_seconds: float = 60.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5


@dataclass
class Capture:
    """One HTTP response as received (after redirects), for provenance and WARC."""

    url: str  # as asked for
    final_url: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    fetched_at: datetime
    body: bytes
    ip_address: str = ""
    redirects: list[str] = field(default_factory=list)
    role: str = "page"  # "page" or "attachment"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    def header(self, name: str) -> str:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), "")

    @property
    def filename(self) -> str:
        """From Content-Disposition, else the last path segment of the final URL."""
        disposition = self.header("content-disposition")
        if disposition:
            message = Message()
            message["content-disposition"] = disposition
            name = message.get_filename()
            if name:
                return name.replace("/", "_").replace("\\", "_")[-200:]
        segment = unquote(urlsplit(self.final_url).path.rsplit("/", 1)[-1])
        return segment[-200:] or "index.html"


@dataclass
class FetchedReport:
    report: Capture  # the capture whose body becomes the report
    captures: list[Capture]  # everything fetched, in order (wrapper page first)


def allowed_hosts() -> set[str]:
    return {h.strip().lower().rstrip(".") for h in os.environ.get(ALLOWED_HOSTS_ENV, "").split(",") if h.strip()}


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified or not ip.is_global
    )


def check_syntax(url: str):
    """The split URL if it is an http(s) address without credentials; IngestError otherwise."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise _err("url_invalid", f"网址无效：{url[:200]}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _err("url_invalid", f"只能导入 http:// 或 https:// 开头的网址：{url[:200]}")
    if parts.username or parts.password:
        raise _err("url_invalid", "网址中不能包含用户名或密码。")
    return parts


def check_url(url: str) -> tuple[str, str]:
    """(host, the address to connect to) for an allowed URL; IngestError otherwise."""
    parts = check_syntax(url)
    host = parts.hostname.lower().rstrip(".")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise _err("url_dns", f"无法解析网址中的主机名「{host}」。") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if host not in allowed_hosts():
        blocked = [a for a in addresses if not _public(a)]
        if blocked:
            raise _err(
                "url_blocked",
                f"出于安全原因，不能访问内网、本机、链路本地或组播地址（{host} → {blocked[0]}）。"
                f"如确需访问，请把该主机加入 {ALLOWED_HOSTS_ENV}。",
            )
    return host, addresses[0]


def _pinned(url: str, address: str) -> str:
    """The URL with its host replaced by the checked address (the Host header keeps the name)."""
    parts = urlsplit(url)
    literal = f"[{address}]" if ":" in address else address
    netloc = literal + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


def _client(limits: FetchLimits):
    import httpx

    timeout = httpx.Timeout(limits.read_seconds, connect=limits.connect_seconds)
    return httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False, http2=False)


def fetch(
    url: str, *, limits: FetchLimits | None = None, client=None, role: str = "page", headers: dict | None = None
) -> Capture:
    """GET ``url`` following at most ``max_redirects`` redirects, every hop checked.

    ``headers`` are added to the request (conditional GET: If-None-Match / If-Modified-Since);
    a 304 answer is returned as a Capture with status 304 and an empty body.
    """
    import httpx

    limits = limits or FetchLimits()
    own = client is None
    client = client or _client(limits)
    seen: list[str] = []
    current = url.strip()
    try:
        while True:
            if current in seen:
                raise _err("url_redirect_loop", f"网址重定向形成循环（{current[:200]}），无法获取。")
            if len(seen) > limits.max_redirects:
                raise _err("url_redirects", f"网址重定向超过 {limits.max_redirects} 次，无法获取。")
            seen.append(current)
            host, address = check_url(current)
            parts = urlsplit(current)
            request_headers = {
                "Host": parts.netloc.rsplit("@", 1)[-1], "User-Agent": USER_AGENT,
                "Accept-Encoding": "identity", "Accept": "*/*", **(headers or {}),
            }
            extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
            try:
                request = client.build_request(
                    "GET", _pinned(current, address), headers=request_headers, extensions=extensions
                )
                response = client.send(request, stream=True)
            except httpx.TimeoutException:
                raise _err("url_timeout", f"访问网址超时（{current[:200]}），请稍后再试。") from None
            except httpx.HTTPError as exc:
                raise _err("url_failed", f"无法连接网址（{current[:200]}）：{type(exc).__name__}。") from None
            try:
                if response.status_code in (301, 302, 303, 307, 308) and response.headers.get("location"):
                    current = urljoin(current, response.headers["location"])
                    continue
                body = b"" if response.status_code == 304 else _read_body(response, limits, current)
            finally:
                response.close()
            if response.status_code >= 400:
                status = response.status_code
                raise _err("url_status", f"网址返回错误 {status}（{_reason(status)}）：{current[:200]}")
            return Capture(
                url=url, final_url=current, status=response.status_code, reason=response.reason_phrase or "",
                headers=list(response.headers.multi_items()), fetched_at=datetime.now(UTC), body=body,
                ip_address=address, redirects=seen[:-1], role=role,
            )
    finally:
        if own:
            client.close()


def _reason(status: int) -> str:
    return {404: "页面不存在", 403: "禁止访问", 410: "页面已删除", 500: "服务器错误", 503: "服务暂不可用"}.get(
        status, "请求失败"
    )


def _read_body(response, limits: FetchLimits, url: str) -> bytes:
    import httpx

    too_large = f"网址返回的内容超过大小上限（{_size_label(limits.max_bytes)}），未作任何改动。"
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise _err("url_too_large", too_large)
    deadline = time.monotonic() + limits.total_seconds
    chunks, size = [], 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limits.max_bytes:
                raise _err("url_too_large", too_large)
            if time.monotonic() > deadline:
                raise _err("url_timeout", f"下载网址内容超过 {int(limits.total_seconds)} 秒，已中止：{url[:200]}")
            chunks.append(chunk)
    except httpx.TimeoutException:
        raise _err("url_timeout", f"访问网址超时（{url[:200]}），请稍后再试。") from None
    except httpx.HTTPError as exc:
        raise _err("url_failed", f"下载网址内容失败（{url[:200]}）：{type(exc).__name__}。") from None
    return b"".join(chunks)


# --------------------------------------------------------------------------- wrapper pages


def attachment_links(html: bytes, base_url: str) -> list[str]:
    """Links to report attachments, best first (link text naming a report wins)."""
    from bs4 import BeautifulSoup

    from reports.ingest.decoding import decode_text

    try:
        text, _ = decode_text(html)
    except IngestError:
        return []
    soup = BeautifulSoup(text, "lxml")
    found: list[tuple[int, int, str]] = []
    for order, link in enumerate(soup.find_all("a", href=True)):
        href = link["href"].strip()
        if not _ATTACHMENT_RE.search(href) and not _ATTACHMENT_RE.search(link.get_text() or ""):
            continue
        absolute = urljoin(base_url, href)
        if urlsplit(absolute).scheme not in ("http", "https"):
            continue
        label = link.get_text(" ", strip=True)
        score = 0 if "报告" in label else 1
        found.append((score, order, absolute))
    return list(dict.fromkeys(url for _, _, url in sorted(found)))


def _cjk_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def fetch_report(url: str, *, limits: FetchLimits | None = None, first: Capture | None = None) -> FetchedReport:
    """The report behind ``url``: the page itself, or the attachment a wrapper page links to.

    ``first``: the response for ``url`` when the caller already has it (harvesting).
    """
    from reports.ingest import ingest_bytes
    from reports.ingest.sniffing import looks_like_html

    limits = limits or FetchLimits()
    with _client(limits) as client:
        page = first or fetch(url, limits=limits, client=client)
        if not looks_like_html(page.body, ".html"):
            return FetchedReport(report=page, captures=[page])
        try:
            own_text = ingest_bytes(page.body, filename="page.html", max_bytes=limits.max_bytes).text
        except IngestError:
            own_text = ""
        links = attachment_links(page.body, page.final_url)
        if _cjk_count(own_text) >= WRAPPER_MAX_CHARS or not links:
            if _cjk_count(own_text) < 20:
                raise _err("url_no_report", "网页中没有找到报告正文，也没有报告附件的链接，无法导入。")
            return FetchedReport(report=page, captures=[page])
        errors = []
        for link in links[:3]:
            try:
                attachment = fetch(link, limits=limits, client=client, role="attachment")
            except IngestError as exc:
                errors.append(exc.message)
                continue
            return FetchedReport(report=attachment, captures=[page, attachment])
        raise _err("url_attachment", f"网页只包含报告附件的链接，但附件无法获取：{errors[0]}")
