"""Harvesting: bring in the reports a site lists, and notice when they change or vanish.

A sources file (TOML) lists sites::

    [[source]]
    name = "某某市人民政府"                      # shown in summaries and kept on each page
    list_urls = ["https://www.example.gov.cn/col/col123/index.html"]
    link_pattern = '/art/\\d{4}/\\d+/\\d+/art_\\d+\\.html$'   # regex on the absolute URL
    jurisdiction = "江苏省>苏州市"                 # optional: fixed jurisdiction for its reports
    kind = "fazhi"                              # optional: fazhi / gwr / xxgk / other
    delay = 2.0                                 # optional: seconds between requests to a host

Polite: robots.txt is obeyed (fetched once per host, through the same SSRF-checked client),
requests to one host are spaced by ``delay``, known pages are asked with a conditional GET
(If-None-Match / If-Modified-Since), timeouts and 5xx answers are retried with backoff.
Resumable and idempotent: what was seen is kept in ``SourceDocument`` rows, so a run that was
cut off is simply started again; a page is one row (duplicates by URL) and a report already
in the archive is never stored twice (duplicates by checksum).

Each page ends in one of: new, unchanged, changed (a new version is stored beside the old
one), gone (404/410: flagged with the date, nothing deleted) or failed.
"""

from __future__ import annotations

import re
import time
import tomllib
import urllib.robotparser
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from reports.ingest import IngestError
from reports.ingest.url import USER_AGENT, FetchedReport, FetchLimits, attachment_links, fetch, fetch_report

OUTCOMES = ("new", "unchanged", "changed", "gone", "failed")


@dataclass
class Source:
    name: str
    list_urls: list[str]
    link_pattern: re.Pattern
    jurisdiction: str = ""
    kind: str = ""
    delay: float = 1.0


@dataclass
class PageResult:
    url: str
    outcome: str
    report: int | None = None
    message: str = ""


@dataclass
class HarvestSummary:
    pages: list[PageResult] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(p.outcome for p in self.pages)
        return {outcome: counted.get(outcome, 0) for outcome in OUTCOMES}


class SourcesError(ValueError):
    """The sources file cannot be used; the message is Chinese."""


def load_sources(text: str) -> list[Source]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"来源文件不是有效的 TOML：{exc}") from None
    sources = []
    for number, entry in enumerate(data.get("source", []), start=1):
        name = str(entry.get("name") or f"来源 {number}")
        urls = entry.get("list_urls") or ([entry["list_url"]] if entry.get("list_url") else [])
        if not urls or not all(isinstance(u, str) for u in urls):
            raise SourcesError(f"来源「{name}」缺少 list_urls（列表页网址）。")
        try:
            pattern = re.compile(entry.get("link_pattern") or r"\.(?:s?html?|pdf|docx?|wps|ofd)$")
        except re.error as exc:
            raise SourcesError(f"来源「{name}」的 link_pattern 不是有效的正则表达式：{exc}") from None
        sources.append(Source(
            name=name, list_urls=list(urls), link_pattern=pattern, jurisdiction=str(entry.get("jurisdiction", "")),
            kind=str(entry.get("kind", "")), delay=float(entry.get("delay", 1.0)),
        ))
    if not sources:
        raise SourcesError("来源文件中没有 [[source]] 条目。")
    return sources


class PoliteFetcher:
    """fetch() with robots.txt, a per-host delay and retries with backoff."""

    def __init__(self, *, limits: FetchLimits | None = None, retries: int = 2, backoff: float = 1.0,
                 sleep=time.sleep, clock=time.monotonic):
        self.limits = limits or FetchLimits()
        self.retries, self.backoff = retries, backoff
        self.sleep, self.clock = sleep, clock
        self.robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self.last_request: dict[str, float] = {}
        self.delay = 1.0

    def _host(self, url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    def _wait_turn(self, url: str) -> None:
        host = self._host(url)
        last = self.last_request.get(host)
        if last is not None:
            remaining = self.delay - (self.clock() - last)
            if remaining > 0:
                self.sleep(remaining)
        self.last_request[host] = self.clock()

    def allowed(self, url: str) -> bool:
        host = self._host(url)
        if host not in self.robots:
            parser = urllib.robotparser.RobotFileParser()
            try:
                self._wait_turn(host)
                capture = fetch(host + "/robots.txt", limits=self.limits)
                parser.parse(capture.body.decode("utf-8", "replace").splitlines())
            except IngestError as exc:
                if exc.code == "url_status":
                    parser = None  # no robots.txt (404): everything allowed
                else:
                    raise
            self.robots[host] = parser
        parser = self.robots[host]
        return parser is None or parser.can_fetch(USER_AGENT, url)

    def _retrying(self, action, url: str):
        for attempt in range(self.retries + 1):
            self._wait_turn(url)
            try:
                return action()
            except IngestError as exc:
                transient = exc.code in ("url_timeout", "url_failed") or (
                    exc.code == "url_status" and re.search(r"错误 5\d\d", exc.message)
                )
                if not transient or attempt == self.retries:
                    raise
                self.sleep(self.backoff * 2 ** attempt)

    def get(self, url: str, headers: dict | None = None):
        return self._retrying(lambda: fetch(url, limits=self.limits, headers=headers), url)

    def get_report(self, url: str, headers: dict | None = None) -> FetchedReport | None:
        """The report behind ``url``; None when the server answered 304 Not Modified."""
        page = self.get(url, headers)
        if page.status == 304:
            return None
        return self._retrying(lambda: fetch_report(url, limits=self.limits, first=page), url)


def list_links(fetcher: PoliteFetcher, source: Source) -> list[str]:
    """Report links on the source's list pages, in page order, without duplicates."""
    from bs4 import BeautifulSoup

    found: list[str] = []
    for list_url in source.list_urls:
        if not fetcher.allowed(list_url):
            continue
        page = fetcher.get(list_url)
        soup = BeautifulSoup(page.body, "lxml")
        for link in soup.find_all("a", href=True):
            absolute = urljoin(page.final_url, link["href"].strip()).split("#", 1)[0]
            if source.link_pattern.search(absolute):
                found.append(absolute)
        found.extend(u for u in attachment_links(page.body, page.final_url) if source.link_pattern.search(u))
    return list(dict.fromkeys(found))


def now() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------- storing


def _overrides(source: Source) -> dict:
    from reports.services import region_from_names

    overrides: dict = {}
    if source.jurisdiction:
        overrides["region"] = region_from_names([n.strip() for n in source.jurisdiction.split(">") if n.strip()])
    if source.kind:
        overrides["kind"] = source.kind
    return overrides


def harvest_page(fetcher: PoliteFetcher, source: Source, url: str, overrides: dict) -> PageResult:
    from django.core.exceptions import ValidationError

    from reports.models import Report, SourceDocument
    from reports.services import ImportRefused, report_draft, report_import

    doc, _ = SourceDocument.objects.get_or_create(url=url[:2000], defaults={"source": source.name})
    doc.last_checked = now()
    try:
        if not fetcher.allowed(url):
            doc.last_error = "robots.txt 不允许抓取该网址。"
            doc.save()
            return PageResult(url, "failed", message=doc.last_error)
        headers = {}
        if doc.etag and doc.checksum:
            headers["If-None-Match"] = doc.etag
        if doc.last_modified and doc.checksum:
            headers["If-Modified-Since"] = doc.last_modified
        fetched = fetcher.get_report(url, headers)
    except IngestError as exc:
        if exc.code == "url_status" and re.search(r"错误 (404|410)", exc.message):
            doc.gone_since = doc.gone_since or now()
            doc.save()
            seen = f"最后可访问：{doc.last_seen:%Y-%m-%d}" if doc.last_seen else "从未成功获取"
            return PageResult(url, "gone", message=f"来源已失效（{seen}）。")
        doc.last_error = exc.message[:300]
        doc.save()
        return PageResult(url, "failed", message=exc.message)
    doc.last_seen, doc.gone_since = now(), None
    if fetched is None:  # 304 Not Modified
        doc.save()
        return PageResult(url, "unchanged", report=_latest(doc), message="未修改（304）。")
    page = fetched.captures[0]
    doc.etag, doc.last_modified = page.header("etag")[:300], page.header("last-modified")[:100]
    checksum = fetched.report.sha256
    had_versions = doc.reports.exists()
    if had_versions and checksum == doc.checksum:
        doc.save()
        return PageResult(url, "unchanged", report=_latest(doc), message="内容未变。")
    try:
        draft = report_draft(data=fetched.report.body, filename=fetched.report.filename)
        report = report_import(
            draft=draft, data=fetched.report.body, overrides=overrides, captures=fetched.captures,
        )
    except ImportRefused as exc:
        if exc.code == "duplicate" and exc.existing is not None:
            if exc.existing.source_document_id is None:
                Report.objects.filter(pk=exc.existing.pk).update(source_document=doc)
            doc.checksum = checksum
            doc.save()
            return PageResult(url, "unchanged", report=exc.existing.pk, message="内容与已收录的报告相同。")
        doc.last_error = exc.messages[0][:300]
        doc.save()
        return PageResult(url, "failed", message=exc.messages[0])
    except IngestError as exc:
        doc.last_error = exc.message[:300]
        doc.save()
        return PageResult(url, "failed", message=exc.message)
    except ValidationError as exc:
        doc.last_error = "；".join(exc.messages)[:300]
        doc.save()
        return PageResult(url, "failed", message=doc.last_error)
    Report.objects.filter(pk=report.pk).update(source_document=doc)
    doc.checksum, doc.last_error = checksum, ""
    doc.save()
    outcome = "changed" if had_versions else "new"
    return PageResult(url, outcome, report=report.pk, message=report.title)


def _latest(doc) -> int | None:
    latest = doc.reports.order_by("-fetched_at", "-pk").values_list("pk", flat=True).first()
    return latest


def harvest(sources: list[Source], *, fetcher: PoliteFetcher | None = None, on_page=None) -> HarvestSummary:
    """Harvest every source; ``on_page(result)`` is called after each page (progress)."""
    from reports.models import SourceDocument

    fetcher = fetcher or PoliteFetcher()
    summary = HarvestSummary()
    for source in sources:
        fetcher.delay = source.delay
        try:
            overrides = _overrides(source)
            links = list_links(fetcher, source)
        except IngestError as exc:
            result = PageResult(", ".join(source.list_urls), "failed", message=f"列表页无法获取：{exc.message}")
            summary.pages.append(result)
            if on_page:
                on_page(result)
            continue
        # Pages seen before but no longer listed are checked too: that is how vanishing shows.
        known = SourceDocument.objects.filter(source=source.name, gone_since__isnull=True).values_list("url", flat=True)
        targets = links + [u for u in known if u not in set(links)]
        for url in targets:
            result = harvest_page(fetcher, source, url, overrides)
            summary.pages.append(result)
            if on_page:
                on_page(result)
    return summary


def version_diff(old_text: str, new_text: str, *, context: int = 2) -> list[tuple[str, str]]:
    """(kind, line) pairs of a line diff, kind one of "same", "add", "remove", "skip"."""
    import difflib

    out: list[tuple[str, str]] = []
    old, new = old_text.splitlines(), new_text.splitlines()
    for group in difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(context):
        if out:
            out.append(("skip", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(("same", line) for line in old[i1:i2])
                continue
            out.extend(("remove", line) for line in old[i1:i2])
            out.extend(("add", line) for line in new[j1:j2])
    return out
