"""Limits after decompression: extracted characters, memory and CPU time of the parsers.

The hostile files are built here: a small .docx whose document.xml inflates to 60 MB and a
1 MB PDF whose content stream inflates to 1 GB.  Each must be refused with a Chinese message,
quickly, and without the importing process itself growing (the parser runs in a child).
"""

from __future__ import annotations

import io
import resource
import time
import zipfile
import zlib

import pytest

from reports import ingest
from reports.ingest import IngestError, ingest_bytes
from reports.ingest.base import Limits
from reports.ingest.isolation import run_isolated


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _docx_with_huge_body(size: int) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("关于2021年法治政府建设情况的报告")
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    paragraph = "<w:p><w:r><w:t>" + "依法行政，" * 40 + "</w:t></w:r></w:p>"
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
    repeat = size // len(paragraph.encode())
    body = (head + paragraph * repeat + "</w:body></w:document>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for item in source.infolist():
            if item.filename == "word/document.xml":
                zf.writestr("word/document.xml", body)
            else:
                zf.writestr(item, source.read(item))
    return out.getvalue()


def _pdf_with_stream(compressed: bytes) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(compressed) + compressed + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


@pytest.fixture(scope="module")
def gigabyte_pdf() -> bytes:
    compressor = zlib.compressobj(9)
    chunk = b" " * (16 * 1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(64)]
    parts.append(compressor.flush())
    return _pdf_with_stream(b"".join(parts))


def test_docx_whose_body_inflates_to_60_mb_is_refused_quickly():
    data = _docx_with_huge_body(60 * 1024 * 1024)
    assert len(data) < 600 * 1024
    started = time.monotonic()
    with pytest.raises(IngestError) as info:
        ingest_bytes(data, filename="report.docx")
    assert info.value.code == "too_large"
    assert "上限" in info.value.message
    assert time.monotonic() - started < 5


def test_docx_parser_past_the_memory_limit_is_stopped_with_a_clear_message(monkeypatch):
    # With the size check out of the way, the child's address-space limit is what stops it.
    monkeypatch.setattr(ingest, "DOCX_MAX_DOCUMENT_XML", 1 << 40)
    monkeypatch.setattr(ingest, "PARSER_MEMORY_BYTES", 150 * 1024 * 1024)
    before = _max_rss_mb()
    with pytest.raises(IngestError) as info:
        ingest_bytes(_docx_with_huge_body(60 * 1024 * 1024), filename="report.docx")
    assert info.value.code == "too_large"
    assert "内存超过上限" in info.value.message
    assert _max_rss_mb() - before < 100


def test_pdf_whose_stream_inflates_to_1_gb_is_refused_without_growing_the_process(gigabyte_pdf):
    assert len(gigabyte_pdf) < 2 * 1024 * 1024
    before = _max_rss_mb()
    started = time.monotonic()
    with pytest.raises(IngestError) as info:
        ingest_bytes(gigabyte_pdf, filename="report.pdf")
    assert info.value.code == "too_large"
    assert "内存超过上限" in info.value.message
    assert time.monotonic() - started < 20
    assert _max_rss_mb() - before < 100


def _spin(data, limits):
    while True:
        pass


def _sleep(data, limits):
    time.sleep(60)


def test_parser_past_its_cpu_time_is_killed():
    started = time.monotonic()
    with pytest.raises(IngestError) as info:
        run_isolated(_spin, b"", Limits(cpu_seconds=1, wall_seconds=20), label="PDF")
    assert info.value.code == "timeout"
    assert "CPU" in info.value.message
    assert time.monotonic() - started < 10


def test_parser_past_its_wall_time_is_killed():
    with pytest.raises(IngestError) as info:
        run_isolated(_sleep, b"", Limits(wall_seconds=1), label="PDF")
    assert info.value.code == "timeout"
    assert "1 秒" in info.value.message


def test_extracted_characters_are_capped(monkeypatch):
    monkeypatch.setattr(ingest, "MAX_TEXT_CHARS", 1000)
    with pytest.raises(IngestError) as info:
        ingest_bytes(("依法行政。" * 400).encode(), filename="report.txt")
    assert info.value.code == "too_large"
    assert "1,000 字" in info.value.message
