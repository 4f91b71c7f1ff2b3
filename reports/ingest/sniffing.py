"""Recognise a file by its content (never by its name alone).

``detect_format`` asks the registered formats in order; files of a known but unsupported
kind (images without OCR, executables, archives...) get a message naming what they are.
"""

from __future__ import annotations

import io
import re
import zipfile

from reports.ingest.base import IngestError, _err
from reports.ingest.decoding import _bom, _utf16_without_bom

_NOT_SUPPORTED = "文件不是文本、Word(.docx)、PDF 或网页，无法导入（看起来是{what}）。"
_CONVERT_HINT = "请另存为 .docx 或 PDF 后再导入。"

# (prefix, label, is a document that could be converted)
_SIGNATURES: tuple[tuple[bytes, str, bool], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG 图片", False),
    (b"\xff\xd8\xff", "JPEG 图片", False),
    (b"GIF87a", "GIF 图片", False),
    (b"GIF89a", "GIF 图片", False),
    (b"II*\x00", "TIFF 图片", False),
    (b"MM\x00*", "TIFF 图片", False),
    (b"8BPS", "Photoshop 图片", False),
    (b"\x00\x00\x01\x00", "ICO 图标", False),
    (b"ID3", "MP3 音频", False),
    (b"OggS", "Ogg 音视频", False),
    (b"fLaC", "FLAC 音频", False),
    (b"\x1a\x45\xdf\xa3", "MKV/WebM 视频", False),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office 文件（.doc/.xls/.ppt 或 WPS）", True),
    (b"{\\rtf", "RTF 文档", True),
    (b"%!PS", "PostScript 文件", True),
    (b"CAJ", "CAJ 文档", True),
    (b"KDH ", "KDH 文档", True),
    (b"AT&TFORM", "DjVu 文档", True),
    (b"\x1f\x8b", "GZIP 压缩包", False),
    (b"\xfd7zXZ\x00", "XZ 压缩包", False),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip 压缩包", False),
    (b"Rar!\x1a\x07", "RAR 压缩包", False),
    (b"\x28\xb5\x2f\xfd", "Zstandard 压缩包", False),
    (b"\x7fELF", "ELF 可执行文件", False),
    (b"\xcf\xfa\xed\xfe", "Mach-O 可执行文件", False),
    (b"\xce\xfa\xed\xfe", "Mach-O 可执行文件", False),
    (b"\xca\xfe\xba\xbe", "可执行文件", False),
    (b"\x00asm", "WebAssembly 文件", False),
    (b"SQLite format 3\x00", "SQLite 数据库", False),
)
_OLE_BY_EXTENSION = {
    ".doc": "旧版 Word 文档（.doc）",
    ".dot": "旧版 Word 模板（.dot）",
    ".wps": "WPS 文字文件（.wps）",
    ".xls": "旧版 Excel 表格（.xls）",
    ".et": "WPS 表格文件（.et）",
    ".ppt": "旧版 PowerPoint 演示文稿（.ppt）",
    ".dps": "WPS 演示文件（.dps）",
}
_HTML_START = (b"<!doctype html", b"<html", b"<head", b"<meta", b"<body", b"<title", b"<base", b"<link")
_HTML_EXTENSIONS = (".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php")
_HTML_TAG_RE = re.compile(rb"<(?:html|head|body|p|div|br|table|span|meta|title|h[1-6]|font|center)\b", re.I)
def extension(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return "." + name.rsplit(".", 1)[1] if "." in name else ""


def _unsupported(what: str, document: bool) -> IngestError:
    message = _NOT_SUPPORTED.format(what=(" " if what[:1].isascii() else "") + what)
    if document:
        message += _CONVERT_HINT
    return _err("unknown_format", message)


def _signature(data: bytes, ext: str) -> IngestError | None:
    """A known non-supported file type, recognised by its magic bytes."""
    for prefix, label, document in _SIGNATURES:
        if data.startswith(prefix):
            if prefix.startswith(b"\xd0\xcf\x11\xe0"):
                label = _OLE_BY_EXTENSION.get(ext, label)
            return _unsupported(label, document)
    if data[:2] == b"BM" and len(data) > 26 and data[6:10] == b"\x00\x00\x00\x00":
        return _unsupported("BMP 图片", False)
    if data[:4] == b"RIFF" and len(data) >= 12:
        kind = {b"WEBP": "WebP 图片", b"WAVE": "WAV 音频", b"AVI ": "AVI 视频"}.get(data[8:12], "RIFF 媒体文件")
        return _unsupported(kind, False)
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1", b"avif"):
            return _unsupported("HEIC/AVIF 图片", False)
        return _unsupported("MP4/MOV 视频", False)
    if data[257:262] == b"ustar":
        return _unsupported("TAR 归档", False)
    if data[:2] == b"MZ" and len(data) > 0x40:
        pe = int.from_bytes(data[0x3C:0x40], "little")
        if data[pe:pe + 4] == b"PE\x00\x00":
            return _unsupported("Windows 可执行文件", False)
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B))
    return controls > len(sample) * 0.05


def _html_prefix(data: bytes) -> bytes:
    """The first bytes lowered and as ASCII, whatever the Unicode encoding form."""
    head = data[:4096]
    bom = _bom(head)
    if bom and bom[1] != "utf-8":
        head = head[len(bom[0]):].decode(bom[1], errors="ignore").encode("ascii", errors="ignore")
    elif bom:
        head = head[len(bom[0]):]
    return head.lower()


def looks_like_html(data: bytes, ext: str) -> bool:
    head = _html_prefix(data)
    start = head.lstrip(b" \t\r\n\x0c")
    if start.startswith(b"<?xml"):
        return b"<html" in head
    while start.startswith(b"<!--"):  # leading comments, e.g. "<!-- saved from url=... -->"
        end = start.find(b"-->")
        if end < 0:
            break
        start = start[end + 3:].lstrip(b" \t\r\n\x0c")
    if start.startswith(_HTML_START):
        return True
    return ext in _HTML_EXTENSIONS and _HTML_TAG_RE.search(head) is not None


def zip_kind(data: bytes, ext: str) -> str:
    """'docx' for a Word document; raise for other zip files."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except Exception:  # noqa: BLE001 - zipfile raises many kinds of errors on junk
        if ext == ".docx" or b"word/" in data[:65536]:
            raise _err("corrupt_docx", "Word 文档已损坏（压缩包结构无法读取），无法导入。") from None
        raise _unsupported("损坏的 ZIP 压缩包", False) from None
    lower = {n.lower() for n in names}
    if any(re.fullmatch(r"word/document\d*\.xml", n) for n in lower):
        return "docx"
    if "[content_types].xml" in lower and any(n.startswith("word/") for n in lower):
        return "docx"
    if any(n.startswith("xl/") for n in lower):
        raise _unsupported("Excel 表格（.xlsx）", True)
    if any(n.startswith("ppt/") for n in lower):
        raise _unsupported("PowerPoint 演示文稿（.pptx）", True)
    if "ofd.xml" in lower:
        raise _unsupported("OFD 版式文档", True)
    if "mimetype" in lower and data[30:38] == b"mimetype":
        kind = data[38:100]
        if b"epub" in kind:
            raise _unsupported("EPUB 电子书", True)
        raise _unsupported("OpenDocument 文档（.odt 等）", True)
    if ext == ".docx":
        raise _err("corrupt_docx", "Word 文档已损坏（缺少 word/document.xml），无法导入。")
    raise _unsupported("ZIP 压缩包", False)


def is_zip(data: bytes) -> bool:
    return data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"))


def detect_format(data: bytes, ext: str):
    """The registered format that reads these bytes; IngestError for anything else.

    Formats recognised by magic bytes are asked first, then known unsupported kinds are
    refused by their signature, then the markup/text formats (which accept almost anything).
    """
    from reports.ingest.registry import formats

    registered = formats()
    for fmt in registered:
        if fmt.magic and fmt.detect(data, ext):
            return fmt
    if is_zip(data):
        zip_kind(data, ext)  # raises with a message naming the kind of zip
    error = _signature(data, ext)
    if error:
        raise error
    for fmt in registered:
        if not fmt.magic and fmt.detect(data, ext):
            return fmt
    raise _err("binary", _NOT_SUPPORTED.format(what="二进制文件"))


def looks_like_text(data: bytes) -> bool:
    return _bom(data) is not None or not _looks_binary(data) or _utf16_without_bom(data) is not None
