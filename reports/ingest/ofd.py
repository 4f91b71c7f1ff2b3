"""OFD (GB/T 33190-2016, the national fixed-layout format), read from the package's XML.

An OFD file is a zip: ``OFD.xml`` names each document's ``Document.xml`` and carries its
``DocInfo`` (title, author, creation/modification dates); ``Document.xml`` lists the pages
in order, each page's ``Content.xml`` holds positioned ``TextObject``/``TextCode`` runs.
The runs become the geometric lines the PDF reader uses (position and size in millimetres),
so OFD text gets the same reading order, paragraph joining and page-furniture removal.

No library: easyofd renders pages to images (it depends on PyMuPDF, OpenCV and fontTools)
and its text path loses order; reading ~100 lines of XML here is smaller and safer (lxml
with entities and network access off, zip-bomb limits shared with .docx).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from reports.ingest.base import IngestedText, Limits, _err, _size_label
from reports.ingest.registry import Format

_BROKEN = "OFD 文件已损坏或结构不完整（{why}），无法导入。"
_NO_TEXT = "OFD 文件中没有可提取的文字（可能是扫描件或只含图片），无法导入。"
_DOC_INFO_FIELDS = {"Title": "title", "Author": "author", "Subject": "subject", "CreationDate": "created",
                    "ModDate": "modified", "Creator": "creator"}
_NUMBER_RE = re.compile(r"-?\d+(?:\.\d+)?")


def detect(data: bytes, ext: str) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return any(n.lower().lstrip("/") == "ofd.xml" for n in zf.namelist())
    except Exception:  # noqa: BLE001 - not a readable zip: other readers decide
        return ext == ".ofd"


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str):
    return [c for c in element if _local(c.tag) == name]


def _first_text(element, name: str) -> str:
    for node in element.iter():
        if _local(node.tag) == name:
            return (node.text or "").strip()
    return ""


class _Package:
    def __init__(self, data: bytes, limits: Limits):
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except Exception:  # noqa: BLE001
            raise _err("corrupt_ofd", _BROKEN.format(why="压缩包无法读取")) from None
        if len(infos) > limits.docx_max_entries:
            raise _err("corrupt_ofd", _BROKEN.format(why="部件过多"))
        if sum(i.file_size for i in infos) > limits.docx_max_uncompressed:
            limit = _size_label(limits.docx_max_uncompressed)
            raise _err("too_large", f"OFD 文件解压后超过大小上限（{limit}），无法导入。")
        self.names = {i.filename.lstrip("/").lower(): i.filename for i in infos}
        self.max_part = limits.docx_max_part

    def xml(self, path: str):
        from lxml import etree

        name = self.names.get(posixpath.normpath(path.lstrip("/")).lower())
        if name is None:
            raise _err("corrupt_ofd", _BROKEN.format(why=f"缺少 {path}"))
        info = self.zf.getinfo(name)
        if info.file_size > self.max_part:
            raise _err("too_large", f"OFD 部件 {path} 解压后超过大小上限（{_size_label(self.max_part)}），无法导入。")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
        try:
            return etree.fromstring(self.zf.read(name), parser)
        except Exception:  # noqa: BLE001 - XMLSyntaxError, zlib errors, bad CRC...
            raise _err("corrupt_ofd", _BROKEN.format(why=f"{path} 无法解析")) from None


def _numbers(value: str | None) -> list[float]:
    return [float(n) for n in _NUMBER_RE.findall(value or "")]


def _page_lines(content, page_no: int) -> list:
    """One _PdfLine per TextCode, position = object boundary + code offset (mm, y down)."""
    from reports.ingest.pdf import _PdfLine

    lines = []
    for obj in content.iter():
        if _local(obj.tag) != "TextObject":
            continue
        box = _numbers(obj.get("Boundary")) + [0, 0, 0, 0]
        size = (_numbers(obj.get("Size")) or [3.5])[0]
        x_last = 0.0
        y_last = 0.0
        for code in _children(obj, "TextCode"):
            text = "".join(code.itertext()).strip()
            x = (_numbers(code.get("X")) or [x_last])[0]
            y = (_numbers(code.get("Y")) or [y_last])[0]
            x_last, y_last = x, y
            if not text:
                continue
            left = box[0] + x
            baseline = box[1] + y
            width = len(text) * size
            lines.append(_PdfLine(text, left, left + width, -(baseline - size), -baseline, max(size, 0.1), page_no))
    lines.sort(key=lambda ln: (-ln.top, ln.x0))
    # Runs on one baseline (a line split into several TextObjects) become one line.
    rows: list = []
    for line in lines:
        if rows and abs(rows[-1].top - line.top) < 0.5 * min(rows[-1].size, line.size):
            last = rows[-1]
            gap = line.x0 - last.x1
            last.text += ("\t" if gap > 2 * line.size else "") + line.text
            last.x1 = max(last.x1, line.x1)
            continue
        rows.append(line)
    return rows


def _ingest_ofd(data: bytes, limits: Limits | None = None) -> IngestedText:
    from reports.ingest.ocr import lines_to_text

    limits = limits or Limits()
    package = _Package(data, limits)
    root = package.xml("OFD.xml")
    bodies = [b for b in root.iter() if _local(b.tag) == "DocBody"]
    if not bodies:
        raise _err("corrupt_ofd", _BROKEN.format(why="OFD.xml 中没有 DocBody"))
    meta: dict[str, str] = {}
    pages: list[list] = []
    warnings: list[str] = []
    for body in bodies[:1]:  # a package may hold several documents; reports hold one
        info = next((n for n in body if _local(n.tag) == "DocInfo"), None)
        if info is not None:
            for child in info:
                key = _DOC_INFO_FIELDS.get(_local(child.tag))
                if key and (child.text or "").strip():
                    meta[f"ofd_{key}"] = child.text.strip()
        doc_root = _first_text(body, "DocRoot")
        if not doc_root:
            raise _err("corrupt_ofd", _BROKEN.format(why="缺少 DocRoot"))
        document = package.xml(doc_root)
        base = posixpath.dirname(doc_root.lstrip("/"))
        page_refs = [p for p in document.iter() if _local(p.tag) == "Page"]
        for number, page in enumerate(page_refs):
            if number >= limits.max_pdf_pages:
                warnings.append(f"OFD 超过 {limits.max_pdf_pages} 页，只导入了前 {limits.max_pdf_pages} 页。")
                break
            location = page.get("BaseLoc", "")
            path = location.lstrip("/") if location.startswith("/") else posixpath.join(base, location)
            pages.append(_page_lines(package.xml(path), number))
    if len(bodies) > 1:
        warnings.append("OFD 包含多个文档，只导入了第一个。")
    if meta.get("ofd_title"):
        meta["title"] = meta["ofd_title"]
    if meta.get("ofd_created"):  # the issuing office's creation date: the best publication date there is
        meta["published"] = meta["ofd_created"][:10]
    text = lines_to_text(pages)
    if not text.strip():
        raise _err("ofd_no_text", _NO_TEXT)
    return IngestedText(text=text, format="ofd", encoding="", warnings=warnings, page_meta=meta)


FORMAT = Format(
    name="ofd", label="OFD 版式文档",
    detect=detect,
    extract=_ingest_ofd,
    extensions=(".ofd",),
)
