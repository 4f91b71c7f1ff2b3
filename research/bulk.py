"""Bulk data: the whole archive as gzip'd JSON Lines, and loading such a dump back.

Format (``FORMAT``): one JSON object per line, one line per report, with its metadata, its
region chain (province first, with levels and division codes), its full text and every
section (path, parent path, level, number, heading, text, order, topic).  Original files
are left out unless asked for (``originals=True``: base64 in ``original_file_base64``).

Loading goes through the one write path, ``reports.services``: the text is parsed again
(``draft_from_text``) and imported with the dump's metadata as overrides, so a loaded report
is exactly what an import of the same text with the same hand-set metadata gives.  Then the
bookkeeping the import cannot know is restored (which fields an admin had locked, whether the
title was generated, the capture date, the file checksum, topic overrides).  A report whose
text is already present (same checksum) is skipped; a report whose sections parse
differently from the dump (the parser changed since) is loaded with a warning.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.dateparse import parse_datetime

from reports.models import RegionLevel, Report

FORMAT = "fazhi-archive-dump/1"
CACHE_DIRNAME = "exports"
CACHE_PREFIX = "reports-"


# ---------------------------------------------------------------------------
# Dump
# ---------------------------------------------------------------------------


def report_record(report: Report, *, originals: bool = False) -> dict:
    sections = sorted(report.sections.all(), key=lambda s: s.order)
    paths = {s.pk: s.path for s in sections}
    record = {
        "format": FORMAT,
        "id": report.pk,
        "title": report.title,
        "title_generated": report.title_generated,
        "kind": report.kind,
        "year": report.year,
        "published": report.published.isoformat() if report.published else None,
        "source_url": report.source_url,
        "region": [{"name": r.name, "level": r.level, "code": r.code} for r in report.region.ancestors()]
        if report.region_id
        else [],
        "script": report.script,
        "checksum": report.checksum,
        "file_checksum": report.file_checksum,
        "original_filename": report.original_filename,
        "original_format": report.original_format,
        "original_encoding": report.original_encoding,
        "parse_warnings": report.parse_warnings,
        "locked_fields": report.locked_fields,
        "created_at": report.created_at.isoformat() if report.created_at else None,
        "updated_at": report.updated_at.isoformat() if report.updated_at else None,
        "original_text": report.original_text,
        "sections": [
            {
                "path": s.path,
                "parent_path": paths.get(s.parent_id) if s.parent_id else None,
                "level": s.level,
                "number": s.number,
                "heading": s.heading,
                "text": s.text,
                "order": s.order,
                "topic": s.topic,
                "topic_overridden": s.topic_overridden,
            }
            for s in sections
        ],
    }
    if originals and report.original_file:
        with report.original_file.open("rb") as fh:
            record["original_file_base64"] = base64.b64encode(fh.read()).decode("ascii")
    return record


def dump_queryset():
    return Report.objects.with_region().prefetch_related("sections").order_by("pk")


def iter_dump_lines(reports: Iterable[Report] | None = None, *, originals: bool = False) -> Iterator[bytes]:
    """UTF-8 JSON lines (uncompressed), one per report."""
    if reports is None:
        reports = dump_queryset().iterator(chunk_size=100)
    for report in reports:
        yield (json.dumps(report_record(report, originals=originals), ensure_ascii=False) + "\n").encode(
            "utf-8"
        )


def write_dump(target, *, originals: bool = False, progress=None) -> int:
    """Write a gzip'd dump to a path or binary file object; return the number of reports."""
    n = 0
    with gzip.open(target, "wb", compresslevel=6) as out:
        for line in iter_dump_lines(originals=originals):
            out.write(line)
            n += 1
            if progress is not None:
                progress(n)
    return n


def cached_dump(stamp: str) -> Path:
    """The dump for the archive state ``stamp`` under ARCHIVE_DATA_DIR/exports, made if missing.

    Written to a temporary file and renamed, so concurrent downloads never see half a file;
    dumps of older states are removed.
    """
    directory = Path(settings.ARCHIVE_DATA_DIR) / CACHE_DIRNAME
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{CACHE_PREFIX}{stamp}.jsonl.gz"
    if path.exists():
        return path
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".jsonl.gz")
    try:
        with os.fdopen(fd, "wb") as fh:
            write_dump(fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    for old in directory.glob(f"{CACHE_PREFIX}*.jsonl.gz"):
        if old != path:
            old.unlink(missing_ok=True)
    return path


# ---------------------------------------------------------------------------
# Load
# ---------------------------------------------------------------------------


@dataclass
class LoadOutcome:
    status: str  # "loaded", "skipped" (already present) or "failed"
    title: str = ""
    report_id: int | None = None
    message: str = ""
    warnings: list[str] = field(default_factory=list)


def read_dump(source) -> Iterator[tuple[int, dict | None, str]]:
    """(line number, record or None, error) for each non-empty line; gzip or plain JSONL."""
    if isinstance(source, (str, Path)):
        fh = open(source, "rb")
    else:
        fh = source
    try:
        head = fh.peek(2)[:2] if hasattr(fh, "peek") else b""
        if not head and fh.seekable():
            head = fh.read(2)
            fh.seek(0)
        stream = gzip.GzipFile(fileobj=fh) if head == b"\x1f\x8b" else fh
        text = io.TextIOWrapper(stream, encoding="utf-8")
        for number, line in enumerate(text, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                yield number, None, f"不是有效的 JSON：{exc}"
                continue
            if not isinstance(record, dict) or record.get("format") != FORMAT:
                yield number, None, f"不是 {FORMAT} 格式的记录"
                continue
            yield number, record, ""
    finally:
        if isinstance(source, (str, Path)):
            fh.close()


def _region(record: dict):
    from reports.services import region_from_names

    chain = record.get("region") or []
    if not chain:
        return None
    names = {int(node["level"]): node["name"] for node in chain if node.get("name")}
    if any(level not in RegionLevel.values for level in names):
        raise ValueError(f"invalid region levels in dump: {sorted(names)}")
    return region_from_names(names)


def load_record(record: dict) -> LoadOutcome:
    """Import one dumped report through reports.services (all or nothing)."""
    from reports.ingest import IngestedText
    from reports.services import (
        ImportRefused,
        draft_from_text,
        find_duplicate,
        report_import,
        section_set_topic,
    )

    title = str(record.get("title") or "")
    text = record.get("original_text") or ""
    if not text.strip():
        return LoadOutcome("failed", title, message="记录没有正文（original_text）。")
    ingested = IngestedText(
        text=text,
        format=record.get("original_format") or "text",
        encoding=record.get("original_encoding") or "",
        warnings=[],
        page_meta={},
    )
    draft = draft_from_text(
        ingested=ingested,
        file_checksum=record.get("file_checksum") or "",
        filename=record.get("original_filename") or "",
    )
    existing = find_duplicate(draft.checksum)
    if existing is not None:
        return LoadOutcome("skipped", title, existing.pk, "已存在相同内容的报告。")
    data = base64.b64decode(record["original_file_base64"]) if record.get("original_file_base64") else None
    with transaction.atomic():
        published = record.get("published")
        overrides = {
            "title": title,
            "kind": record.get("kind"),
            "region": _region(record),
            "year": record.get("year"),
            "published": date.fromisoformat(published) if published else None,
            "source_url": record.get("source_url") or "",
            "script": record.get("script"),
        }
        try:
            report = report_import(draft=draft, data=data, overrides=overrides, confirm_unstructured=True)
        except ImportRefused as exc:
            if exc.code == "duplicate":
                return LoadOutcome(
                    "skipped", title, exc.existing.pk if exc.existing else None, exc.messages[0]
                )
            raise
        # Bookkeeping the import cannot know: restore it as dumped.
        restore = {
            "locked_fields": list(record.get("locked_fields") or []),
            "title_generated": bool(record.get("title_generated")),
            "file_checksum": record.get("file_checksum") or "",
        }
        created = parse_datetime(record.get("created_at") or "")
        if isinstance(created, datetime):
            restore["created_at"] = created
        if isinstance(record.get("parse_warnings"), list):
            restore["parse_warnings"] = record["parse_warnings"]
        Report.objects.filter(pk=report.pk).update(**restore)
        for item in record.get("sections") or []:
            if item.get("topic_overridden") and item.get("topic"):
                section = report.sections.filter(path=item["path"]).first()
                if section is not None:
                    section_set_topic(section=section, topic=item["topic"])
    outcome = LoadOutcome("loaded", report.title, report.pk)
    if draft.checksum != record.get("checksum"):
        outcome.warnings.append("内容校验和与导出时不同。")
    dumped = [(s.get("path"), s.get("heading"), s.get("text")) for s in record.get("sections") or []]
    loaded = list(report.sections.order_by("order").values_list("path", "heading", "text"))
    if dumped and dumped != [tuple(x) for x in loaded]:
        outcome.warnings.append("章节划分与导出时不同（解析程序可能已更新），已按当前解析结果导入。")
    return outcome
