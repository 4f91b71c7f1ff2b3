"""Files the intake tests feed in, made from the seed reports with real tools.

Scans: seed text rendered with Debian's CJK font (WenQuanYi Zen Hei) by Pillow at 300 dpi;
Pillow writes an image-only PDF from such pages.  .doc: the seed .docx converted by
LibreOffice.  OFD: the package XML written per GB/T 33190 (no tool makes OFD on Debian).
"""

from __future__ import annotations

import io
import subprocess
import tempfile
import zipfile
from pathlib import Path

from tests.reports.conftest import SEED_FILES

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
DPI = 300
PAGE = (2480, 3508)  # A4 at 300 dpi
MARGIN = 200
FONT_PX = 50  # ~12 pt at 300 dpi
LINE_PX = int(FONT_PX * 1.8)
LINES_PER_PAGE = (PAGE[1] - 2 * MARGIN) // LINE_PX  # 34: every line lands on the page


def seed_paragraphs(index: int = 0, limit: int = 12) -> list[str]:
    lines = [ln.strip() for ln in SEED_FILES[index].read_text(encoding="utf-8").splitlines() if ln.strip()]
    return lines[:limit]


def wrap(paragraphs: list[str], chars_per_line: int) -> list[str]:
    out = []
    for paragraph in paragraphs:
        text = "\u3000\u3000" + paragraph
        while text:
            out.append(text[:chars_per_line])
            text = text[chars_per_line:]
    return out


def render_pages(paragraphs: list[str], *, lines_per_page: int = LINES_PER_PAGE):
    """Pillow images of the paragraphs, A4 at 300 dpi, black on white."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, FONT_PX)
    per_line = (PAGE[0] - 2 * MARGIN) // FONT_PX
    lines = wrap(paragraphs, per_line)
    pages = []
    for start in range(0, len(lines), lines_per_page):
        image = Image.new("L", PAGE, 255)
        draw = ImageDraw.Draw(image)
        for row, line in enumerate(lines[start:start + lines_per_page]):
            draw.text((MARGIN, MARGIN + row * LINE_PX), line, font=font, fill=0)
        pages.append(image)
    return pages


def image_bytes(image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def scanned_pdf(pages) -> bytes:
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", resolution=DPI, save_all=True, append_images=pages[1:])
    return buffer.getvalue()


def text_pdf(paragraphs: list[str]) -> bytes:
    """A PDF with a text layer, made by LibreOffice from a .docx of the paragraphs."""
    return soffice_convert(docx_bytes(paragraphs), ".docx", "pdf")


def mixed_pdf(typed: list[str], scanned: list[str]) -> bytes:
    """Page 1 typed (text layer), page 2 scanned, page 3 typed again."""
    import pypdfium2 as pdfium

    first, last = pdfium.PdfDocument(text_pdf(typed[:2])), pdfium.PdfDocument(text_pdf(typed[2:4]))
    scan = pdfium.PdfDocument(scanned_pdf(render_pages(scanned)))
    out = pdfium.PdfDocument.new()
    out.import_pages(first, [0])
    out.import_pages(scan, [0])
    out.import_pages(last, [0])
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def soffice_convert(data: bytes, suffix: str, target: str) -> bytes:
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / f"in{suffix}"
        source.write_bytes(data)
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{work}/profile", "--convert-to", target,
             "--outdir", work, str(source)],
            check=True, capture_output=True, timeout=180, env={"HOME": work, "PATH": "/usr/bin:/bin"},
        )
        return (Path(work) / f"in.{target.split(':')[0]}").read_bytes()


def doc_bytes(paragraphs: list[str]) -> bytes:
    return soffice_convert(docx_bytes(paragraphs), ".docx", "doc:MS Word 97")


# --------------------------------------------------------------------------- OFD

_NS = "http://www.ofdspec.org/2016"


def ofd_bytes(pages: list[list[str]], *, title: str = "", created: str = "", shuffle: bool = True) -> bytes:
    """An OFD package, one TextObject per line.  ``shuffle`` writes each page's objects in
    reverse order, so only a reader that sorts by position gets the reading order right."""
    info = ""
    if title:
        info += f"<ofd:Title>{title}</ofd:Title>"
    if created:
        info += f"<ofd:CreationDate>{created}</ofd:CreationDate>"
    ofd_xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{_NS}" Version="1.0" DocType="OFD">'
        f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID>{info}</ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    page_refs = "".join(
        f'<ofd:Page ID="{n + 1}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(len(pages))
    )
    document_xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{_NS}"><ofd:CommonData>'
        '<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>'
        f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("OFD.xml", ofd_xml)
        zf.writestr("Doc_0/Document.xml", document_xml)
        for n, lines in enumerate(pages):
            objects = []
            for row, line in enumerate(lines):
                y = 30 + row * 7
                objects.append(
                    f'<ofd:TextObject ID="{n * 1000 + row + 10}" Boundary="25 {y} 160 6" Font="1" Size="4.2">'
                    f'<ofd:TextCode X="0" Y="4.2">{line}</ofd:TextCode></ofd:TextObject>'
                )
            if shuffle:
                objects.reverse()
            content = (
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{_NS}"><ofd:Content>'
                f'<ofd:Layer ID="{n + 1}">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
            )
            zf.writestr(f"Doc_0/Pages/Page_{n}/Content.xml", content)
    return buffer.getvalue()


def char_recall(expected: str, got: str) -> float:
    """Share of the expected characters (whitespace ignored, full/half width folded by NFKC)
    found in order in ``got``."""
    import difflib
    import unicodedata

    a = "".join(unicodedata.normalize("NFKC", expected).split())
    b = "".join(unicodedata.normalize("NFKC", got).split())
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / max(len(a), 1)
