"""Turn the bytes of an uploaded file into plain report text.

Pure package: no Django, no disk writes.  ``ingest_bytes`` detects the format by content
(not by file name), extracts the text and normalises it.  One module per format, each with
``detect`` and ``extract`` behind the small registry in ``registry.py``:

* ``text``: plain text in UTF-8 (with or without BOM), UTF-16/32 with BOM, GB18030/GBK/GB2312
  or Big5 -- detected, never asked for (``decoding``);
* ``docx``: Word ``.docx`` via python-docx (paragraphs, tables row by row, text boxes);
* ``pdf``: PDF via pdfminer.six (text layer, wrapped lines joined, page numbers removed);
* ``html``: saved web pages via BeautifulSoup + lxml (chrome removed, main content kept,
  title/date/URL collected in ``page_meta``).

Bad input only ever raises ``IngestError``, whose ``code`` is a stable machine key and whose
``message`` is a Chinese sentence that can be shown to the admin.
"""

from __future__ import annotations

import dataclasses

from reports.ingest.base import NO_CHINESE_WARNING, IngestedText, IngestError, Limits, _err, _size_label, has_chinese
from reports.ingest.decoding import decode_text
from reports.ingest.docx import _chinese_number  # noqa: F401 - re-exported for tests
from reports.ingest.isolation import check_text_size, run_isolated
from reports.ingest.ocr import needs_ocr
from reports.ingest.registry import formats
from reports.ingest.sniffing import detect_format, extension

__all__ = ["IngestError", "IngestedText", "ingest_bytes", "decode_text", "MAX_PDF_PAGES", "has_chinese"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Work limits; read at every call (so a test or a setting may change them), see base.Limits.
MAX_PDF_PAGES = 500
# Zip-bomb guards for .docx: total uncompressed size, biggest single part, number of parts.
DOCX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
DOCX_MAX_PART = 64 * 1024 * 1024
DOCX_MAX_ENTRIES = 5000
DOCX_MAX_DOCUMENT_XML = 32 * 1024 * 1024
# After decompression: extracted characters, and the child process each parser runs in.
MAX_TEXT_CHARS = 2_000_000
PARSER_CPU_SECONDS = 30
PARSER_MEMORY_BYTES = 768 * 1024 * 1024
PARSER_WALL_SECONDS = 45
# OCR and converters (ocr.py, office.py): pages per file, seconds per file / page / conversion.
OCR_MAX_PAGES = 100
OCR_SECONDS = 900
OCR_PAGE_SECONDS = 120
CONVERT_SECONDS = 120
# Parsers of compressed formats run in a limited child process (isolation.py).
ISOLATE = True


def current_limits(progress_path: str = "") -> Limits:
    return Limits(
        max_pdf_pages=MAX_PDF_PAGES,
        docx_max_uncompressed=DOCX_MAX_UNCOMPRESSED,
        docx_max_part=DOCX_MAX_PART,
        docx_max_entries=DOCX_MAX_ENTRIES,
        docx_max_document_xml=DOCX_MAX_DOCUMENT_XML,
        max_text_chars=MAX_TEXT_CHARS,
        cpu_seconds=PARSER_CPU_SECONDS,
        memory_bytes=PARSER_MEMORY_BYTES,
        wall_seconds=PARSER_WALL_SECONDS,
        ocr_max_pages=OCR_MAX_PAGES,
        ocr_seconds=OCR_SECONDS,
        ocr_page_seconds=OCR_PAGE_SECONDS,
        convert_seconds=CONVERT_SECONDS,
        progress_path=progress_path,
    )


def ocr_probe(data: bytes, limits: Limits | None = None) -> bool:
    """True when ingesting ``data`` will run OCR (slow: the admin preview polls for it)."""
    return needs_ocr(data, limits or current_limits(), isolate=ISOLATE)


def ingest_bytes(
    data: bytes, *, filename: str = "", max_bytes: int = DEFAULT_MAX_BYTES, progress_path: str = ""
) -> IngestedText:
    """Detect the format of an uploaded file by its content and extract plain report text.

    Raises IngestError (and nothing else) for bad input.  OCR writes its progress to
    ``progress_path`` (a JSON file) when given.
    """
    if data is None:
        data = b""
    data = bytes(data)
    if len(data) > max_bytes:
        raise _err("too_large", f"文件超过大小上限（{_size_label(max_bytes)}）。")
    if not data:
        raise _err("empty", "文件为空。")
    if not data.strip(b" \t\r\n\x0b\x0c"):
        raise _err("whitespace", "文件只包含空白字符，没有内容。")

    ext = extension(filename)
    fmt = detect_format(data, ext)
    limits = current_limits(progress_path)
    if fmt.slow or (fmt.name == "pdf" and ocr_probe(data, limits)):
        # OCR and converters spend their time in subprocesses with their own limits; the child
        # that drives them gets the whole OCR budget (plus the parser's own).
        budget = max(limits.ocr_seconds, limits.convert_seconds) + limits.wall_seconds
        limits = dataclasses.replace(limits, wall_seconds=budget, cpu_seconds=budget)
    if fmt.isolated and ISOLATE:
        result = run_isolated(fmt.extract, data, limits, label=fmt.label)
    else:
        result = fmt.extract(data, limits)
        check_text_size(result, limits, fmt.label)

    expected = next((f for f in formats() if ext in f.extensions), None)
    if expected is not None and expected.name != result.format:
        label = fmt.label
        result.warnings.insert(0, f"文件扩展名是 {ext}，但内容是{label}，已按{label}导入。")
    if result.format == "doc" and ext == ".wps":
        result.format = "wps"
    if not has_chinese(result.text):
        result.warnings.append(NO_CHINESE_WARNING)
    return result
