"""Shared pieces of every format: the error and result types, limits, text clean-up.

Pure module: no Django, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NO_CHINESE_WARNING = "文本中没有中文"


@dataclass(frozen=True)
class Limits:
    """Bounds on the work one file may cause, passed to every extractor (and to the child
    process that runs it).  ``reports.ingest`` builds it from its module constants."""

    max_pdf_pages: int = 500
    docx_max_uncompressed: int = 200 * 1024 * 1024
    docx_max_part: int = 64 * 1024 * 1024
    docx_max_entries: int = 5000
    docx_max_document_xml: int = 32 * 1024 * 1024
    max_text_chars: int = 2_000_000
    # The child process that runs an extractor (isolation.py).
    cpu_seconds: int = 30
    memory_bytes: int = 768 * 1024 * 1024
    wall_seconds: int = 45
    # OCR (ocr.py): pages per file, seconds per file and per page.
    ocr_max_pages: int = 100
    ocr_seconds: int = 900
    ocr_page_seconds: int = 120
    # External converters (office.py): seconds per call.
    convert_seconds: int = 120
    # Where a long extraction writes {"done": n, "total": N} for the preview to poll ("" = nowhere).
    progress_path: str = ""


class IngestError(Exception):
    """Bad input.  ``code`` is a machine key, ``message`` a Chinese sentence for the admin.

    Codes: empty, whitespace, too_large, binary, unknown_format, corrupt_docx, corrupt_pdf,
    pdf_encrypted, pdf_no_text, undecodable, timeout; OCR: corrupt_image, ocr_missing, ocr_failed,
    ocr_no_text; converters: convert_failed, convert_missing; OFD: corrupt_ofd, ofd_no_text.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"IngestError({self.code!r}, {self.message!r})"


@dataclass
class IngestedText:
    text: str
    format: str  # "text", "docx", "pdf", "html", "image", "doc", "wps", "ofd"
    encoding: str  # "" for docx/pdf
    warnings: list[str] = field(default_factory=list)
    page_meta: dict[str, str] = field(default_factory=dict)


_COMMON_PUNCT = frozenset("，。、；：？！“”‘’（）《》【】—…·　「」『』〈〉％０１２３４５６７８９")
_CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RE = re.compile(f"[{_CJK_RANGES}]")
_CJK_OR_PUNCT = f"{_CJK_RANGES}\u3000-\u303f\uff00-\uffef"
_SPACE_BETWEEN_CJK_RE = re.compile(f"(?<=[{_CJK_OR_PUNCT}])[ \t\u00a0]+(?=[{_CJK_OR_PUNCT}])")
# Control characters that never belong in report text (tab and newline are kept).
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\u200b\ufffe\uffff]")
_NEWLINES_RE = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _err(code: str, message: str) -> IngestError:
    return IngestError(code, message)


def _size_label(n: int) -> str:
    mib = 1024 * 1024
    if n >= mib:
        value = n / mib
        return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} 字节"


def lxml_out_of_memory(exc: Exception) -> bool:
    """libxml2 reports a failed malloc as an XMLSyntaxError ("Memory allocation failed", or
    "unknown error" when it fails while building the error itself), not as MemoryError."""
    message = str(exc).lower()
    return type(exc).__name__ == "XMLSyntaxError" and ("memory" in message or message.startswith("unknown error"))


def has_chinese(text: str) -> bool:
    return _CJK_RE.search(text) is not None


def _clean_text(text: str) -> str:
    """Normalise line ends to "\\n", drop BOM/NUL/control characters and trailing blanks."""
    text = _NEWLINES_RE.sub("\n", text)
    text = _CONTROL_RE.sub("", text)
    lines = [line.rstrip(" \t\u3000\u00a0") for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def _join_lines(lines) -> str:
    """Structured formats: one paragraph per line, stripped, no empty lines."""
    out = []
    for line in lines:
        line = _CONTROL_RE.sub("", _NEWLINES_RE.sub("\n", line))
        for part in line.split("\n"):
            part = part.strip(" \t\u3000\u00a0")
            if part:
                out.append(part)
    return "\n".join(out)


# --------------------------------------------------------------------------- tables


def _row_lines(cells: list[list[str]]) -> list[str]:
    """Lines for one table row, given each cell's lines.

    A data row becomes one line with cells joined by a tab.  A row with a single non-empty
    cell, or with a long multi-paragraph cell (a table used for page layout), keeps the
    cells' paragraphs as lines so a report laid out inside a table is not squashed.
    """
    filled = [c for c in cells if any(line.strip() for line in c)]
    if not filled:
        return []
    if len(filled) == 1:
        return filled[0]
    if any(len(c) > 1 and sum(len(line) for line in c) > 200 for c in filled):
        return [line for c in filled for line in c]
    return ["\t".join(" ".join(line.strip() for line in c if line.strip()) for c in cells)]


