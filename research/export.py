"""Search results as CSV / JSON Lines: one row per matching section, streamed.

``export_rows`` walks every match of a search (``research.matches.iter_matches``) and
yields plain dicts; ``csv_chunks`` / ``jsonl_chunks`` turn them into text chunks for a
``StreamingHttpResponse``, so memory stays flat however large the result set.

* At most ``MAX_ROWS`` rows; when the cap is reached a last line says so (CSV: a row whose
  first cell starts with ``#``; JSONL: an object with a ``note`` key).
* An empty or unsearchable query gives the header only (CSV) / an empty file (JSONL).
* Snippets are plain text (the search page's snippet without its HTML).
* CSV cells that a spreadsheet would run as a formula (leading = + - @) get a leading
  apostrophe (OWASP "CSV injection"); JSONL values are exact.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator

from reports.models import RegionLevel
from research.matches import has_query, iter_matches
from search import service

MAX_ROWS = 50_000
# Bytes of cell text one export may carry (80 OR'd common characters gave 20 MB and 28 s).
MAX_BYTES = 8 * 1024 * 1024
CSV_BOM = "\ufeff"
TRUNCATED_NOTE = (
    f"已达导出上限 {MAX_ROWS:,} 行，其余结果未导出；请缩小检索范围（地区、年度、类型）后分批导出。"
)
BYTES_NOTE = "已达导出上限 {mb} MB，其余结果未导出；请缩小检索范围（地区、年度、类型）后分批导出。"

FIELDS = [
    "report_id",
    "title",
    "jurisdiction",
    "province",
    "city",
    "county",
    "town",
    "level",
    "year",
    "kind",
    "published",
    "report_url",
    "section_path",
    "section_heading",
    "snippet",
    "permalink",
    # Timeliness against the 1 April deadline (research/timeliness.py)
    "timeliness",
    "days_late",
]
# The CSV's header row is Chinese, as the figures CSV's is (a spreadsheet reader sees these);
# JSON Lines keeps the field names above as its keys.
CSV_HEADERS = {
    "report_id": "报告编号", "title": "报告标题", "jurisdiction": "地区", "province": "省级", "city": "地级",
    "county": "县级", "town": "乡级", "level": "行政层级", "year": "年度", "kind": "报告类型",
    "published": "发布日期", "report_url": "报告链接", "section_path": "章节", "section_heading": "章节标题",
    "snippet": "摘要", "permalink": "章节链接", "timeliness": "公开时限", "days_late": "逾期天数",
}
LEVEL_KEYS = {
    RegionLevel.PROVINCE: "province",
    RegionLevel.CITY: "city",
    RegionLevel.COUNTY: "county",
    RegionLevel.TOWN: "town",
}
LEVEL_LABELS = dict(RegionLevel.choices)
_TAG = re.compile(r"<[^>]*>")


def plain_snippet(snippet_html: str) -> str:
    """The search snippet as plain text: our <mark> tags removed, entities decoded."""
    return html.unescape(_TAG.sub("", snippet_html or ""))


def report_columns(report, absolute: Callable[[str], str]) -> dict:
    names = {"jurisdiction": "", "province": "", "city": "", "county": "", "town": "", "level": ""}
    if report.region_id:
        region = report.region
        names["jurisdiction"] = region.full_name
        names["level"] = LEVEL_LABELS.get(region.level, "")
        for node in region.ancestors():
            names[LEVEL_KEYS[node.level]] = node.name
    return {
        "report_id": report.pk,
        "title": report.title,
        **names,
        "year": report.year,
        "kind": report.get_kind_display(),
        "published": report.published.isoformat() if report.published else "",
        "report_url": absolute(report.get_absolute_url()),
        **_timeliness_columns(report),
    }


def _timeliness_columns(report) -> dict:
    from research.instruments import report_timeliness

    result = report_timeliness(report)
    if result is None:
        return {"timeliness": "", "days_late": ""}
    return {"timeliness": result.status, "days_late": result.days_late if result.status == "late" else ""}


def export_rows(
    params: service.SearchParams,
    absolute: Callable[[str], str],
    *,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
) -> Iterator[dict]:
    """Rows for every matching section; a final ``{"note": ...}`` when ``max_rows`` rows or
    ``max_bytes`` bytes of cell text (``row_bytes``) are reached."""
    if not has_query(params):
        return
    emitted = size = 0
    for hit in iter_matches(params, sections=True):
        base = report_columns(hit.report, absolute)
        for section in hit.sections:
            if emitted >= max_rows:
                yield {"note": TRUNCATED_NOTE.replace(f"{MAX_ROWS:,}", f"{max_rows:,}")}
                return
            row = {
                **base,
                "section_path": section.path,
                "section_heading": section.heading,
                "snippet": plain_snippet(section.snippet_html),
                "permalink": absolute(section.url) if section.url else "",
            }
            size += row_bytes(row)
            if size > max_bytes:
                yield {"note": BYTES_NOTE.format(mb=f"{max_bytes / (1024 * 1024):.3g}")}
                return
            yield row
            emitted += 1


def row_bytes(row: dict) -> int:
    """UTF-8 bytes of a row's cells (the CSV and JSONL framing adds a little on top)."""
    return sum(len(str(v).encode()) for v in row.values() if v is not None)


class _Line:
    """A file-like object for csv.writer that hands back what it was given."""

    def write(self, value: str) -> str:
        return value


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_chunks(rows: Iterable[dict], *, batch: int = 200) -> Iterator[str]:
    """UTF-8 CSV text with a BOM (Excel opens it as UTF-8), in chunks of ``batch`` rows."""
    writer = csv.writer(_Line())
    yield CSV_BOM + writer.writerow([CSV_HEADERS.get(name, name) for name in FIELDS])
    buf: list[str] = []
    for row in rows:
        if "note" in row:
            buf.append(writer.writerow(["# " + row["note"]]))
        else:
            buf.append(writer.writerow([_csv_cell(row.get(name)) for name in FIELDS]))
        if len(buf) >= batch:
            yield "".join(buf)
            buf = []
    if buf:
        yield "".join(buf)


def jsonl_chunks(rows: Iterable[dict], *, batch: int = 200) -> Iterator[str]:
    """One JSON object per line (UTF-8, not ASCII-escaped)."""
    buf: list[str] = []
    for row in rows:
        buf.append(json.dumps(row, ensure_ascii=False) + "\n")
        if len(buf) >= batch:
            yield "".join(buf)
            buf = []
    if buf:
        yield "".join(buf)
