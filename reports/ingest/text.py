"""Plain text files (any of the encodings ``decoding`` recognises)."""

from __future__ import annotations

from reports.ingest.base import _CONTROL_RE, IngestedText, Limits, _clean_text, _err
from reports.ingest.decoding import _decode
from reports.ingest.registry import Format
from reports.ingest.sniffing import looks_like_text


def _ingest_text(data: bytes, limits: Limits | None = None) -> IngestedText:
    text, encoding, warnings = _decode(data)
    cleaned = _clean_text(text)
    if not cleaned.strip(" \t\n\u3000\u00a0"):
        if _CONTROL_RE.sub("", text):
            raise _err("whitespace", "文件只包含空白字符，没有内容。")
        raise _err("empty", "文件为空。")
    return IngestedText(text=cleaned, format="text", encoding=encoding, warnings=warnings)


FORMAT = Format(
    name="text", label="纯文本", magic=False, isolated=False,
    detect=lambda data, ext: looks_like_text(data),
    extract=_ingest_text,
    extensions=(".txt", ".text", ".md", ".csv"),
)
