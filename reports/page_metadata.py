"""Page metadata of report pages: which lines are the page's furniture, and the facts they hold.

Pure module: no Django, no I/O.  Government sites print the facts of a document (发布日期,
发布机构, 索引号, 文号, 来源, 栏目) in many layouts; the rules here are about the *shape* of a
line, not about particular sites:

- a **field line** is mostly labels and values: ``索引号：…  发布机构：…``, a bracketed table
  ``[ 发布日期 ] 2026-01-13``, a bulleted list ``• 来源:党政综合办公室``, labels with spaces
  between their characters (``发 布 机 构:``), labels without a colon followed by a value
  (``发文字号 豫政文〔2024〕46号 发布时间 2024年03月22日``), in simplified or traditional script
  (``發文日期``, ``發佈機構``);
- a **date stamp** is a date (and time) with at most a short source beside it
  (``2023-03-27 17:05 来源: 海南省人民政府网``, ``25.02.2016  10:00``, ``浙江/台州-2026-01-27``);
- a **site clock** is a date with a weekday or "今天是": furniture, but never a publication date;
- **navigation** is a line of breadcrumb separators (``>``, ``>>``, ``→``, ``»``) or a
  "您…位置" line; a title glued to its end is given back;
- **widgets**: short lines of page controls (print, font size, share, QR code, login, …).

`FactSheet` collects the values; publication dates are ranked so an explicit 发布日期 beats a
bare stamp and a 发文日期, and a document's 成文日期 is never taken for its publication.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import opencc

__all__ = [
    "FactSheet", "date_stamp", "is_clock", "is_widget", "navigation", "read_fields", "iso_date",
    "report_fields",
]

# --- labels ------------------------------------------------------------------------------------

# simplified label -> fact key ("" = furniture: recognised, value not kept)
_LABELS: dict[str, str] = {
    "索引号": "index_number", "索取号": "index_number",
    "发布机构": "publisher", "发布单位": "publisher", "发文机关": "publisher", "发文单位": "publisher",
    "发布部门": "publisher", "发文机构": "publisher", "发布者": "publisher",
    "文号": "document_number", "发文字号": "document_number", "发文文号": "document_number",
    "字号文号": "document_number",
    "信息来源": "source", "文章来源": "source", "来源": "source", "出处": "source", "稿源": "source",
    "栏目": "column", "所属栏目": "column", "分类": "column", "信息分类": "column",
    "标题": "title", "题名": "title", "文件名称": "title", "名称": "title",
    "发布日期": "date:0", "发布时间": "date:0", "公布日期": "date:0", "公开日期": "date:0",
    "发表日期": "date:0", "发表时间": "date:0", "信息提供日期": "date:0", "上传时间": "date:0",
    "日期": "date:1", "时间": "date:1", "更新时间": "date:1", "更新日期": "date:1",
    "发文日期": "date:2", "印发日期": "date:2",
    "成文日期": "written", "生效日期": "", "失效时间": "", "失效日期": "", "废止日期": "",
    "有效性": "", "时效": "", "效力状态": "", "主题分类": "", "体裁分类": "", "主题词": "", "关键词": "",
    "公开方式": "", "公开范围": "", "公开形式": "", "公文种类": "", "内容概述": "", "内容摘要": "",
    "摘要": "", "作者": "", "字号": "", "字体": "", "分享": "", "分享到": "", "浏览次数": "", "浏览量": "",
    "点击数": "", "点击量": "", "阅读": "", "阅读次数": "", "阅读量": "", "评论": "", "访问量": "",
    "责任编辑": "", "编辑": "", "视力保护色": "", "打印": "", "语音播报": "", "信息索引": "",
    "组配分类": "", "服务对象": "", "发布对象": "", "机构分类": "", "主题": "", "体裁": "",
}

_VARIANT_CONVERTERS = tuple(opencc.OpenCC(c) for c in ("s2t.json", "s2tw.json", "s2hk.json"))


def _char_classes(label: str) -> str:
    """The label as a regex: each character in its simplified and traditional forms, spaces
    allowed between characters ("发 布 机 构", "發佈機構", "發布日期")."""
    forms = {label}
    for conv in _VARIANT_CONVERTERS:
        whole = conv.convert(label)
        if len(whole) == len(label):
            forms.add(whole)
        forms.add("".join(conv.convert(ch) if len(conv.convert(ch)) == 1 else ch for ch in label))
    parts = []
    for pos in range(len(label)):
        chars = sorted({f[pos] for f in forms})
        parts.append(re.escape(chars[0]) if len(chars) == 1 else "[" + "".join(chars) + "]")
    return r"[ \t]*".join(parts)


_CANONICAL: dict[str, str] = {}
_LABEL_ALTS = []
for _label in sorted(_LABELS, key=len, reverse=True):
    _LABEL_ALTS.append(f"(?P<l{len(_LABEL_ALTS)}>{_char_classes(_label)})")
    _CANONICAL[f"l{len(_LABEL_ALTS) - 1}"] = _label
_LABEL_RE_TEXT = "|".join(_LABEL_ALTS)

_BULLET = r"[•·●▪◆◇■□\-\*]"
# A label at a field boundary: start of line, after spaces, a bullet or an opening bracket;
# then an optional closing bracket and a colon, or spaces before a value, or the line's end.
_FIELD_RE = re.compile(
    rf"(?:^|(?<=[\s\[【(（|丨]))(?:{_BULLET}\s*)?[\[【(（]?\s*(?:{_LABEL_RE_TEXT})\s*[\]】]?\s*(?:[:：])?"
)
_UNKNOWN_LABEL_RE = re.compile(rf"^(?:{_BULLET}\s*)?[\[【]?\s*(?P<label>[\u4e00-\u9fff]{{1,6}})\s*[\]】]?\s*[:：]")
_SENTENCE_RE = re.compile(r"[。！？]")


def read_fields(line: str, *, in_block: bool = False) -> list[tuple[str, str]] | None:
    """The (label, value) pairs of a field line, or None when `line` is not one.

    `in_block`: the line stands among other field lines (the head of a page), so a short
    label unknown to the table ("• 性:", truncated by the site) also makes a field line.
    """
    line = line.strip()
    if not line or len(line) > 300 or _SENTENCE_RE.search(line):
        return None
    # most lines fail at their first character: only then look for the other fields
    matches = [m for m in _FIELD_RE.finditer(line)] if _FIELD_RE.match(line) else []
    if not matches or matches[0].start() != 0:
        unknown = _UNKNOWN_LABEL_RE.match(line) if in_block else None
        if unknown is None:
            return None
        value = line[unknown.end():].strip()
        return [(unknown.group("label"), value)]
    first = matches[0]
    label = _label_of(first)
    rest_after = line[first.end():]
    # Without a colon, a label must be a long one or stand before a value that reads as one:
    # "时间紧、任务重" is prose, "发文机关 河南省人民政府" is a field.
    # Either way the label stands apart from its value: "发布机构改革方案后，…" is prose.
    apart = not rest_after.strip() or line[first.end() - 1] in " \t]】"
    if not _has_colon(first) and not (apart and (
        line.startswith(("[", "【")) or re.match(rf"^{_BULLET}", line) or len(label) >= 3
        or in_block or iso_date(rest_after[:30]) is not None
    )):
        return None
    pairs: list[tuple[str, str]] = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        pairs.append((_label_of(m), _clean_value(line[m.end():end])))
    return pairs


def _clean_value(value: str) -> str:
    """A value without the brackets of its table cell and without a closing parenthesis
    whose opening one stood before the label ("（责任编辑：张三）")."""
    value = value.strip().strip("[]【】|丨").strip()
    while value.endswith((")", "）")) and value.count("(") + value.count("（") < \
            value.count(")") + value.count("）"):
        value = value[:-1].rstrip()
    return value


def _label_of(m: re.Match) -> str:
    # the label alternatives are the pattern's only groups: the one that matched closed last
    return _CANONICAL.get(m.lastgroup or "", "")


def _has_colon(m: re.Match) -> bool:
    return m.group(0).endswith((":", "："))


# --- dates ---------------------------------------------------------------------------------------

_FW = str.maketrans("０１２３４５６７８９－／．：", "0123456789-/.:")
_YMD_RE = re.compile(r"((?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?")
_DMY_RE = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})(?!\d)")
_TIME = (r"(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?|\d{1,2}\s*时\s*\d{1,2}\s*分(?:\s*\d{1,2}\s*秒)?"
         r"|\d{1,2}\s*時\s*\d{1,2}\s*分)")
_DATE = (r"(?:(?:19|20)\d{2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
         r"|\d{1,2}\.\d{1,2}\.(?:19|20)\d{2})")
_NUMERIC_DATE = r"(?:(?:19|20)\d{2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|\d{1,2}\.\d{1,2}\.(?:19|20)\d{2})"
# A stamp: an optional bullet or short place prefix ("浙江/台州-"), the date, an optional time,
# and a short rest without sentence punctuation (a source, a site name, widget words).
_STAMP_RE = re.compile(
    rf"^(?:{_BULLET}\s*)?(?:[^\s\d（(—\-]{{1,12}}[-\s])?(?P<date>{_DATE})\s*(?P<time>{_TIME})?\s*(?P<rest>.{{0,60}})$"
)
_CLOCK_RE = re.compile(r"星期[一二三四五六日天]|週[一二三四五六日]|周[一二三四五六日](?!年)|今天是|今日是|农历|農曆")
_REST_BAD_RE = re.compile(r"[。，,；;！？]|在.{0,30}(?:会议|大会|會議)")


def iso_date(value: str) -> str | None:
    """The first date in `value` as YYYY-MM-DD (year-month-day or day.month.year), or None."""
    text = value.translate(_FW)
    m = _YMD_RE.search(text)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _DMY_RE.search(text)
        if not m:
            return None
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def is_clock(line: str) -> bool:
    """A site clock ("2024年12月3日 星期二", "今天是：…"): page furniture, not a date of the report."""
    return len(line) <= 60 and _CLOCK_RE.search(line) is not None and iso_date(line) is not None


def date_stamp(line: str) -> tuple[str, str] | None:
    """(ISO date, rest of the line) when `line` is a date stamp, else None.

    A date written with 年月日 counts only with a time or a bullet beside it: a line
    "2022年3月1日" under a title is the document's own date line, which stays in the text.
    """
    line = line.strip().translate(_FW)
    if len(line) > 100 or is_clock(line):
        return None
    m = _STAMP_RE.match(line)
    if not m:
        return None
    rest = m.group("rest").strip().lstrip("|丨｜").strip()
    if _REST_BAD_RE.search(rest):
        return None
    numeric = re.fullmatch(_NUMERIC_DATE, m.group("date")) is not None
    if not (numeric or m.group("time") or re.match(_BULLET, line)):
        return None
    iso = iso_date(m.group("date"))
    return (iso, rest) if iso else None


# --- navigation and widgets ------------------------------------------------------------------------

_NAV_SEP_RE = re.compile(r"\s*(?:>>|&gt;|[>＞→»›])\s*")
# "首页 / 政务公开 / 年度报告", "政务公开 | 法治政府": separators that prose uses too, so only
# with spaces around them and short segments of words only
_SOFT_NAV_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z]{1,12}(?:\s+[/|丨｜]\s+[\u4e00-\u9fffA-Za-z]{1,12}){2,}$")
_WHERE_RE = re.compile(
    r"^(?:您|你)?(?:当前|當前|现在|現在|目前)?(?:所在)?(?:的)?(?:所在)?(?:位置|位於|位于)\s*(?:[:：]|(?=\s*\S*\s*(?:首页|首頁|主页|主頁|>|＞|→|»)))"
)
_HOME_RE = re.compile(r"^(?:网站首页|網站首頁|首页|首頁|主页|主頁|门户首页|Home)\s*$")


def navigation(line: str, title_like=None) -> tuple[bool, str]:
    """(is navigation, what is left): a breadcrumb line; a title glued to its end is left."""
    text = line.strip()
    if not text or len(text) > 240 or _SENTENCE_RE.search(text):
        return False, line
    if _SOFT_NAV_RE.match(text):
        return True, ""
    where = _WHERE_RE.match(text)
    parts = [p for p in _NAV_SEP_RE.split(text)]
    seps = len(parts) - 1
    starts_with_sep = _NAV_SEP_RE.match(text) is not None and text[:1] in ">＞→»›&"
    first = parts[0].strip()
    if not (where or seps >= 2 or starts_with_sep or (seps == 1 and _HOME_RE.match(first))
            or _HOME_RE.match(text)):
        return False, line
    if seps >= 1 and not where and not starts_with_sep:
        # a breadcrumb has short segments; prose with an arrow in it has long ones
        if max(len(p) for p in parts[:-1]) > 24:
            return False, line
    last = parts[-1].strip() if seps >= 1 else ""
    if last and title_like is not None and title_like(last):
        return True, last
    return True, ""


_WIDGET_RE = re.compile(
    r"打印|字体|字號|字号|字體|分享|扫描|掃描|扫一扫|掃一掃|二维码|二維碼|收藏|登录|登錄|注册|註冊|注销|註銷|"
    r"浏览器|瀏覽器|无障碍|無障礙|IPv6|ipv6|关怀版|關懷版|长者|長者|适老|移动端|PC端|英文网站|英文版|视力保护|"
    r"朗读|語音|语音|网站地图|網站地圖|RSS|微信|微博|关闭|關閉|返回顶部|纠错|糾錯|手机版|手機版|智能问答|搜索|欢迎您|歡迎您"
)


def is_widget(line: str) -> bool:
    """A short line of page controls, or a line with no Chinese at all ("Menu", "×")."""
    text = line.strip()
    if not text or len(text) > 60 or _SENTENCE_RE.search(text):
        return False
    if not re.search(r"[\u4e00-\u9fff]", text):
        return not re.search(r"\d{4}", text)
    return _WIDGET_RE.search(text) is not None


# --- the facts ---------------------------------------------------------------------------------------


@dataclass
class FactSheet:
    """Facts read from a page's furniture; `published` is the best-ranked date seen."""

    values: dict[str, str] = field(default_factory=dict)
    _date_rank: int = 99

    def add_pairs(self, pairs: list[tuple[str, str]]) -> None:
        for label, value in pairs:
            self.add(_LABELS.get(label, ""), value)

    def add(self, key: str, value: str) -> None:
        value = re.sub(r"\s+", " ", value).strip(" :：|")
        if not key or not value:
            return
        if key.startswith("date:"):
            iso = iso_date(value)
            if iso:
                self.add_date(int(key[5:]), iso)
            return
        if key == "written":
            iso = iso_date(value)
            if iso:
                self.values.setdefault("written", iso)
            return
        if key == "source":
            # "百度马克数据网    政府工作报告": a value ends at a run of spaces
            value = re.split(r"\s{2,}", value)[0]
        value = re.sub(r"\s*(?:分享|字号|字號|打印|【.*)\s*[:：]?\s*$", "", value).strip()
        if value and key not in self.values:
            self.values[key] = value[:200]

    def add_date(self, rank: int, iso: str) -> None:
        if rank < self._date_rank:
            self._date_rank = rank
            self.values["published"] = iso


# Report fields the facts fill (reports.models.Report); the whole sheet is kept in page_metadata.
_REPORT_FIELDS = {
    "publisher": "publisher", "index_number": "index_number", "document_number": "document_number",
}


def report_fields(page_meta: dict[str, str]) -> dict[str, object]:
    """Values for the Report's page-metadata fields from the facts of its page."""
    out: dict[str, object] = {name: (page_meta.get(key) or "")[:200] for key, name in _REPORT_FIELDS.items()}
    out["index_number"] = str(out["index_number"])[:100]
    out["document_number"] = str(out["document_number"])[:100]
    column = " / ".join(v for v in (page_meta.get("source"), page_meta.get("column")) if v)
    out["source_column"] = column[:200]
    out["page_metadata"] = {k: v for k, v in page_meta.items() if isinstance(v, str) and v}
    return out


# --- the head of a page ------------------------------------------------------------------------------

_DOC_NUMBER_RE = re.compile(r"^[\u4e00-\u9fff]{1,10}\s*[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*\d{1,4}\s*号$")
_ADDRESSEE_RE = re.compile(r"^[\u4e00-\u9fff][^：:]{1,39}[：:]$")
HEAD_LIMIT = 60           # paragraphs looked at before the body must have started


@dataclass
class PageHead:
    """What the head of a page (before the first prose paragraph) holds."""

    body_start: int                                   # index of the first body paragraph
    chrome: set[int] = field(default_factory=set)     # furniture paragraphs
    replaced: dict[int, str] = field(default_factory=dict)   # paragraph -> what is left of it
    nav_tails: list[str] = field(default_factory=list)       # last segments of breadcrumbs


def _starts_body(para: str, numbered) -> bool:
    return bool(numbered(para) or _SENTENCE_RE.search(para) or len(para) >= 150)


def mark_head(paras: list[str], facts: FactSheet, *, numbered, title_like) -> PageHead:
    """Mark the furniture among the paragraphs before the body starts and read its facts.

    The body starts at the first paragraph with a sentence end, a numbered heading, a long
    paragraph or an addressee line ("县委、县政府："); furniture before it is navigation, site
    clocks, date stamps, field lines (and, beside field lines, lines of unknown short labels),
    widget lines and document-number lines.
    """
    end = min(len(paras), HEAD_LIMIT)
    head = PageHead(body_start=end)
    fields: dict[int, list[tuple[str, str]]] = {}
    pending: list[int] = []
    for i in range(end):
        para = paras[i]
        pairs = read_fields(para)
        if pairs is not None:
            fields[i] = pairs
            continue
        if _starts_body(para, numbered) or _ADDRESSEE_RE.match(para):
            head.body_start = i
            break
        is_nav, rest = navigation(para, title_like)
        if is_nav:
            head.chrome.add(i) if not rest else head.replaced.__setitem__(i, rest)
            tail = _NAV_SEP_RE.split(para.strip())[-1].strip()
            if tail:
                head.nav_tails.append(tail)
            continue
        if is_clock(para):
            head.chrome.add(i)
            continue
        stamp = date_stamp(para)
        if stamp is not None:
            iso, rest = stamp
            facts.add_date(1, iso)
            rest_pairs = read_fields(rest) if rest else None
            if rest_pairs:
                facts.add_pairs(rest_pairs)
            head.chrome.add(i)
            continue
        if is_widget(para):
            head.chrome.add(i)
            continue
        if _DOC_NUMBER_RE.match(para.replace(" ", "")):
            # the document's own number under its title: a fact, and still part of the text
            facts.add("document_number", para)
            continue
        pending.append(i)
    # Short unknown labels count only inside a block of field lines ("• 性:", "• 题: …").
    for i in pending:
        if (i - 1 in fields or i + 1 in fields) and (pairs := read_fields(paras[i], in_block=True)):
            fields[i] = pairs
    for i, pairs in sorted(fields.items()):
        facts.add_pairs(pairs)
        head.chrome.add(i)
    return head
