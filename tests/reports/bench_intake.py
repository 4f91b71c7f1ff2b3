"""Intake speed on this machine, per format (prints numbers; not a test).

    .venv/bin/python -m tests.reports.bench_intake [--pages 3]

Renders full A4 pages of seed text (300 dpi, WenQuanYi Zen Hei), then times OCR of a scanned
PDF, .doc conversion by LibreOffice, OFD and .docx reading.  The README's formats table
quotes its output.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=3, help="scanned pages to OCR (default 3)")
    args = parser.parse_args()

    from reports.ingest import ingest_bytes
    from tests.reports import ingest_samples as samples

    paragraphs = samples.seed_paragraphs(0, 200)
    pages = samples.render_pages(paragraphs)[: args.pages]
    scan = samples.scanned_pdf(pages)
    start = time.perf_counter()
    result = ingest_bytes(scan, filename="scan.pdf")
    seconds = time.perf_counter() - start
    per_line = (samples.PAGE[0] - 2 * samples.MARGIN) // samples.FONT_PX
    rendered = samples.wrap(paragraphs, per_line)[: samples.LINES_PER_PAGE * len(pages)]
    recall = samples.char_recall("".join(rendered), result.text)
    print(f"OCR (tesseract {result.page_meta['ocr_engine']}): {len(pages)} A4 pages in {seconds:.1f} s "
          f"= {60 * len(pages) / seconds:.1f} pages/min; mean confidence {result.page_meta['ocr_confidence']}; "
          f"character recall ≈ {recall:.3f}")

    text = samples.seed_paragraphs(1, 200)
    doc = samples.doc_bytes(text)
    start = time.perf_counter()
    for _ in range(3):
        ingest_bytes(doc, filename="a.doc")
    print(f".doc via LibreOffice: {(time.perf_counter() - start) / 3:.2f} s per file ({len(doc) // 1024} KB)")

    ofd = samples.ofd_bytes([text[i:i + 20] for i in range(0, len(text), 20)])
    start = time.perf_counter()
    for _ in range(10):
        ingest_bytes(ofd, filename="a.ofd")
    print(f"OFD: {(time.perf_counter() - start) / 10 * 1000:.0f} ms per file ({len(text)} paragraphs)")

    docx = samples.docx_bytes(text)
    start = time.perf_counter()
    for _ in range(10):
        ingest_bytes(docx, filename="a.docx")
    print(f".docx: {(time.perf_counter() - start) / 10 * 1000:.0f} ms per file")


if __name__ == "__main__":
    main()
