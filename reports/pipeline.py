"""The pure part of an import: parsed text and metadata from ingested text (no Django).

`reports.services.draft_from_text` (the write path) and `reports.measure_fidelity` (the
measurement on real pages) both call `read_report`, so what is measured is what is imported.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.ingest import IngestedText
from reports.metadata import ReportMetadata, extract_metadata
from reports.parsing import ParsedReport, parse_report


@dataclass
class ReadReport:
    parsed: ParsedReport
    metadata: ReportMetadata
    page_meta: dict[str, str]
    warnings: list[str]


def read_report(*, ingested: IngestedText, filename: str = "") -> ReadReport:
    parsed = parse_report(ingested.text)
    page_meta = {**ingested.page_meta, **parsed.page_meta}
    title = parsed.title or ingested.page_meta.get("title") or None
    metadata = extract_metadata(title=title, text=parsed.clean_text, page_meta=page_meta, filename=filename)
    warnings = list(dict.fromkeys([*ingested.warnings, *parsed.warnings, *metadata.warnings]))
    return ReadReport(parsed=parsed, metadata=metadata, page_meta=page_meta, warnings=warnings)
