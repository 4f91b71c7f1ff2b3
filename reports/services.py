"""The one write path for reports: admin, management commands and the API all call these.

Each function is keyword-only and atomic: a report is saved whole (report, sections, original
file) or not at all.  Index updates follow the commit (search/indexing.py listens to the
models' signals), so a rolled-back import never reaches the index.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from reports.cleantext import strip_controls
from reports.gazetteer import Jurisdiction
from reports.hooks import SectionOutline, classify_topics, is_topic, sections_stored
from reports.ingest import IngestedText, IngestError, ingest_bytes
from reports.metadata import ReportMetadata
from reports.models import Region, RegionLevel, Report, ReportKind, Section
from reports.page_metadata import report_fields
from reports.parsing import ParsedReport
from reports.pipeline import read_report

logger = logging.getLogger(__name__)

# Metadata fields an admin may set; a field set by hand is kept when the text is re-parsed.
EDITABLE_METADATA = ("title", "kind", "region", "year", "published", "source_url", "script")


class ImportRefused(ValidationError):
    """An import that must not happen; `code` says why, `existing` names a duplicate."""

    def __init__(self, message: str, *, code: str, existing: Report | None = None):
        super().__init__(message, code=code)
        self.existing = existing


@dataclass
class ReportDraft:
    """Everything the parser made of one file, before anything is saved."""

    ingested: IngestedText
    parsed: ParsedReport
    metadata: ReportMetadata
    checksum: str
    file_checksum: str
    filename: str
    warnings: list[str] = field(default_factory=list)
    page_meta: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.ingested.text

    @property
    def section_count(self) -> int:
        return sum(1 for _ in self.parsed.walk())

    @property
    def is_unstructured(self) -> bool:
        """No Chinese, or no body at all: store only after the caller confirms.  A Chinese text
        without numbered headings is kept as it is (one section, with a notice)."""
        return self.section_count == 0 or "文本中没有中文" in self.ingested.warnings


def text_checksum(text: str) -> str:
    """Checksum of the report's content, so the same report in two encodings is one report."""
    normalised = "\n".join(line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def report_draft(*, data: bytes, filename: str = "", max_bytes: int | None = None) -> ReportDraft:
    """Decode, parse and read metadata from an uploaded file without saving anything.

    Raises IngestError (with a Chinese message) for input that cannot become a report.
    """
    from django.conf import settings

    limit = max_bytes if max_bytes is not None else settings.ARCHIVE_MAX_UPLOAD_BYTES
    ingested = ingest_bytes(data, filename=filename, max_bytes=limit)
    return draft_from_text(
        ingested=ingested,
        file_checksum=hashlib.sha256(data).hexdigest(),
        filename=filename,
    )


def draft_from_text(*, ingested: IngestedText, file_checksum: str, filename: str) -> ReportDraft:
    ingested.text = strip_controls(ingested.text)  # before parsing: checksum and sections agree
    read = read_report(ingested=ingested, filename=filename)
    return ReportDraft(
        ingested=ingested,
        parsed=read.parsed,
        metadata=read.metadata,
        checksum=text_checksum(read.parsed.clean_text),
        file_checksum=file_checksum,
        filename=filename,
        warnings=read.warnings,
        page_meta=read.page_meta,
    )


def region_for_jurisdiction(jurisdiction: Jurisdiction | None) -> Region | None:
    """The Region row for the deepest place the gazetteer resolved, creating the chain."""
    if jurisdiction is None or jurisdiction.deepest is None:
        return None
    parent = None
    for place in jurisdiction.deepest.chain():
        parent, _ = Region.objects.get_or_create(
            parent=parent,
            name=place.name,
            defaults={"level": place.level, "code": place.code or ""},
        )
    return parent


def region_from_names(names: list[str] | dict[int, str]) -> Region:
    """Region chain from names an admin typed, province first.

    `names` is a list (levels taken from the gazetteer, else from the position) or a mapping
    level → name (so 中山市 > 港口镇 can skip the county level).  Where the gazetteer knows the
    chain, its levels and division codes are used.
    """
    from reports.gazetteer import find_places

    if isinstance(names, dict):
        wanted = [(level, name.strip()) for level, name in sorted(names.items()) if name and name.strip()]
    else:
        wanted = [
            (min(depth, RegionLevel.TOWN), name.strip())
            for depth, name in enumerate(names, start=1)
            if name.strip()
        ]
    if not wanted:
        raise ValidationError("请至少填写一级地区名称。")
    plain_names = [name for _, name in wanted]
    for place in find_places(plain_names[-1]):
        if [p.name for p in place.chain()] == plain_names:
            parent = None
            for node in place.chain():
                parent, _ = Region.objects.get_or_create(
                    parent=parent, name=node.name, defaults={"level": node.level, "code": node.code or ""}
                )
            return parent
    parent = None
    for level, name in wanted:
        parent, _ = Region.objects.get_or_create(parent=parent, name=name, defaults={"level": level})
    return parent


def find_duplicate(checksum: str) -> Report | None:
    return Report.objects.filter(checksum=checksum).first()


@transaction.atomic
def report_import(
    *,
    draft: ReportDraft,
    data: bytes | None = None,
    uploaded_by=None,
    overrides: dict | None = None,
    confirm_unstructured: bool = False,
    source_url: str = "",
    captures: list | None = None,
) -> Report:
    """Save a draft as a Report with its sections and original file, all or nothing.

    `overrides` holds admin-set metadata (title, kind, region, year, published, source_url,
    script); they win over what was extracted and are remembered as locked fields.
    """
    overrides = {k: v for k, v in (overrides or {}).items() if v not in (None, "")}
    unknown = set(overrides) - set(EDITABLE_METADATA)
    if unknown:
        raise ValueError(f"unknown metadata fields: {sorted(unknown)}")

    existing = find_duplicate(draft.checksum)
    if existing is not None:
        raise ImportRefused(
            f"重复的报告：与已收录的《{existing.title}》内容相同。", code="duplicate", existing=existing
        )
    if draft.is_unstructured and not confirm_unstructured:
        raise ImportRefused(
            "未识别出中文或正文；如确认导入为单节报告，请勾选确认后再保存。", code="unstructured"
        )

    meta = draft.metadata
    report = Report(
        title=meta.title,
        title_generated=meta.title_generated,
        kind=meta.kind or ReportKind.OTHER,
        region=region_for_jurisdiction(meta.jurisdiction),
        reporting_body=meta.reporting_body[:200],
        body_kind=meta.body_kind,
        department=meta.department[:100],
        year=meta.year,
        published=meta.published,
        source_url=source_url or draft.ingested.page_meta.get("source_url", ""),
        original_text=draft.text,
        original_filename=draft.filename[:255],
        original_format=draft.ingested.format,
        original_encoding=draft.ingested.encoding,
        script=meta.script,
        checksum=draft.checksum,
        file_checksum=draft.file_checksum if data is not None else "",
        parse_warnings=draft.warnings,
        created_by=uploaded_by,
        updated_by=uploaded_by,
    )
    _set_page_facts(report, draft.page_meta)
    _apply_provenance(report, draft, captures or [])
    _apply_overrides(report, overrides)
    _settle_region_warning(report, admin_set="region" in (overrides or {}))
    report.full_clean(exclude=["original_file"])
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # a concurrent import of the same text won the race
        existing = find_duplicate(draft.checksum)
        raise ImportRefused("重复的报告：同一内容刚刚已被导入。", code="duplicate", existing=existing) from exc
    _save_sections(report, draft.parsed)
    if captures:
        from reports.provenance import store_captures

        store_captures(report, captures)
    if data is not None:
        _store_original(report, data)
    return report


def _set_page_facts(report: Report, page_meta: dict[str, str]) -> None:
    """发布机构, 索引号, 文号, 来源/栏目 and the whole fact sheet read from the page's furniture."""
    for name, value in report_fields(page_meta).items():
        setattr(report, name, value)


def _apply_provenance(report: Report, draft: ReportDraft, captures: list) -> None:
    meta = draft.ingested.page_meta
    if meta.get("ocr_engine"):
        report.ocr_engine = meta["ocr_engine"][:100]
        report.ocr_confidence = float(meta.get("ocr_confidence") or 0)
    if captures:
        report.fetched_at = captures[0].fetched_at
        if not report.source_url and len(captures[0].final_url) <= 500:
            report.source_url = captures[0].final_url


def _apply_overrides(report: Report, overrides: dict) -> None:
    for name, value in overrides.items():
        if name == "region" and not isinstance(value, Region):
            value = Region.objects.get(pk=value)
        setattr(report, name, value)
        if name == "title":
            report.title_generated = False
    report.locked_fields = sorted(set(report.locked_fields) | set(overrides))


def _store_original(report: Report, data: bytes) -> None:
    """Write the original bytes unchanged, as the last step of an import.

    Everything that can fail has run by now; should the row update still fail, the file is
    removed again so no orphan is left behind.
    """
    report.original_file.save(_safe_filename(report.original_filename or "original"), ContentFile(data), save=False)
    try:
        Report.objects.filter(pk=report.pk).update(original_file=report.original_file.name)
    except Exception:
        report.original_file.storage.delete(report.original_file.name)
        raise


def _safe_filename(name: str) -> str:
    keep = "".join(ch for ch in name if ch not in '/\\\0:*?"<>|').strip() or "original"
    return keep[-120:]


def _save_sections(report: Report, parsed: ParsedReport) -> None:
    """Insert the section tree in document order; parents first so children can point at them."""
    flat = list(parsed.walk())
    parent_index = _parent_indices(parsed)
    topics = classify_topics(
        [
            SectionOutline(heading=s.heading, text=s.text, level=s.level, parent_index=parent_index[i])
            for i, s in enumerate(flat)
        ]
    )
    created: list[Section] = []
    for order, (parsed_section, topic) in enumerate(zip(flat, topics)):
        pi = parent_index[order]
        section = Section(
            report=report,
            parent=created[pi] if pi is not None else None,
            level=parsed_section.level,
            number=parsed_section.number[:20],
            path=parsed_section.path,
            heading=parsed_section.heading[:500],
            text=parsed_section.text,
            order=order,
            topic=topic,
        )
        section.save()
        created.append(section)
    sections_stored.send(sender=Report, report=report)


def _parent_indices(parsed: ParsedReport) -> list[int | None]:
    indices: list[int | None] = []
    counter = 0

    def visit(sections, parent):
        nonlocal counter
        for section in sections:
            me = counter
            indices.append(parent)
            counter += 1
            visit(section.children, me)

    visit(parsed.sections, None)
    return indices


def _settle_region_warning(report: Report, *, admin_set: bool) -> None:
    """The parser's 未能确定地区 is answered once an admin has set the region."""
    if admin_set and report.region_id is not None and report.parse_warnings:
        report.parse_warnings = [w for w in report.parse_warnings if not str(w).startswith("未能确定地区")]


@transaction.atomic
def report_update_metadata(*, report: Report, changes: dict, user=None) -> Report:
    """Admin edits of metadata: saved and remembered as locked against re-parsing."""
    changed = {k: v for k, v in changes.items() if getattr(report, k) != v}
    for name, value in changed.items():
        setattr(report, name, value)
    report.locked_fields = sorted(set(report.locked_fields) | set(changed))
    _settle_region_warning(report, admin_set="region" in changed)
    if "title" in changed:
        report.title_generated = False
    report.updated_by = user
    report.full_clean(exclude=["original_file", "checksum"])
    report.save()
    return report


@transaction.atomic
def report_replace_text(*, report: Report, text: str, user=None) -> Report:
    """Re-parse edited text in one transaction, keeping admin-set metadata and topic overrides."""
    from reports.ingest import IngestedText

    ingested = IngestedText(text=text, format="text", encoding="utf-8", warnings=[], page_meta={})
    draft = draft_from_text(ingested=ingested, file_checksum=report.file_checksum, filename=report.original_filename)
    duplicate = Report.objects.filter(checksum=draft.checksum).exclude(pk=report.pk).first()
    if duplicate is not None:
        raise ImportRefused(
            f"修改后的内容与已收录的《{duplicate.title}》相同。", code="duplicate", existing=duplicate
        )
    overridden_topics = {
        s.path: s.topic for s in report.sections.filter(topic_overridden=True)
    }
    meta = draft.metadata
    extracted = {
        "title": meta.title,
        "kind": meta.kind,
        "region": region_for_jurisdiction(meta.jurisdiction),
        "reporting_body": meta.reporting_body[:200],
        "body_kind": meta.body_kind,
        "department": meta.department[:100],
        "year": meta.year,
        "published": meta.published,
        "script": meta.script,
    }
    for name, value in extracted.items():
        if name not in report.locked_fields:
            setattr(report, name, value)
    if "title" not in report.locked_fields:
        report.title_generated = meta.title_generated
    if report_fields(draft.page_meta)["page_metadata"]:     # edited text without its page keeps the old facts
        _set_page_facts(report, draft.page_meta)
    report.original_text = draft.text
    report.checksum = draft.checksum
    report.parse_warnings = draft.warnings
    _settle_region_warning(report, admin_set="region" in report.locked_fields)
    report.updated_by = user
    report.full_clean(exclude=["original_file"])
    report.save()
    report.sections.all().delete()
    _save_sections(report, draft.parsed)
    for path, topic in overridden_topics.items():
        report.sections.filter(path=path).update(topic=topic, topic_overridden=True)
    return report


@transaction.atomic
def report_delete(*, report: Report) -> None:
    """Delete a report; its original file goes once the deletion has committed."""
    stored = report.original_file.name if report.original_file else ""
    storage = report.original_file.storage
    report.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def section_set_topic(*, section: Section, topic: str) -> Section:
    if not is_topic(topic):
        raise ValidationError(f"未知主题：{topic}")
    section.topic = topic
    section.topic_overridden = True
    section.save(update_fields=["topic", "topic_overridden"])
    return section


__all__ = [
    "ImportRefused",
    "IngestError",
    "ReportDraft",
    "report_draft",
    "report_import",
    "report_update_metadata",
    "report_replace_text",
    "report_delete",
    "section_set_topic",
    "region_for_jurisdiction",
    "region_from_names",
    "text_checksum",
]
