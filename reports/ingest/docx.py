"""Word .docx via python-docx: paragraphs, tables row by row, text boxes, list numbering."""

from __future__ import annotations

import io
import re
import zipfile

from reports.ingest.base import (
    IngestedText,
    IngestError,
    Limits,
    _err,
    _join_lines,
    _row_lines,
    _size_label,
    lxml_out_of_memory,
)
from reports.ingest.registry import Format
from reports.ingest.sniffing import is_zip, zip_kind

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_W_SKIP = {
    f"{_W}del", f"{_W}moveFrom", f"{_W}pPr", f"{_W}rPr", f"{_W}txbxContent", f"{_MC}Fallback",
    f"{_W}instrText", f"{_W}delText", f"{_W}footnoteReference", f"{_W}endnoteReference",
}


def _docx_check_zip(data: bytes, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except Exception:  # noqa: BLE001
        raise _err("corrupt_docx", "Word 文档已损坏（压缩包结构无法读取），无法导入。") from None
    if len(infos) > limits.docx_max_entries:
        raise _err("corrupt_docx", "Word 文档结构异常（包含的部件过多），无法导入。")
    total = sum(i.file_size for i in infos)
    biggest = max((i.file_size for i in infos), default=0)
    document_xml = sum(i.file_size for i in infos if i.filename.lower().startswith("word/document"))
    if document_xml > limits.docx_max_document_xml:
        limit = _size_label(limits.docx_max_document_xml)
        raise _err("too_large", f"Word 文档正文部分解压后超过大小上限（{limit}），可能是异常文件，无法导入。")
    if total > limits.docx_max_uncompressed or biggest > limits.docx_max_part:
        limit = _size_label(limits.docx_max_uncompressed)
        raise _err("too_large", f"Word 文档解压后超过大小上限（{limit}），无法导入。")


def _docx_inline_text(element, out: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _W_SKIP:
            continue
        if tag == f"{_W}t":
            out.append(child.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            out.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            out.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            out.append("-")
        else:
            _docx_inline_text(child, out)


def _docx_textboxes(paragraph) -> list[str]:
    lines: list[str] = []
    for box in paragraph.iter(f"{_W}txbxContent"):
        if any(a.tag in (f"{_MC}Fallback", f"{_W}txbxContent") for a in box.iterancestors()):
            continue
        lines.extend(_docx_block_lines(box))
    return lines


def _docx_block_lines(container, numbering=None) -> list[str]:
    lines: list[str] = []
    for child in container:
        tag = child.tag
        if tag == f"{_W}p":
            out: list[str] = []
            _docx_inline_text(child, out)
            text = "".join(out)
            if numbering is not None:
                label = numbering.label(child)
                if label and text.strip():
                    text = label + text
            lines.extend(text.split("\n"))
            lines.extend(_docx_textboxes(child))
        elif tag == f"{_W}tbl":
            lines.extend(_docx_table_lines(child, numbering))
        elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"):
            lines.extend(_docx_block_lines(child, numbering))
    return lines


def _docx_table_lines(table, numbering) -> list[str]:
    lines: list[str] = []
    for row in table.iter(f"{_W}tr"):
        if _nearest(row, "tbl") is not table:
            continue  # a row of a nested table: handled through its cell
        cells = []
        for cell in row.iter(f"{_W}tc"):
            if _nearest(cell, "tr") is not row:
                continue
            cells.append([line for line in _docx_block_lines(cell, numbering) if line.strip()])
        lines.extend(_row_lines(cells))
    return lines


def _nearest(element, local_name: str):
    for ancestor in element.iterancestors(f"{_W}{local_name}"):
        return ancestor
    return None


def _ingest_docx(data: bytes, limits: Limits | None = None) -> IngestedText:
    _docx_check_zip(data, limits or Limits())
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        numbering = _DocxNumbering.from_document(document)
        lines = _docx_block_lines(body, numbering)
    except (IngestError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx/lxml/zipfile raise many kinds of errors
        if lxml_out_of_memory(exc):
            raise MemoryError from None
        raise _err("corrupt_docx", "Word 文档已损坏或不是有效的 .docx 文件，无法导入。") from None
    text = _join_lines(lines)
    if not text:
        raise _err("empty", "Word 文档中没有文字。")
    return IngestedText(text=text, format="docx", encoding="")


_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def _chinese_number(n: int, digits: str = _CN_DIGITS, ten: str = "十", hundred: str = "百") -> str:
    if n <= 0 or n >= 1000:
        return str(n)
    h, rest = divmod(n, 100)
    t, u = divmod(rest, 10)
    out = digits[h] + hundred if h else ""
    if t:
        out += ("" if t == 1 and not h else digits[t]) + ten
    elif h and u:
        out += digits[0]
    if u:
        out += digits[u]
    return out


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


def _letters(n: int) -> str:
    if n <= 0:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "koreanCounting", "taiwaneseCountingThousand", "japaneseDigitalTenThousand"):
        return _chinese_number(n)
    if fmt in ("chineseLegalSimplified", "japaneseLegal"):
        return _chinese_number(n, _CN_LEGAL, "拾", "佰")
    if fmt in ("ideographDigital", "taiwaneseDigital"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12]
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in ("decimalEnclosedParen",) and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    return str(n)


class _DocxNumbering:
    """Renders Word's automatic list numbering ("一、", "（一）", "1.") that python-docx
    leaves out of paragraph text.  Counters are kept per abstract list, as Word does."""

    def __init__(self, levels, nums, style_numpr):
        self.levels = levels  # abstractNumId -> {ilvl: (start, fmt, text, suffix, legal)}
        self.nums = nums  # numId -> (abstractNumId, {ilvl: startOverride})
        self.style_numpr = style_numpr  # styleId -> (numId, ilvl)
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()

    @classmethod
    def from_document(cls, document) -> "_DocxNumbering | None":
        try:
            root = document.part.numbering_part.element
        except Exception:  # noqa: BLE001 - no numbering part
            return None
        val = f"{_W}val"
        levels: dict[str, dict[int, tuple]] = {}
        for abstract in root.iter(f"{_W}abstractNum"):
            per_level = {}
            for lvl in abstract.iter(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                start = lvl.find(f"{_W}start")
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                suff = lvl.find(f"{_W}suff")
                per_level[ilvl] = (
                    int(start.get(val, "1")) if start is not None else 1,
                    fmt.get(val, "decimal") if fmt is not None else "decimal",
                    text.get(val, "") if text is not None else "",
                    suff.get(val, "tab") if suff is not None else "tab",
                    lvl.find(f"{_W}isLgl") is not None,
                )
            levels[abstract.get(f"{_W}abstractNumId")] = per_level
        nums = {}
        for num in root.iter(f"{_W}num"):
            abstract = num.find(f"{_W}abstractNumId")
            if abstract is None:
                continue
            overrides = {}
            for override in num.iter(f"{_W}lvlOverride"):
                start = override.find(f"{_W}startOverride")
                if start is not None:
                    overrides[int(override.get(f"{_W}ilvl", "0"))] = int(start.get(val, "1"))
            nums[num.get(f"{_W}numId")] = (abstract.get(val), overrides)
        style_numpr = {}
        try:
            styles = document.part.styles.element
            based_on = {}
            for style in styles.iter(f"{_W}style"):
                sid = style.get(f"{_W}styleId")
                base = style.find(f"{_W}basedOn")
                if base is not None:
                    based_on[sid] = base.get(val)
                numpr = style.find(f"{_W}pPr/{_W}numPr")
                if numpr is not None:
                    style_numpr[sid] = cls._numpr(numpr)
            for sid in list(based_on):  # inherit numbering along basedOn chains
                seen, cur = set(), sid
                while cur not in style_numpr and cur in based_on and cur not in seen:
                    seen.add(cur)
                    cur = based_on[cur]
                if cur in style_numpr and sid not in style_numpr:
                    style_numpr[sid] = style_numpr[cur]
        except Exception:  # noqa: BLE001
            pass
        return cls(levels, nums, style_numpr)

    @staticmethod
    def _numpr(numpr) -> tuple[str | None, int | None]:
        num_id = numpr.find(f"{_W}numId")
        ilvl = numpr.find(f"{_W}ilvl")
        return (
            num_id.get(f"{_W}val") if num_id is not None else None,
            int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else None,
        )

    def label(self, paragraph) -> str:
        num_id, ilvl = None, None
        ppr = paragraph.find(f"{_W}pPr")
        if ppr is not None:
            style = ppr.find(f"{_W}pStyle")
            if style is not None and style.get(f"{_W}val") in self.style_numpr:
                num_id, ilvl = self.style_numpr[style.get(f"{_W}val")]
            numpr = ppr.find(f"{_W}numPr")
            if numpr is not None:
                own_id, own_lvl = self._numpr(numpr)
                num_id = own_id if own_id is not None else num_id
                ilvl = own_lvl if own_lvl is not None else ilvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        ilvl = ilvl or 0
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for level, start in overrides.items():
                counters[level] = start - 1
        start, fmt, text, suffix, _ = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt in ("bullet", "none") or not text:
            return ""
        legal = levels[ilvl][4]

        def render(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            if level not in levels:
                return ""
            value = counters.get(level, levels[level][0])
            return _format_number(value, "decimal" if legal else levels[level][1])

        label = re.sub(r"%([1-9])", render, text)
        return label + (" " if suffix == "space" else "")


FORMAT = Format(
    name="docx", label="Word(.docx)",
    detect=lambda data, ext: is_zip(data) and zip_kind(data, ext) == "docx",
    extract=_ingest_docx,
    extensions=(".docx",),
)

