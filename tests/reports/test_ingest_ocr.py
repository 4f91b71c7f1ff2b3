"""OCR of images and scanned PDFs with Debian's Tesseract (real engine, real renderings)."""

from __future__ import annotations

import json

import pytest

from reports import ingest
from reports.ingest import IngestError, ingest_bytes, ocr_probe
from reports.ingest.ocr import tidy_line
from tests.reports import ingest_samples as samples

pytestmark = pytest.mark.ocr


@pytest.fixture(scope="module")
def seed_page():
    paragraphs = samples.seed_paragraphs(0, 8)
    return paragraphs, samples.render_pages(paragraphs)


def test_png_scan_recovers_95_percent_of_the_characters(seed_page):
    paragraphs, pages = seed_page
    result = ingest_bytes(samples.image_bytes(pages[0], "PNG"), filename="扫描件.png")
    assert result.format == "image"
    recall = samples.char_recall("".join(paragraphs), result.text)
    print(f"OCR character recall on a clean 300 dpi rendering: {recall:.3f}")
    assert recall >= 0.95
    assert result.page_meta["ocr_engine"].startswith("Tesseract")
    assert 50 <= float(result.page_meta["ocr_confidence"]) <= 100
    assert "OCR" in result.warnings[0] and result.page_meta["ocr_confidence"] in result.warnings[0]
    # Reading order and structure survive: the title first, headings on lines of their own.
    lines = result.text.split("\n")
    assert lines[0].replace(" ", "") == paragraphs[0].replace(" ", "")
    assert any(line.startswith("一、") for line in lines)


def test_scanned_pdf_pages_keep_their_order_and_progress_is_written(tmp_path):
    first = ["第一页的内容：坚持依法行政。"]
    second = ["第二页的内容：推进严格执法。"]
    pages = samples.render_pages(first) + samples.render_pages(second)
    pages = [page.crop((0, 0, page.width, 500)) for page in pages]  # short pages: fast OCR
    data = samples.scanned_pdf(pages)
    assert ocr_probe(data)
    progress = tmp_path / "progress.json"
    result = ingest_bytes(data, filename="scan.pdf", progress_path=str(progress))
    assert result.format == "pdf"
    assert result.page_meta["ocr_pages"] == "1,2"
    assert result.text.index("第一页") < result.text.index("第二页")
    assert "全部页面为扫描件" in result.warnings[0]
    assert json.loads(progress.read_text()) | {"at": 0} == {"done": 2, "total": 2, "at": 0}


def test_mixed_pdf_ocrs_only_the_scanned_page_in_place():
    typed = ["一、第一部分的标题", "第一页是有文字层的正文。", "三、第三部分的标题", "第三页也有文字层。"]
    scanned = ["二、第二部分是扫描页"]
    data = samples.mixed_pdf(typed, scanned)
    result = ingest_bytes(data, filename="mixed.pdf")
    assert result.page_meta["ocr_pages"] == "2"
    text = result.text
    assert text.index("第一页") < text.index("扫描页") < text.index("第三页")
    assert "第 2 页为扫描件" in result.warnings[0]


def test_multi_page_tiff_is_read_frame_by_frame():
    from PIL import Image

    frames = [page.crop((0, 0, page.width, 450)) for page in samples.render_pages(["第一页：依法行政"])
              + samples.render_pages(["第二页：公正司法"])]
    import io

    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw")
    assert Image.open(io.BytesIO(buffer.getvalue())).n_frames == 2
    result = ingest_bytes(buffer.getvalue(), filename="scan.tif")
    assert result.page_meta["ocr_pages"] == "1,2"
    assert result.text.index("第一页") < result.text.index("第二页")


def test_image_without_text_is_refused_clearly():
    from PIL import Image

    blank = samples.image_bytes(Image.new("L", (800, 600), 255), "JPEG")
    with pytest.raises(IngestError) as caught:
        ingest_bytes(blank, filename="blank.jpg")
    assert caught.value.code == "ocr_no_text"
    assert "没有识别出文字" in caught.value.message


def test_page_limit_and_time_limit(monkeypatch):
    pages = [page.crop((0, 0, page.width, 400)) for page in samples.render_pages(["第一页内容"])
             + samples.render_pages(["第二页内容"])]
    data = samples.scanned_pdf(pages)
    monkeypatch.setattr(ingest, "OCR_MAX_PAGES", 1)
    result = ingest_bytes(data, filename="scan.pdf")
    assert result.page_meta["ocr_pages"] == "1" and "第二页" not in result.text
    assert any("只识别前 1 页" in w for w in result.warnings)

    monkeypatch.setattr(ingest, "OCR_MAX_PAGES", 10)
    monkeypatch.setattr(ingest, "OCR_PAGE_SECONDS", 0.01)
    with pytest.raises(IngestError) as caught:
        ingest_bytes(data, filename="scan.pdf")
    assert caught.value.code == "timeout" and "已中止" in caught.value.message


def test_broken_image_keeps_the_old_refusal():
    with pytest.raises(IngestError) as caught:
        ingest_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, filename="x.png")
    assert caught.value.code == "unknown_format" and "PNG 图片" in caught.value.message


def test_vector_only_pdf_still_asks_for_ocr_nothing_to_recognise():
    from tests.reports.test_ingest import make_pdf

    drawing = b"0 0 1 rg 100 100 200 200 re f\n"
    with pytest.raises(IngestError) as caught:
        ingest_bytes(make_pdf([drawing]))
    assert caught.value.code == "pdf_no_text"


@pytest.mark.parametrize(
    "raw,tidy",
    [
        ("2020 年 ,区人民政府 认真", "2020年，区人民政府认真"),
        ("(一 ) 夯实 基础", "（一）夯实基础"),
        ("page 3 of 5", "page 3 of 5"),
    ],
)
def test_tesseract_spacing_and_half_width_marks_are_tidied(raw, tidy):
    assert tidy_line(raw) == tidy
