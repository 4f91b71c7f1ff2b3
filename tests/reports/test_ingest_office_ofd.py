""".doc/.wps through LibreOffice headless, and OFD packages read from their XML."""

from __future__ import annotations

import glob
import io
import os
import tempfile
import time
import zipfile

import pytest

from reports import ingest
from reports.ingest import IngestError, ingest_bytes, office
from tests.reports import ingest_samples as samples

PARAGRAPHS = samples.seed_paragraphs(1, 10)


@pytest.fixture(scope="module")
def doc_file():
    return samples.doc_bytes(PARAGRAPHS)


def _soffice_temp_dirs() -> set[str]:
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "archive-soffice-*")))


def test_doc_made_by_libreoffice_is_converted_and_read(doc_file):
    assert doc_file.startswith(b"\xd0\xcf\x11\xe0")
    before = _soffice_temp_dirs()
    result = ingest_bytes(doc_file, filename="2021年报告.doc")
    assert result.format == "doc"
    assert result.text.split("\n") == [p.strip() for p in PARAGRAPHS]
    assert "LibreOffice" in result.warnings[0]
    assert _soffice_temp_dirs() == before  # input, output and private profile removed


def test_wps_extension_is_kept_as_the_format(doc_file):
    result = ingest_bytes(doc_file, filename="报告.wps")
    assert result.format == "wps"
    assert PARAGRAPHS[1].strip() in result.text


def test_doc_the_converter_cannot_read_gets_a_clear_message():
    # An OLE file naming a WordDocument stream whose content is junk.
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "WordDocument".encode("utf-16-le") + os.urandom(3000)
    before = _soffice_temp_dirs()
    with pytest.raises(IngestError) as caught:
        ingest_bytes(data, filename="坏文件.doc")
    assert caught.value.code in ("convert_failed", "unknown_format")
    assert "无法" in caught.value.message
    assert _soffice_temp_dirs() == before


def test_hanging_converter_is_killed_with_its_children(monkeypatch, tmp_path):
    # A stand-in soffice that forks a child and both sleep: the whole group must die.
    pids = tmp_path / "pids"
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\nsleep 60 & echo $! >> {pids}\necho $$ >> {pids}\nwait\n")
    script.chmod(0o755)
    monkeypatch.setattr(office, "SOFFICE", str(script))
    monkeypatch.setattr(ingest, "CONVERT_SECONDS", 1)
    monkeypatch.setattr(ingest, "ISOLATE", False)
    with pytest.raises(IngestError) as caught:
        ingest_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") * 4, filename="a.doc")
    assert caught.value.code == "timeout" and "已中止" in caught.value.message
    for pid in pids.read_text().split():
        # SIGKILL was sent to the whole group; on a loaded machine the kernel may take a moment.
        for _ in range(100):
            if _dead(int(pid)):
                break
            time.sleep(0.1)
        assert _dead(int(pid))


def _dead(pid: int) -> bool:
    """Gone, or a zombie waiting for its new parent to reap it."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def test_ole_without_word_stream_keeps_the_old_refusal():
    with pytest.raises(IngestError) as caught:
        ingest_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, filename="表格.xls")
    assert caught.value.code == "unknown_format"


# --------------------------------------------------------------------------- OFD


def test_ofd_text_in_reading_order_with_metadata():
    pages = [PARAGRAPHS[:5], PARAGRAPHS[5:]]
    data = samples.ofd_bytes(pages, title="2021年法治政府建设年度报告", created="2022-03-28T10:00:00")
    result = ingest_bytes(data, filename="report.ofd")
    assert result.format == "ofd"
    assert result.text.split("\n") == [p.strip() for p in PARAGRAPHS]
    assert result.page_meta["title"] == "2021年法治政府建设年度报告"
    assert result.page_meta["published"] == "2022-03-28"


def test_ofd_without_extension_is_recognised_by_content():
    data = samples.ofd_bytes([PARAGRAPHS[:2]])
    assert ingest_bytes(data, filename="download").format == "ofd"


def _rezip(data: bytes, drop: str = "", replace: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename == drop:
                continue
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info.filename)))
    return out.getvalue()


@pytest.mark.parametrize(
    "mutate,code",
    [
        (lambda d: _rezip(d, drop="Doc_0/Document.xml"), "corrupt_ofd"),
        (lambda d: _rezip(d, replace={"Doc_0/Pages/Page_0/Content.xml": b"<ofd:Page"}), "corrupt_ofd"),
        (lambda d: _rezip(d, replace={"OFD.xml": b"<?xml version='1.0'?><OFD/>"}), "corrupt_ofd"),
        (lambda d: samples.ofd_bytes([[]]), "ofd_no_text"),
        (lambda d: d[: len(d) // 2], None),
    ],
    ids=["no-document", "broken-page-xml", "no-docbody", "no-text", "truncated"],
)
def test_broken_ofd_gets_a_clear_chinese_message(mutate, code):
    data = mutate(samples.ofd_bytes([PARAGRAPHS[:3]]))
    with pytest.raises(IngestError) as caught:
        ingest_bytes(data, filename="broken.ofd")
    if code:
        assert caught.value.code == code
    assert "OFD" in caught.value.message or "ZIP" in caught.value.message


def test_ofd_entity_expansion_is_not_followed():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>&b;</ofd:DocRoot>'
        b"</ofd:DocBody></ofd:OFD>"
    )
    data = _rezip(samples.ofd_bytes([PARAGRAPHS[:1]]), replace={"OFD.xml": bomb})
    with pytest.raises(IngestError) as caught:
        ingest_bytes(data, filename="bomb.ofd")
    assert caught.value.code == "corrupt_ofd"
