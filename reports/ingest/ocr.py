"""OCR with Debian's Tesseract: images (PNG/JPEG/TIFF) and the scanned pages of PDFs.

Tesseract is run directly as a subprocess (``tesseract page.png out -l chi_sim+eng tsv``)
rather than through pytesseract or OCRmyPDF: we need only the words, their boxes and their
confidences (the TSV output), one private temporary directory per file, a hard timeout per
page that kills the process, and one thread per process (the machine is shared).  pytesseract
would wrap exactly this call and add nothing; OCRmyPDF produces a new PDF (with Ghostscript,
pikepdf, unpaper...) when we only want text.  Pages are rasterised by PDFium (pypdfium2) and
images opened by Pillow, both pinned wheels.

The TSV's lines become the same geometric lines the PDF reader works with, so OCR text gets
the same paragraph joining and page-furniture removal as a PDF text layer.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from functools import cache

from reports.ingest.base import IngestedText, IngestError, Limits, _err, _join_lines
from reports.ingest.registry import Format

TESSERACT = "tesseract"
# Image kinds Tesseract reads here (GIF/WebP/BMP are not report scans in practice).
_IMAGE_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"II*\x00": "TIFF", b"MM\x00*": "TIFF"}
_MAX_IMAGE_PIXELS = 80_000_000
# Scans are rasterised at this resolution: Tesseract's models are trained on ~300 dpi text.
RENDER_DPI = 300
_NO_TEXT = "图片中没有识别出文字（可能是空白页或图片质量太差），无法导入。"
_NO_ENGINE = "服务器未安装 OCR 引擎（tesseract-ocr 及中文语言包），无法识别扫描件或图片。"


def languages() -> str:
    # chi_sim alone reads the digits and Latin letters of reports well enough and is ~25 %
    # faster than chi_sim+eng; chi_tra (installed too) for traditional-script scans.
    return os.environ.get("ARCHIVE_OCR_LANGUAGES", "chi_sim")


@cache
def engine_version() -> str:
    """'Tesseract 5.3.0', or '' when the binary is missing."""
    if shutil.which(TESSERACT) is None:
        return ""
    try:
        out = subprocess.run([TESSERACT, "--version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return ""
    first = (out.stdout or out.stderr).splitlines()[:1]
    return first[0].replace("tesseract", "Tesseract").strip() if first else ""


@dataclass
class OcrPage:
    """One page's lines (as pdf._PdfLine) and its word confidences (0–100)."""

    lines: list
    confidences: list[float] = field(default_factory=list)


def image_kind(data: bytes) -> str:
    for prefix, kind in _IMAGE_SIGNATURES.items():
        if data.startswith(prefix):
            return kind
    return ""


def _open_image(data: bytes):
    """The Pillow image, or None if these bytes are not a readable PNG/JPEG/TIFF."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = _MAX_IMAGE_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        image.verify()  # checks the structure without decoding every pixel
        image = Image.open(io.BytesIO(data))
        image.size  # noqa: B018 - header parsed
    except Image.DecompressionBombError:
        message = f"图片像素过多（超过 {_MAX_IMAGE_PIXELS:,} 像素），可能是异常文件，未作任何改动。"
        raise _err("too_large", message) from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of errors on junk
        return None
    return image


def detect_image(data: bytes, ext: str) -> bool:
    return bool(image_kind(data)) and _open_image(data) is not None


_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
# Tesseract separates every recognised "word" by a space; in Chinese text a space next to a
# hanzi or full-width mark is an artefact, and ASCII punctuation next to one is a misread.
_SPACE_NEXT_TO_CJK_RE = re.compile(f"(?<=[{_CJK}]) +| +(?=[{_CJK}])")
_SPACE_NEXT_TO_PUNCT_RE = re.compile(r" +(?=[,.;:!?)\]])|(?<=[(\[]) +")
_FULL_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"})
_ASCII_PUNCT_BY_CJK_RE = re.compile(f"(?<=[{_CJK}])[,;:?!()]|[,;:?!()](?=[{_CJK}])")


def tidy_line(text: str) -> str:
    text = _SPACE_NEXT_TO_CJK_RE.sub("", text)
    text = _SPACE_NEXT_TO_PUNCT_RE.sub("", text)
    for _ in range(2):  # "（一 )" -> "（一）": a converted mark makes its neighbour adjacent to CJK
        text = _ASCII_PUNCT_BY_CJK_RE.sub(lambda m: m.group().translate(_FULL_WIDTH), text)
    return text


class _Progress:
    """Writes {"done": n, "total": N} to the staging area so the preview can show it."""

    def __init__(self, path: str, total: int):
        self.path, self.total = path, total
        self.update(0)

    def update(self, done: int) -> None:
        if not self.path:
            return
        partial = self.path + ".partial"
        try:
            with open(partial, "w", encoding="utf-8") as handle:
                json.dump({"done": done, "total": self.total, "at": time.time()}, handle)
            os.replace(partial, self.path)
        except OSError:
            pass


def _tsv_lines(tsv: str, page_no: int) -> OcrPage:
    """Tesseract's word table grouped into lines (block, paragraph, line) in reading order."""
    from reports.ingest.pdf import _PdfLine

    groups: dict[tuple[int, int, int], list[dict]] = {}
    confidences = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5":
            continue
        word = (row.get("text") or "").strip()
        if not word:
            continue
        conf = float(row.get("conf") or -1)
        if conf >= 0:
            confidences.append(conf)
        key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        groups.setdefault(key, []).append(row)
    lines = []
    for words in groups.values():
        left = min(int(w["left"]) for w in words)
        right = max(int(w["left"]) + int(w["width"]) for w in words)
        top = min(int(w["top"]) for w in words)
        bottom = max(int(w["top"]) + int(w["height"]) for w in words)
        heights = [int(w["height"]) for w in words]
        text = tidy_line(" ".join(w["text"].strip() for w in words))
        # Pixel rows grow downwards; _PdfLine's "top" grows upwards like PDF points.
        lines.append(_PdfLine(text, left, right, -top, -bottom, max(statistics.median(heights), 1.0), page_no))
    lines.sort(key=lambda ln: (-ln.top, ln.x0))
    return OcrPage(lines=lines, confidences=confidences)


def ocr_png(png: bytes, page_no: int, *, seconds: float, workdir: str) -> OcrPage:
    """Run Tesseract on one page image; killed after ``seconds``."""
    if not engine_version():
        raise _err("ocr_missing", _NO_ENGINE)
    source = os.path.join(workdir, f"page{page_no}.png")
    base = os.path.join(workdir, f"page{page_no}")
    with open(source, "wb") as handle:
        handle.write(png)
    # --psm 4 (one column of text of varying sizes) is how reports are laid out; the default
    # automatic segmentation calls a page holding a single short line "empty".
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        subprocess.run(
            [TESSERACT, source, base, "-l", languages(), "--psm", "4", "--dpi", str(RENDER_DPI), "tsv"],
            capture_output=True, timeout=seconds, env=env, check=True,
        )
    except subprocess.TimeoutExpired:  # run() kills the child before raising
        raise _err("timeout", f"OCR 识别第 {page_no + 1} 页超过 {int(seconds)} 秒，已中止，未作任何改动。") from None
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] if exc.stderr else []
        raise _err("ocr_failed", f"OCR 引擎无法识别第 {page_no + 1} 页（{''.join(detail)[:80]}）。") from None
    finally:
        os.unlink(source)
    with open(base + ".tsv", encoding="utf-8", errors="replace") as handle:
        tsv = handle.read()
    os.unlink(base + ".tsv")
    return _tsv_lines(tsv, page_no)


def _png_bytes(image) -> bytes:
    if image.mode not in ("1", "L", "RGB"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def run_pages(render_pages, total: int, limits: Limits) -> dict[int, OcrPage]:
    """OCR ``render_pages`` (an iterable of (page number, PNG bytes)) within the OCR limits."""
    deadline = time.monotonic() + limits.ocr_seconds
    progress = _Progress(limits.progress_path, total)
    results: dict[int, OcrPage] = {}
    with tempfile.TemporaryDirectory(prefix="archive-ocr-") as workdir:
        for done, (page_no, png) in enumerate(render_pages, start=1):
            left = deadline - time.monotonic()
            if left <= 0:
                seconds, read = limits.ocr_seconds, done - 1
                raise _err("timeout", f"OCR 识别超过 {seconds} 秒（已识别 {read}/{total} 页），已中止，未作任何改动。")
            results[page_no] = ocr_png(png, page_no, seconds=min(left, limits.ocr_page_seconds), workdir=workdir)
            progress.update(done)
    return results


def mean_confidence(pages: dict[int, OcrPage]) -> float:
    scores = [c for page in pages.values() for c in page.confidences]
    return round(statistics.fmean(scores), 1) if scores else 0.0


def ocr_meta(pages: dict[int, OcrPage]) -> dict[str, str]:
    """What a report made (partly) from OCR carries: engine, mean confidence, pages (1-based)."""
    return {
        "ocr_engine": f"{engine_version()} ({languages()})",
        "ocr_confidence": f"{mean_confidence(pages):.1f}",
        "ocr_pages": ",".join(str(n + 1) for n in sorted(pages)),
    }


def lines_to_text(pages: list[list]) -> str:
    from reports.ingest.pdf import _pdf_mark_geometry, _pdf_paragraphs, _pdf_remove_page_furniture

    pages = _pdf_remove_page_furniture(pages)
    for lines in pages:
        _pdf_mark_geometry(lines)
    return _join_lines(_pdf_paragraphs([ln for lines in pages for ln in lines]))


def _image_frames(image, limits: Limits, warnings: list[str]):
    from PIL import ImageSequence

    for number, frame in enumerate(ImageSequence.Iterator(image)):
        if number >= limits.ocr_max_pages:
            warnings.append(f"图片超过 {limits.ocr_max_pages} 页，只识别了前 {limits.ocr_max_pages} 页。")
            return
        yield number, _png_bytes(frame)


def _ingest_image(data: bytes, limits: Limits | None = None) -> IngestedText:
    limits = limits or Limits()
    image = _open_image(data)
    if image is None:
        raise _err("corrupt_image", "图片文件已损坏，无法读取。")
    frames = min(getattr(image, "n_frames", 1), limits.ocr_max_pages)
    warnings: list[str] = []
    pages = run_pages(_image_frames(image, limits, warnings), frames, limits)
    text = lines_to_text([pages[n].lines for n in sorted(pages)])
    if not text.strip():
        raise _err("ocr_no_text", _NO_TEXT)
    meta = ocr_meta(pages)
    warnings.insert(0, f"文字由 OCR 识别（平均置信度 {meta['ocr_confidence']}），请核对后再保存。")
    return IngestedText(text=text, format="image", encoding="", warnings=warnings, page_meta=meta)


FORMAT = Format(
    name="image", label="图片",
    detect=detect_image,
    extract=_ingest_image,
    extensions=(".png", ".jpg", ".jpeg", ".tif", ".tiff"),
    slow=True,
)


# --------------------------------------------------------------------------- scanned PDF pages


def pdf_scanned_pages(data: bytes, limits: Limits) -> list[int]:
    """Pages (0-based, within the page limit) that have no text layer but show an image."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        document = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - broken or encrypted: the text-layer reader says why
        return []
    scanned = []
    try:
        for number in range(min(len(document), limits.ocr_max_pages)):
            page = document[number]
            textpage = page.get_textpage()
            has_text = textpage.count_chars() > 0 and textpage.get_text_range().strip()
            if not has_text and any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3)):
                scanned.append(number)
            textpage.close()
            page.close()
    finally:
        document.close()
    return scanned


def _render_pdf_pages(data: bytes, numbers: list[int]):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        for number in numbers:
            page = document[number]
            image = page.render(scale=RENDER_DPI / 72, grayscale=True).to_pil()
            page.close()
            yield number, _png_bytes(image)
    finally:
        document.close()


def ocr_pdf_pages(data: bytes, numbers: list[int], limits: Limits) -> dict[int, OcrPage]:
    return run_pages(_render_pdf_pages(data, numbers), len(numbers), limits)


def probe_pdf(data: bytes, limits: Limits) -> IngestedText:
    """For run_isolated: the scanned pages as "0,3,4" (parsing an untrusted PDF stays in a child)."""
    pages = pdf_scanned_pages(data, limits)
    return IngestedText(text=",".join(map(str, pages)), format="probe", encoding="")


def needs_ocr(data: bytes, limits: Limits, *, isolate: bool = True) -> bool:
    """Will ingesting these bytes run OCR (an image, or a PDF with scanned pages)?"""
    from reports.ingest.isolation import run_isolated

    if image_kind(data):
        try:
            return detect_image(data, "")
        except IngestError:
            return False
    if b"%PDF-" not in data[:1024]:
        return False
    try:
        probe = run_isolated(probe_pdf, data, limits, label="PDF") if isolate else probe_pdf(data, limits)
    except Exception:  # noqa: BLE001 - the real reader reports what is wrong with the file
        return False
    return bool(probe.text)
