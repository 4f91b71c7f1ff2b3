"""PDF text layer via pdfminer.six: wrapped lines joined, page furniture removed."""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from reports.ingest.base import _SPACE_BETWEEN_CJK_RE, IngestedText, IngestError, Limits, _err, _join_lines
from reports.ingest.registry import Format

_PDF_NO_TEXT = "PDF 中没有可提取的文字（可能是扫描件），需要先进行 OCR。"
_PDF_CORRUPT = "PDF 文件已损坏或格式无效，无法读取。"
_DECOR = r"[\s\-—–－_~·•=＝]"
# Page numbers that can never be report text, wherever they are on the page.
_PAGE_NUMBER_RE = re.compile(
    rf"^{_DECOR}*(?:第\s*[0-9一二三四五六七八九十百零〇]+\s*页(?:\s*[,，/／]?\s*共\s*[0-9一二三四五六七八九十百零〇]+\s*页)?"
    rf"|共\s*\d+\s*页\s*第\s*\d+\s*页|page\s*\d+(?:\s*(?:of|/)\s*\d+)?)\s*{_DECOR}*$",
    re.I,
)
_DASHED_NUMBER_RE = re.compile(r"^\s*[\-—–－~]+\s*\d{1,4}\s*[\-—–－~]+\s*$")
# Bare page numbers ("3", "3 / 12", "iv"): only removed at the top or bottom of a page.
_BARE_NUMBER_RE = re.compile(r"^\s*(?:\d{1,4}(?:\s*[/／]\s*\d{1,4})?|[ivxlcdm]{1,7})\s*$", re.I)
_HEADING_RE = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇两0-9]+[章节部分条篇]"
    r"|[一二三四五六七八九十百]+\s*[、.．]"
    r"|[（(]\s*[一二三四五六七八九十百]+\s*[）)]"
    r"|\d{1,2}\s*[、．]|\d{1,2}\.(?!\d)"
    r"|[（(]\s*\d{1,2}\s*[）)]"
    r"|[①-⑳⑴-⒇]"
    r"|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+\s*[、.．])"
)
_SENTENCE_END = "。！？；：…!?;:"
_CLOSERS = "”’」』）)》〉】\"'"
_CID_RE = re.compile(r"\(cid:\d+\)")


@dataclass
class _PdfLine:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    short: bool = False
    indented: bool = False


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(" \t\u3000")
    core = stripped.rstrip(_CLOSERS)
    if core and core != stripped:  # '。”' ends a sentence, '（2020年）' does not
        return core[-1] in _SENTENCE_END
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _pdf_page_lines(layout, page_no: int) -> list[_PdfLine]:
    from pdfminer.layout import LTTextLine

    raw: list[_PdfLine] = []

    def walk(obj):
        if isinstance(obj, LTTextLine):
            text = obj.get_text().replace("\n", " ").strip()
            if text:
                raw.append(_PdfLine(text, obj.x0, obj.x1, obj.y1, obj.y0, max(obj.height, 1.0), page_no))
            return
        try:
            children = list(obj)
        except TypeError:
            return
        for child in children:
            walk(child)

    walk(layout)
    # Reading order for single-column reports: top to bottom; pieces of one visual row
    # (e.g. table cells) are merged left to right with a tab.
    raw.sort(key=lambda ln: (-ln.top, ln.x0))
    rows: list[_PdfLine] = []
    for line in raw:
        if rows:
            last = rows[-1]
            overlap = min(last.top, line.top) - max(last.bottom, line.bottom)
            if overlap > 0.5 * min(last.size, line.size):
                sep = " " if line.x0 - last.x1 < 0.5 * line.size else "\t"
                if line.x0 >= last.x0:
                    last.text = last.text + sep + line.text
                else:
                    last.text = line.text + sep + last.text
                last.x0, last.x1 = min(last.x0, line.x0), max(last.x1, line.x1)
                last.top, last.bottom = max(last.top, line.top), min(last.bottom, line.bottom)
                continue
        rows.append(line)
    return rows


def _pdf_remove_page_furniture(pages: list[list[_PdfLine]]) -> list[list[_PdfLine]]:
    def key(line: _PdfLine) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))

    # Running headers/footers: the same first or last line (digits ignored) on many pages.
    edge_counts: Counter[str] = Counter()
    for lines in pages:
        edges = {key(ln) for ln in lines[:1] + lines[-1:]}
        edge_counts.update(edges)
    repeated = {
        k for k, n in edge_counts.items() if len(pages) >= 3 and n >= 3 and n >= 0.5 * len(pages)
    }
    cleaned = []
    for lines in pages:
        kept = []
        for i, line in enumerate(lines):
            at_edge = i == 0 or i == len(lines) - 1
            if _PAGE_NUMBER_RE.match(line.text) or _DASHED_NUMBER_RE.match(line.text):
                continue
            if at_edge and len(lines) > 1 and _BARE_NUMBER_RE.match(line.text):
                continue
            if at_edge and key(line) in repeated:
                continue
            kept.append(line)
        cleaned.append(kept)
    return cleaned


def _pdf_mark_geometry(lines: list[_PdfLine]) -> None:
    """Flag lines that end well before the right margin (paragraph ends, titles) and lines
    that start right of the left margin (first lines of paragraphs, centred titles)."""
    if not lines:
        return
    size = statistics.median(ln.size for ln in lines)
    widest = max(ln.x1 - ln.x0 for ln in lines)
    full = [ln for ln in lines if ln.x1 - ln.x0 >= 0.7 * widest] or lines
    left = min(ln.x0 for ln in full)
    right = statistics.median(ln.x1 for ln in full)
    for ln in lines:
        ln.short = right - ln.x1 > 1.5 * size
        ln.indented = ln.x0 - left > 1.2 * size


def _pdf_paragraphs(lines: list[_PdfLine]) -> list[str]:
    paragraphs: list[str] = []
    prev: _PdfLine | None = None
    for line in lines:
        text = _SPACE_BETWEEN_CJK_RE.sub("", line.text)
        if prev is not None and paragraphs:
            new_paragraph = (
                _ends_sentence(paragraphs[-1])
                or _HEADING_RE.match(text) is not None
                or prev.short
                or line.indented
                or "\t" in prev.text
                or "\t" in text
            )
            if not new_paragraph:
                last = paragraphs[-1]
                sep = " " if last[-1:].isascii() and last[-1:].isalnum() and text[:1].isascii() else ""
                paragraphs[-1] = last + sep + text
                prev = line
                continue
        paragraphs.append(text)
        prev = line
    return paragraphs


def _ingest_pdf(data: bytes, limits: Limits | None = None) -> IngestedText:
    limits = limits or Limits()
    try:
        from pdfminer.converter import PDFPageAggregator
        from pdfminer.layout import LAParams
        from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
    except ImportError as exc:  # pragma: no cover - pinned dependency
        raise _err("corrupt_pdf", "服务器缺少 PDF 解析组件（pdfminer.six）。") from exc

    warnings: list[str] = []
    pages: list[list[_PdfLine]] = []
    try:
        parser = PDFParser(io.BytesIO(data))
        try:
            document = PDFDocument(parser, password="")
        except (PDFPasswordIncorrect, PDFEncryptionError):
            raise _err("pdf_encrypted", "PDF 已加密（设置了打开密码），无法读取。请先去除密码后再导入。") from None
        manager = PDFResourceManager(caching=True)
        device = PDFPageAggregator(manager, laparams=LAParams(all_texts=True))
        interpreter = PDFPageInterpreter(manager, device)
        for number, page in enumerate(PDFPage.create_pages(document)):
            if number >= limits.max_pdf_pages:
                warnings.append(f"PDF 超过 {limits.max_pdf_pages} 页，只导入了前 {limits.max_pdf_pages} 页。")
                break
            interpreter.process_page(page)
            pages.append(_pdf_page_lines(device.get_result(), number))
    except (IngestError, MemoryError):
        raise
    except Exception:  # noqa: BLE001 - pdfminer raises many kinds of errors on bad files
        if not pages:
            raise _err("corrupt_pdf", _PDF_CORRUPT) from None
        warnings.append(f"PDF 第 {len(pages) + 1} 页起无法读取，只导入了前 {len(pages)} 页。")

    # Glyphs without a Unicode mapping come out as "(cid:123)": unreadable without OCR.
    total_chars = sum(len(ln.text) for lines in pages for ln in lines)
    cid_chars = sum(len(m) for lines in pages for ln in lines for m in _CID_RE.findall(ln.text))
    if total_chars and cid_chars > 0.5 * total_chars:
        raise _err("pdf_no_text", "PDF 中的文字无法提取（字体缺少编码映射），需要先进行 OCR。")
    if cid_chars:
        warnings.append("PDF 中有部分文字无法识别（字体缺少编码映射），已略去。")
        for lines in pages:
            for ln in lines:
                ln.text = _CID_RE.sub("", ln.text).strip()
            lines[:] = [ln for ln in lines if ln.text]

    meta: dict[str, str] = {}
    if any(not lines for lines in pages) and limits.ocr_max_pages > 0:
        meta = _ocr_scanned_pages(data, pages, limits, warnings)

    pages = _pdf_remove_page_furniture(pages)
    for lines in pages:
        _pdf_mark_geometry(lines)
    text = _join_lines(_pdf_paragraphs([ln for lines in pages for ln in lines]))
    if not text.strip():
        if meta:
            raise _err("ocr_no_text", "PDF 是扫描件，但 OCR 没有识别出文字（可能是空白页或图片质量太差），无法导入。")
        raise _err("pdf_no_text", _PDF_NO_TEXT)
    return IngestedText(text=text, format="pdf", encoding="", warnings=warnings, page_meta=meta)


def _ocr_scanned_pages(data: bytes, pages: list[list[_PdfLine]], limits: Limits, warnings: list[str]) -> dict:
    """Pages without a text layer that show an image are scans: OCR them in place, so a PDF
    mixing typed and scanned pages keeps its page order."""
    from reports.ingest import ocr

    empty = {n for n, lines in enumerate(pages) if not lines}
    scanned = [n for n in ocr.pdf_scanned_pages(data, limits) if n in empty]
    if not scanned:
        return {}
    recognised = ocr.ocr_pdf_pages(data, scanned, limits)
    for number, page in recognised.items():
        pages[number] = page.lines
    meta = ocr.ocr_meta(recognised)
    what = "全部页面" if len(scanned) == len(pages) else f"第 {meta['ocr_pages']} 页"
    warnings.insert(0, f"PDF {what}为扫描件，文字由 OCR 识别（平均置信度 {meta['ocr_confidence']}），请核对后再保存。")
    if len(pages) > limits.ocr_max_pages and any(not lines for lines in pages[limits.ocr_max_pages:]):
        warnings.append(f"OCR 只识别前 {limits.ocr_max_pages} 页。")
    return meta


FORMAT = Format(
    name="pdf", label="PDF",
    detect=lambda data, ext: b"%PDF-" in data[:1024],
    extract=_ingest_pdf,
    extensions=(".pdf",),
)
