"""Tests for reports.ingest: bytes of an uploaded file -> plain report text.

Every fixture is generated here: .docx with python-docx, PDFs with the small hand-written
generator below (Type0 font, Identity-H, ToUnicode CMap), web pages as strings.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from reports import ingest
from reports.ingest import IngestedText, IngestError, decode_text, ingest_bytes

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
TRADITIONAL_SEED = next(SEEDS.glob("001_*.txt"))
SIMPLIFIED_SEED = next(SEEDS.glob("000_*.txt"))


def seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def expect_error(code: str, data: bytes, **kwargs) -> IngestError:
    with pytest.raises(IngestError) as info:
        ingest_bytes(data, **kwargs)
    assert info.value.code == code, info.value.message
    assert info.value.message and ingest.has_chinese(info.value.message)
    return info.value


# --------------------------------------------------------------------------- plain text


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16", "utf-16-le", "utf-16-be"]
)
def test_traditional_seed_decodes_identically_in_every_encoding(encoding):
    text = seed_text(TRADITIONAL_SEED)
    result = ingest_bytes(text.encode(encoding), filename="report.txt")
    assert result.format == "text"
    assert result.text == text.strip("\n")
    assert result.warnings == []
    if encoding in ("utf-8", "utf-8-sig", "gb18030", "big5"):
        assert result.encoding == encoding


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-be"])
def test_simplified_seed_decodes_identically_in_every_encoding(encoding):
    text = seed_text(SIMPLIFIED_SEED)
    result = ingest_bytes(text.encode(encoding))
    assert result.text == text.strip("\n")
    if encoding in ("utf-8", "utf-8-sig", "gb18030"):
        assert result.encoding == encoding


def test_big5_cannot_encode_simplified_seed():
    # Why the Big5 round trip uses the traditional seed only.
    with pytest.raises(UnicodeEncodeError):
        seed_text(SIMPLIFIED_SEED).encode("big5")


def test_all_seeds_round_trip_through_gb18030():
    for path in sorted(SEEDS.glob("*.txt")):
        text = seed_text(path)
        assert decode_text(text.encode("gb18030")) == (text.strip("\n"), "gb18030"), path.name


SNIPPETS = {
    "simplified": "2020年，区人民政府认真贯彻落实党的十九大精神，坚持依法行政。",
    "traditional": "園區管委會以習近平新時代中國特色社會主義思想為指導，認真貫徹。",
}


@pytest.mark.parametrize(
    "script,encoding",
    [
        ("simplified", "utf-8"),
        ("simplified", "utf-8-sig"),
        ("simplified", "gb18030"),
        ("simplified", "gbk"),
        ("simplified", "gb2312"),
        ("simplified", "utf-16"),
        ("traditional", "utf-8"),
        ("traditional", "utf-8-sig"),
        ("traditional", "gb18030"),
        ("traditional", "big5"),
        ("traditional", "cp950"),
        ("traditional", "utf-16"),
    ],
)
def test_short_snippets(script, encoding):
    snippet = SNIPPETS[script]
    assert 25 <= len(snippet) <= 35
    text, detected = decode_text(snippet.encode(encoding))
    assert text == snippet
    expected = {"gbk": "gb18030", "gb2312": "gb18030", "cp950": "big5", "utf-16": "utf-16-le"}
    assert detected == expected.get(encoding, encoding)


@pytest.mark.parametrize("encoding", ["gb18030", "big5"])
def test_many_random_snippets_from_the_traditional_seed(encoding):
    text = seed_text(TRADITIONAL_SEED).replace("\n", "")
    for start in range(0, len(text) - 30, 97):
        snippet = text[start:start + 30].strip()
        assert decode_text(snippet.encode(encoding))[0] == snippet


def test_line_endings_bom_and_control_characters_are_normalised():
    data = "\ufeff第一行\r\n第二\x00行\r第三行\x07\n\n第四行\u3000 \n".encode("utf-8")
    result = ingest_bytes(data)
    assert result.encoding == "utf-8-sig"
    assert result.text == "第一行\n第二行\n第三行\n\n第四行"


def test_no_chinese_is_a_warning_not_an_error():
    result = ingest_bytes(b"Annual report on law-based government, 2021.\n")
    assert result.text.startswith("Annual report")
    assert "文本中没有中文" in result.warnings


def test_western_single_byte_text_falls_back_to_charset_normalizer():
    data = "Rapport annuel : l'État de droit, déjà publié à Genève. " * 3
    result = ingest_bytes(data.encode("cp1252"))
    assert "État" in result.text and "Genève" in result.text
    assert "文本中没有中文" in result.warnings


def test_utf8_with_one_damaged_byte_is_not_read_as_gb18030():
    text = seed_text(SIMPLIFIED_SEED)[:400]
    data = text.encode("utf-8")[:-1]  # cut in the middle of the last character
    if text.encode("utf-8")[-1] < 0x80:
        data = text.encode("utf-8") + b"\xe4\xb8"
    result = ingest_bytes(data)
    assert result.encoding == "utf-8"
    assert result.text.startswith(text[:100])
    assert any("无法解码" in w for w in result.warnings)


# --------------------------------------------------------------------------- bad input


def test_empty():
    assert expect_error("empty", b"").message == "文件为空。"


@pytest.mark.parametrize(
    "data", [b"   \n\t\r\n  ", "\u3000\u3000\n".encode("utf-8"), "  \n".encode("utf-16")]
)
def test_whitespace(data):
    expect_error("whitespace", data)


def test_bom_only_is_empty():
    expect_error("empty", b"\xef\xbb\xbf")


def test_too_large_is_checked_before_parsing():
    error = expect_error("too_large", b"%PDF-1.4 garbage" + b"x" * 100, max_bytes=50)
    assert "大小上限" in error.message
    error = expect_error("too_large", b"a" * (20 * 1024 * 1024 + 1))
    assert error.message == "文件超过大小上限（20 MB）。"


def test_exactly_max_bytes_is_accepted():
    assert ingest_bytes("报告".encode("utf-8"), max_bytes=6).text == "报告"


@pytest.mark.parametrize(
    "data,looks_like",
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "PNG 图片"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 40, "JPEG 图片"),
        (b"GIF89a" + b"\x00" * 40, "GIF 图片"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 40, "ELF 可执行文件"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 40, "GZIP 压缩包"),
        (b"Rar!\x1a\x07\x00" + b"\x00" * 40, "RAR 压缩包"),
        ("{\\rtf1\\ansi 报告}".encode("gb18030"), "RTF 文档"),
    ],
)
def test_known_binary_formats_are_named(data, looks_like):
    error = expect_error("unknown_format", data, filename="report.txt")
    assert error.message.startswith("文件不是文本、Word(.docx)、PDF 或网页，无法导入（看起来是")
    assert looks_like in error.message


def test_png_message_exactly():
    error = expect_error("unknown_format", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert error.message == "文件不是文本、Word(.docx)、PDF 或网页，无法导入（看起来是 PNG 图片）。"


def test_old_word_document_is_named_by_extension_and_gets_a_hint():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500
    error = expect_error("unknown_format", data, filename="2020年报告.doc")
    assert "旧版 Word 文档（.doc）" in error.message
    assert "另存为 .docx" in error.message


def test_plain_zip_and_xlsx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("a.txt", "hello")
    assert "ZIP 压缩包" in expect_error("unknown_format", buffer.getvalue()).message
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert "Excel" in expect_error("unknown_format", buffer.getvalue(), filename="a.docx").message


def test_unrecognised_binary():
    data = bytes(range(256)) * 8
    error = expect_error("binary", data)
    assert "二进制文件" in error.message


def test_undecodable_bytes():
    # Lone lead bytes followed by ASCII: neither UTF-8, GB18030 nor Big5, and no NULs.
    data = b"\x81 \x82 \x83 \xff \xfe \x80 " * 20
    expect_error("undecodable", data)


def test_decode_text_raises_ingest_error():
    with pytest.raises(IngestError) as info:
        decode_text(b"\x81 \x82 \x83 \xff \xfe \x80 " * 20)
    assert info.value.code == "undecodable"


def test_error_repr_and_str():
    error = IngestError("empty", "文件为空。")
    assert str(error) == "文件为空。"
    assert "empty" in repr(error)


# --------------------------------------------------------------------------- docx


def make_docx(build) -> bytes:
    import docx

    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _report_docx(document):
    document.add_heading("关于2021年法治政府建设情况的报告", level=0)
    document.add_paragraph("2021年，市政府坚持以习近平法治思想为指导，全面推进依法行政。")
    document.add_heading("一、主要举措和成效", level=1)
    document.add_paragraph("（一）加强组织领导。")
    run_paragraph = document.add_paragraph("制定年度工作要点，")
    run_paragraph.add_run("明确责任分工").bold = True
    run_paragraph.add_run("。")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["指标", "2020年", "2021年"], ["行政复议案件", "120", "135"], ["败诉率", "3%", "2%"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_heading("二、存在的不足", level=1)
    document.add_paragraph("一些部门运用法治思维的能力还需提高。")


def test_docx_paragraphs_headings_and_tables_in_order():
    result = ingest_bytes(make_docx(_report_docx), filename="report.docx")
    assert result.format == "docx"
    assert result.encoding == ""
    assert result.text.split("\n") == [
        "关于2021年法治政府建设情况的报告",
        "2021年，市政府坚持以习近平法治思想为指导，全面推进依法行政。",
        "一、主要举措和成效",
        "（一）加强组织领导。",
        "制定年度工作要点，明确责任分工。",
        "指标\t2020年\t2021年",
        "行政复议案件\t120\t135",
        "败诉率\t3%\t2%",
        "二、存在的不足",
        "一些部门运用法治思维的能力还需提高。",
    ]
    assert result.warnings == []


def test_docx_merged_nested_and_layout_tables():
    def build(document):
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).merge(table.cell(0, 1)).text = "合并的表头"
        table.cell(1, 0).text = "左"
        inner = table.cell(1, 1).add_table(rows=1, cols=2)
        inner.cell(0, 0).text = "内甲"
        inner.cell(0, 1).text = "内乙"
        layout = document.add_table(rows=1, cols=1)
        cell = layout.cell(0, 0)
        cell.text = "整篇报告放在一个单元格里。"
        cell.add_paragraph("第二段也在同一个单元格里。")

    lines = ingest_bytes(make_docx(build)).text.split("\n")
    assert lines[0] == "合并的表头"
    assert lines[1] == "左\t内甲\t内乙"  # a nested table is flattened into its cell
    assert lines[-2:] == ["整篇报告放在一个单元格里。", "第二段也在同一个单元格里。"]


def test_docx_line_breaks_tabs_and_tracked_changes():
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def build(document):
        paragraph = document.add_paragraph("第一行")
        run = paragraph.add_run()
        run.add_break()
        run.add_text("第二行")
        deleted = OxmlElement("w:del")
        deleted_run = OxmlElement("w:r")
        deleted_text = OxmlElement("w:delText")
        deleted_text.text = "已删除的文字"
        deleted_run.append(deleted_text)
        deleted.append(deleted_run)
        paragraph._p.append(deleted)
        inserted = OxmlElement("w:ins")
        inserted_run = OxmlElement("w:r")
        inserted_text = OxmlElement("w:t")
        inserted_text.text = "（修订插入）"
        inserted_run.append(inserted_text)
        inserted.append(inserted_run)
        paragraph._p.append(inserted)
        assert qn("w:ins") == inserted.tag

    text = ingest_bytes(make_docx(build)).text
    assert text == "第一行\n第二行（修订插入）"


def _add_chinese_numbering(document) -> str:
    """Define a list '一、' / '（一）' / '1.' in numbering.xml and return its numId."""
    from lxml import etree

    numbering = document.part.numbering_part.element
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    abstract = etree.fromstring(
        f'<w:abstractNum xmlns:w="{w}" w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%3."/><w:suff w:val="nothing"/></w:lvl>'
        "</w:abstractNum>"
    )
    num = etree.fromstring(f'<w:num xmlns:w="{w}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    first_num = numbering.find(f"{{{w}}}num")
    first_num.addprevious(abstract)
    numbering.append(num)
    return "90"


def _numbered(document, text, num_id, level):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = document.add_paragraph(text)
    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), num_id)
    numpr.append(ilvl)
    numpr.append(num)
    ppr.append(numpr)


def test_docx_automatic_numbering_is_rendered():
    def build(document):
        num_id = _add_chinese_numbering(document)
        _numbered(document, "主要举措", num_id, 0)
        _numbered(document, "加强组织领导", num_id, 1)
        _numbered(document, "完善制度", num_id, 1)
        _numbered(document, "制定规划", num_id, 2)
        _numbered(document, "存在的问题", num_id, 0)
        _numbered(document, "下一步打算", num_id, 1)
        document.add_paragraph("普通段落", style="List Bullet")
        document.add_paragraph("默认编号样式", style="List Number")

    assert ingest_bytes(make_docx(build)).text.split("\n") == [
        "一、主要举措",
        "（一）加强组织领导",
        "（二）完善制度",
        "1.制定规划",
        "二、存在的问题",
        "（一）下一步打算",
        "普通段落",
        "1.默认编号样式",
    ]


def test_chinese_number_formatting():
    assert [ingest._chinese_number(n) for n in (1, 10, 11, 20, 21, 100, 105, 110, 999)] == [
        "一", "十", "十一", "二十", "二十一", "一百", "一百零五", "一百一十", "九百九十九",
    ]


def test_empty_docx():
    expect_error("empty", make_docx(lambda d: None))


def test_corrupt_docx_variants():
    good = make_docx(_report_docx)
    expect_error("corrupt_docx", good[: len(good) // 2], filename="report.docx")
    expect_error("corrupt_docx", b"PK\x03\x04" + b"\x01garbage" * 50, filename="report.docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("word/other.xml", "<x/>")
    expect_error("corrupt_docx", buffer.getvalue(), filename="report.docx")
    # Valid zip, document.xml is not XML.
    source = zipfile.ZipFile(io.BytesIO(good))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for item in source.infolist():
            data = b"<w:document><unclosed" if item.filename == "word/document.xml" else source.read(item)
            zf.writestr(item, data)
    expect_error("corrupt_docx", buffer.getvalue())


def test_docx_zip_bomb_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(ingest, "DOCX_MAX_UNCOMPRESSED", 1024 * 1024)
    good = make_docx(_report_docx)
    source = zipfile.ZipFile(io.BytesIO(good))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for item in source.infolist():
            zf.writestr(item, source.read(item))
        zf.writestr("word/media/bomb.bin", b"\x00" * (2 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 100 * 1024
    expect_error("too_large", data, filename="report.docx")


# --------------------------------------------------------------------------- pdf


def make_pdf(pages, *, to_unicode=True, encrypt=False, page_size=(595, 842)) -> bytes:
    """A minimal PDF.  ``pages`` is a list of pages; a page is a list of (x, y, size, text)
    lines, or a raw content-stream ``bytes``.  Text uses a Type0 font with Identity-H
    encoding (CID = Unicode code point) and a ToUnicode CMap, like real CJK PDFs."""
    chars = sorted({ord(ch) for page in pages if not isinstance(page, bytes) for *_, t in page for ch in t})
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(content: bytes, extra: bytes = b"") -> bytes:
        return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"

    catalog = add(b"")  # placeholder, filled below
    pages_id = add(b"")
    bfchar = b""
    for i in range(0, len(chars), 100):
        block = chars[i:i + 100]
        bfchar += b"%d beginbfchar\n" % len(block)
        bfchar += b"".join(b"<%04X> <%04X>\n" % (c, c) for c in block) + b"endbfchar\n"
    cmap = (
        b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        b"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + bfchar +
        b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    )
    to_unicode_id = add(stream(cmap))
    descriptor = add(
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [0 -200 1000 900]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
    )
    cid_font = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
        b" /FontDescriptor %d 0 R /DW 1000 >>" % descriptor
    )
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H"
        b" /DescendantFonts [%d 0 R]%s >>"
        % (cid_font, b" /ToUnicode %d 0 R" % to_unicode_id if to_unicode else b"")
    )
    kids = []
    for page in pages:
        if isinstance(page, bytes):
            content = page
        else:
            content = b"".join(
                b"BT /F1 %g Tf 1 0 0 1 %g %g Tm <%s> Tj ET\n"
                % (size, x, y, text.encode("utf-16-be").hex().encode())
                for x, y, size, text in page
            )
        content_id = add(stream(content))
        kids.append(add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 %d 0 R >> >>"
            b" /Contents %d 0 R >>" % (pages_id, page_size[0], page_size[1], font, content_id)
        ))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    encrypt_id = None
    if encrypt:
        # O/U values that do not match the empty password: pdfminer cannot open it.
        encrypt_id = add(
            b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (b"ab" * 32, b"cd" * 32)
        )

    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    if encrypt_id:
        trailer += b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (encrypt_id, b"01" * 16, b"01" * 16)
    out.write(b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


SIZE = 12
LEFT = 72
LINE_CHARS = 36  # 36 * 12pt = 432pt text width


def lay_out(paragraphs, *, lines_per_page=20, header=None, footer=None, title=None):
    """Typeset paragraphs like a gov report: first lines indented two characters, wrapped at
    LINE_CHARS, headings on their own line; footer(page_number) -> text centred at the bottom."""
    rows = []
    if title:
        rows.append(("title", title))
    for paragraph in paragraphs:
        text = paragraph
        first = True
        while text:
            room = LINE_CHARS - (2 if first else 0)
            rows.append(("indent" if first else "body", text[:room]))
            text = text[room:]
            first = False
    pages = []
    for start in range(0, len(rows), lines_per_page):
        number = len(pages) + 1
        page = []
        y = 760
        if header:
            page.append((LEFT, 800, 9, header))
        for kind, text in rows[start:start + lines_per_page]:
            if kind == "title":
                x = LEFT + (LINE_CHARS - len(text)) * SIZE / 2
            else:
                x = LEFT + (2 * SIZE if kind == "indent" else 0)
            page.append((x, y, SIZE, text))
            y -= SIZE * 1.8
        if footer:
            label = footer(number)
            page.append((297 - len(label) * 4.5, 40, 9, label))
        pages.append(page)
    return pages


REPORT_PARAGRAPHS = [
    "2022年，全区上下坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"
    "认真落实党中央、国务院关于法治政府建设的决策部署，法治政府建设取得新成效。",
    "一、主要举措和成效",
    "（一）深入推进依法行政。严格落实重大行政决策程序规定，全年共有12项重大行政决策事项经过合法性审查，"
    "决策质量和效率明显提升，群众满意度持续提高。",
    "（二）严格规范公正文明执法。全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度，"
    "执法规范化水平不断提高，执法争议明显减少，执法公信力进一步增强，人民群众的获得感不断增强和提升。",
    "二、存在的不足和下一步打算",
    "一些部门领导干部运用法治思维和法治方式的能力还需提高。下一步，我们将坚持问题导向，持续用力。",
]


def test_pdf_text_layer_with_paragraphs_headings_and_page_numbers():
    title = "关于2022年法治政府建设情况的报告"
    pages = lay_out(
        REPORT_PARAGRAPHS, lines_per_page=5, title=title, header="某某区人民政府文件",
        footer=lambda n: f"— {n} —",
    )
    assert len(pages) >= 3
    result = ingest_bytes(make_pdf(pages), filename="report.pdf")
    assert result.format == "pdf"
    assert result.encoding == ""
    assert result.text.split("\n") == [title] + REPORT_PARAGRAPHS
    assert result.warnings == []


@pytest.mark.parametrize(
    "footer",
    [
        lambda n: f"第 {n} 页",
        lambda n: f"第{n}页 共3页",
        lambda n: f"- {n} -",
        lambda n: str(n),
        lambda n: f"{n} / 3",
    ],
)
def test_pdf_page_number_styles_are_removed(footer):
    pages = lay_out(REPORT_PARAGRAPHS, lines_per_page=8, footer=footer)
    text = ingest_bytes(make_pdf(pages)).text
    assert text.split("\n") == REPORT_PARAGRAPHS


def test_pdf_numbers_inside_text_are_kept():
    pages = [[(LEFT, 700, SIZE, "全年办理复议案件"), (LEFT, 680, SIZE, "2022"), (LEFT, 660, SIZE, "件。")]]
    # A bare number that is not at the top or bottom of a page is report text.
    assert "2022" in ingest_bytes(make_pdf(pages)).text


def test_pdf_without_text_layer():
    drawing = b"0 0 1 rg 100 100 200 200 re f\n"
    error = expect_error("pdf_no_text", make_pdf([drawing, drawing]))
    assert error.message == "PDF 中没有可提取的文字（可能是扫描件），需要先进行 OCR。"


def test_pdf_without_unicode_mapping_needs_ocr():
    pages = lay_out(REPORT_PARAGRAPHS[:2])
    expect_error("pdf_no_text", make_pdf(pages, to_unicode=False))


def test_pdf_encrypted_without_password():
    error = expect_error("pdf_encrypted", make_pdf(lay_out(REPORT_PARAGRAPHS[:1]), encrypt=True))
    assert "加密" in error.message and "密码" in error.message


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\nthis is not a pdf at all\n%%EOF",
        b"%PDF-1.7\n" + bytes(range(256)) * 20,
        b"%PDF-",
    ],
)
def test_corrupt_pdf(data):
    with pytest.raises(IngestError) as info:
        ingest_bytes(data, filename="x.pdf")
    assert info.value.code in ("corrupt_pdf", "pdf_no_text")


def test_truncated_pdf_never_raises_anything_else():
    data = make_pdf(lay_out(REPORT_PARAGRAPHS))
    for cut in (20, len(data) // 4, len(data) // 2, len(data) - 30):
        try:
            result = ingest_bytes(data[:cut])
        except IngestError as error:
            assert error.code in ("corrupt_pdf", "pdf_no_text")
        else:
            assert isinstance(result, IngestedText)


def test_pdf_page_cap(monkeypatch):
    monkeypatch.setattr(ingest, "MAX_PDF_PAGES", 2)
    pages = [[(LEFT, 700, SIZE, f"第{n}页的正文内容。")] for n in "一二三四"]
    result = ingest_bytes(make_pdf(pages))
    assert result.text == "第一页的正文内容。\n第二页的正文内容。"
    assert any("只导入了前 2 页" in w for w in result.warnings)


def test_pdf_table_row_cells_are_tab_separated():
    page = [
        (LEFT, 700, SIZE, "指标"), (LEFT + 150, 700, SIZE, "2021年"), (LEFT + 300, 700, SIZE, "2022年"),
        (LEFT, 680, SIZE, "复议案件"), (LEFT + 150, 680, SIZE, "120"), (LEFT + 300, 680, SIZE, "135"),
    ]
    assert ingest_bytes(make_pdf([page])).text == "指标\t2021年\t2022年\n复议案件\t120\t135"


# --------------------------------------------------------------------------- html

GOV_PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<!-- saved from url=(0050)http://www.example.gov.cn/art/2022/3/30/art_1.html -->
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某某市2021年法治政府建设年度报告_某某市人民政府</title>
<meta name="ArticleTitle" content="某某市2021年法治政府建设年度报告">
<meta name="PubDate" content="2022-03-30 10:15">
<meta name="ContentSource" content="市司法局">
<link rel="canonical" href="http://www.example.gov.cn/art/2022/3/30/art_1.html">
<style>.x{color:red}</style>
<script>var nav = "首页 脚本里的文字";</script>
</head>
<body>
<div class="top-header"><img src="logo.png" alt="某某市人民政府"><span>欢迎访问某某市人民政府门户网站</span></div>
<div id="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/hdjl">互动交流</a></li><li><a href="/bsfw">办事服务</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 法治政府建设</div>
<div class="main">
 <table class="xxgk-table">
  <tr><td>索引号：</td><td>11111111/2022-00001</td><td>发布机构：</td><td>某某市人民政府办公室</td></tr>
  <tr><td>成文日期：</td><td>2022-03-29</td><td>发布日期：</td><td>2022-03-30</td></tr>
 </table>
 <div class="article-title"><h1>某某市2021年法治政府建设年度报告</h1></div>
 <div class="info">发布时间：2022-03-30 来源：市司法局 <span class="share">分享到：微信 微博</span></div>
 <div id="zoom" class="TRS_Editor">
  <p style="text-indent:2em">2021年，在市委的坚强领导下，市政府深入学习贯彻习近平法治思想，
  全面落实《法治政府建设实施纲要（2021—2025年）》，法治政府建设取得积极成效。现将有关情况报告如下：</p>
  <p><strong>一、2021年法治政府建设的主要举措和成效</strong></p>
  <p>（一）持续深化“放管服”改革。全面实行政府权责清单制度，<a href="/qd">权责清单</a>动态调整<br>
  事项1200余项，政务服务事项“一网通办”比例达到98%。</p>
  <p>（二）完善依法行政制度体系。严格落实合法性审查制度，全年审查规范性文件36件。</p>
  <table><tr><td>指标</td><td>2020年</td><td>2021年</td></tr>
  <tr><td>行政复议案件</td><td>120</td><td>135</td></tr></table>
  <p><strong>二、存在的不足</strong></p>
  <p>对照新要求，我市法治政府建设还存在一些不足，基层执法能力有待加强。</p>
  <p style="text-align:right">某某市人民政府<br>2022年3月29日</p>
 </div>
 <div class="bdsharebuttonbox">分享到：<a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a></div>
 <div class="print-bar">【<a href="javascript:window.print()">打印本页</a>】【<a href="#">关闭窗口</a>】</div>
 <div class="related"><h3>相关文章</h3><ul>
  <li><a href="/a1">某某市2020年法治政府建设年度报告</a></li>
  <li><a href="/a2">关于印发某某市法治政府建设实施方案的通知</a></li></ul></div>
</div>
<div id="footer"><p>主办：某某市人民政府办公室　承办：某某市大数据中心</p>
<p>网站标识码：1111000001　京ICP备00000000号　版权所有，未经许可不得转载。</p></div>
</body></html>
"""

GOV_PAGE_LINES = [
    "某某市2021年法治政府建设年度报告",
    "2021年，在市委的坚强领导下，市政府深入学习贯彻习近平法治思想，全面落实《法治政府建设实施纲要（2021—2025年）》，"
    "法治政府建设取得积极成效。现将有关情况报告如下：",
    "一、2021年法治政府建设的主要举措和成效",
    "（一）持续深化“放管服”改革。全面实行政府权责清单制度，权责清单动态调整",
    "事项1200余项，政务服务事项“一网通办”比例达到98%。",
    "（二）完善依法行政制度体系。严格落实合法性审查制度，全年审查规范性文件36件。",
    "指标\t2020年\t2021年",
    "行政复议案件\t120\t135",
    "二、存在的不足",
    "对照新要求，我市法治政府建设还存在一些不足，基层执法能力有待加强。",
    "某某市人民政府",
    "2022年3月29日",
]


def test_gov_page_main_content_title_and_meta():
    result = ingest_bytes(GOV_PAGE.encode("gb18030"), filename="art_1.html")
    assert result.format == "html"
    assert result.encoding == "gb18030"
    assert result.text.split("\n") == GOV_PAGE_LINES
    for chrome in ("政务公开", "当前位置", "索引号", "分享到", "打印本页", "相关文章", "网站标识码", "脚本里的文字",
                   "欢迎访问"):
        assert chrome not in result.text
    assert result.page_meta["title"] == "某某市2021年法治政府建设年度报告_某某市人民政府"
    assert result.page_meta["published"] == "2022-03-30 10:15"
    assert result.page_meta["source_url"] == "http://www.example.gov.cn/art/2022/3/30/art_1.html"


def test_gov_page_in_utf8_and_mislabelled_charset():
    # Declared gb2312 but saved as UTF-8 (browsers' "save as" often does this).
    result = ingest_bytes(GOV_PAGE.encode("utf-8"), filename="a.htm")
    assert result.encoding == "utf-8"
    assert result.text.split("\n") == GOV_PAGE_LINES


def test_html_detected_by_content_whatever_the_name():
    result = ingest_bytes(GOV_PAGE.encode("gb18030"), filename="report.txt")
    assert result.format == "html"
    assert any(".txt" in w for w in result.warnings)


def test_html_fragment_with_html_extension():
    data = "<p>第一段。</p><p>第二段，<b>加粗</b>的文字。</p>".encode("utf-8")
    result = ingest_bytes(data, filename="page.htm")
    assert result.format == "html"
    assert result.text == "第一段。\n第二段，加粗的文字。"
    # The same bytes without an HTML name are plain text.
    assert ingest_bytes(data, filename="page.txt").format == "text"


def test_html_report_inside_layout_table_and_big5_meta():
    page = (
        '<html><head><meta charset="big5"><title>年度報告</title></head><body><table>'
        '<tr><td class="leftmenu"><a href="/">首頁</a><a href="/b">公告</a></td>'
        "<td><p>一、推進依法行政，健全制度體系，嚴格規範公正文明執法，全面提升政府治理能力。</p>"
        "<p>二、強化監督問責，完善行政復議和應訴工作機制，持續提高行政機關負責人出庭應訴率。</p></td></tr>"
        "</table></body></html>"
    )
    result = ingest_bytes(page.encode("big5"))
    assert result.encoding == "big5"
    assert result.text.split("\n") == [
        "一、推進依法行政，健全制度體系，嚴格規範公正文明執法，全面提升政府治理能力。",
        "二、強化監督問責，完善行政復議和應訴工作機制，持續提高行政機關負責人出庭應訴率。",
    ]
    assert result.page_meta["title"] == "年度報告"


def test_html_chrome_class_never_drops_report_text():
    # A content container unluckily named like chrome ("header") still has the report.
    body = "".join(f"<p>第{n}段：本年度法治政府建设工作全面推进，各项任务圆满完成，群众满意度不断提升。</p>" for n in range(8))
    page = (
        '<html><body><div id="nav"><a href="/">首页</a></div>'
        f'<div class="content-header">{body}</div></body></html>'
    )
    result = ingest_bytes(page.encode("utf-8"))
    assert result.text.count("段：") == 8
    assert "首页" not in result.text


def test_html_meta_variants():
    page = (
        '<html><head><meta property="og:url" content="https://gov.example/a">'
        '<meta property="article:published_time" content="2023-01-05T08:00:00+08:00">'
        "<title> 报告 </title></head><body><p>正文内容。</p></body></html>"
    )
    result = ingest_bytes(page.encode("utf-8"))
    assert result.page_meta == {
        "title": "报告",
        "published": "2023-01-05T08:00:00+08:00",
        "source_url": "https://gov.example/a",
    }


def test_html_without_text():
    expect_error("empty", b"<html><body><script>var a=1;</script><img src=x></body></html>")


def test_deeply_nested_html_does_not_crash():
    page = "<html><body>" + "<div>" * 5000 + "<p>深层嵌套的正文。</p>" + "</div>" * 5000 + "</body></html>"
    try:
        result = ingest_bytes(page.encode("utf-8"))
    except IngestError:
        return
    assert "深层嵌套的正文。" in result.text


# --------------------------------------------------------------------------- content beats extension


def test_content_beats_extension():
    pdf = make_pdf(lay_out(REPORT_PARAGRAPHS[:1]))
    result = ingest_bytes(pdf, filename="report.txt")
    assert result.format == "pdf"
    assert result.warnings[0] == "文件扩展名是 .txt，但内容是PDF，已按PDF导入。"

    docx_bytes = make_docx(_report_docx)
    assert ingest_bytes(docx_bytes, filename="report.pdf").format == "docx"
    assert ingest_bytes(docx_bytes, filename="").format == "docx"

    text = "法治政府建设年度报告".encode("gb18030")
    assert ingest_bytes(text, filename="report.docx").format == "text"
    assert ingest_bytes(text, filename="report.pdf").format == "text"

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
    assert "PNG" in expect_error("unknown_format", png, filename="report.docx").message


def test_only_ingest_errors_escape_for_random_input():
    import random

    rng = random.Random(1234)
    prefixes = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html>", b"\xef\xbb\xbf", b"\xff\xfe"]
    for _ in range(200):
        data = rng.choice(prefixes) + bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300)))
        try:
            result = ingest_bytes(data, filename=rng.choice(["", "a.docx", "a.pdf", "a.html", "a.txt"]))
        except IngestError as error:
            assert error.code in {
                "empty", "whitespace", "too_large", "binary", "unknown_format", "corrupt_docx",
                "corrupt_pdf", "pdf_encrypted", "pdf_no_text", "undecodable",
            }
        else:
            assert isinstance(result.text, str)
