"""Turn the plain text of a report into a title, a section tree and page metadata.

Pure module: no Django, no I/O. `parse_report(text)` is the only entry point the rest of the
project needs; it is deterministic and linear in the length of the text.

How it works
------------
1. Normalise line endings and the BOM, split into lines and drop web-page chrome
   (`reports.chrome`), reading the page metadata on the way. What is left is `clean_text`.
2. Each non-blank line is a paragraph (odd whitespace folded to single spaces).
3. The title is looked for in the first few paragraphs: a short line without sentence
   punctuation that names the document (报告/情况/总结 …). A title split over lines is joined
   and duplicate title lines (a copy of the title, its parts, "政 府 工 作 报 告") are dropped.
4. Every paragraph that starts with a number (一、 / （一） (一) 五) / 1. 1． 1、 / （1） / ①) is
   a *candidate* heading. A candidate becomes a section only when its number continues an
   open list of the same style (small gaps accepted with a warning) or starts a new list
   (一, 1, ①) below the current section. Anything else stays body text, so dates, amounts
   and numbers inside prose never become sections.
5. Levels are not fixed per style: a style gets the depth at which its list starts
   (seed 002 has "1." directly below "一、" and, elsewhere, below "（一）").
6. A list that starts again at 一/1 while the same list is still open (after closing
   paragraphs, as in seed 001's "2020年…我们将重点做好以下五方面工作:" + (一)…(六)) opens an
   unnumbered container section that takes the paragraphs introducing it.
7. Paragraphs before the first heading form the preamble (path "0"); closing paragraphs
   ("各位代表…", a signature) after the last numbered item form an unnumbered closing section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from reports.chrome import strip_chrome
from reports.page_metadata import FactSheet, mark_head
from reports.paragraphs import drop_lines, paragraphs, split_run_together
from reports.titles import LIST_PREFIX_RE, find_title, split_inline_title, title_like

__all__ = ["ParsedSection", "ParsedReport", "parse_report"]


@dataclass
class ParsedSection:
    level: int
    number: str
    heading: str
    text: str
    children: list["ParsedSection"] = field(default_factory=list)
    path: str = ""
    style: str = ""


@dataclass
class ParsedReport:
    title: str | None
    sections: list[ParsedSection]
    clean_text: str
    page_meta: dict[str, str]
    warnings: list[str]

    def walk(self) -> Iterator[ParsedSection]:
        """All sections depth-first, in document order."""
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.children))


# --- tuning ---------------------------------------------------------------------------

MAX_INLINE_HEADING = 50   # a first sentence longer than this is body text, not a heading
MAX_LINE_HEADING = 80     # a numbered line without sentence break longer than this is body text
MAX_LONG_HEADING = 200    # … unless the first item below it follows on the next line
MAX_GAP = 1               # numbers skipped in a list before a candidate stops continuing it
MAX_DEPTH = 8
HEAD_LOOK = 8             # paragraphs searched for a first long line that starts with the title

# --- numbers ----------------------------------------------------------------------------

_CN = "一二三四五六七八九十"
_CN_DIGITS = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_FW_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

_NUMBER_RE = re.compile(
    rf"(?P<paren_cn>[（(]\s*(?P<pcn>[{_CN}]{{1,3}})\s*[)）])"
    rf"|(?P<broken_cn>(?P<bcn>[{_CN}]{{1,3}})[)）])"
    rf"|(?P<cn>(?P<ccn>[{_CN}]{{1,3}})\s*(?:[、，,]|[.．](?![\d０-９])))"
    r"|(?P<paren_arabic>[（(]\s*(?P<pa>[0-9０-９]{1,2})\s*[)）])"
    r"|(?P<broken_arabic>(?P<ba>[0-9０-９]{1,2})[)）](?![\d０-９]))"
    r"|(?P<arabic>(?P<ar>[0-9０-９]{1,2})\s*[.．、](?![\d０-９]))"
    rf"|(?P<circled>[{_CIRCLED}])"
)
_BARE_CN_RE = re.compile(rf"^([{_CN}]{{1,3}})$")
_TERMINATOR_RE = re.compile(r"[。；;！？!?：:]")
_END_PUNCT = tuple("。！？!?…”」』）)；;.")
_HEADING_PUNCT_RE = re.compile(r"[，。；：！？、,.;:!?“”\"'（）()《》〈〉—…·\[\]【】%％]")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_DATE_LINE_RE = re.compile(
    r"^[（(]?\s*(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年[\d一二三四五六七八九十\s月日]*[）)]?$"
)
_CLOSING_RE = re.compile(r"^(?:各位代表|同志们|同志們|让我们|讓我們)")
_SPACES_RE = re.compile(r"\s+")


def _cn_value(s: str) -> int:
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    if len(s) == 1:
        return _CN_DIGITS.get(s, 0)
    return 0  # "一一" and the like are no numbers


@dataclass
class _Candidate:
    style: str
    ordinal: int
    number: str
    rest: str
    broken: bool = False
    long_ok: bool = False     # a long unpunctuated line may be a heading (its first item follows)


def _candidate(para: str) -> _Candidate | None:
    m = _NUMBER_RE.match(para)
    if not m:
        m = _BARE_CN_RE.match(para)     # "一" alone on its line (wikisource)
        if not m:
            return None
        return _Candidate("cn", _cn_value(m.group(1)), m.group(1), "")
    for kind in ("paren_cn", "broken_cn", "cn", "paren_arabic", "broken_arabic", "arabic", "circled"):
        if m.group(kind):
            break
    printed = m.group(kind)
    rest = para[m.end():].strip()
    if kind in ("paren_cn", "broken_cn", "cn"):
        digits = m.group({"paren_cn": "pcn", "broken_cn": "bcn", "cn": "ccn"}[kind])
        ordinal = _cn_value(digits)
    elif kind == "circled":
        ordinal = _CIRCLED.index(printed) + 1
    else:
        digits = m.group({"paren_arabic": "pa", "broken_arabic": "ba", "arabic": "ar"}[kind])
        ordinal = int(digits.translate(_FW_DIGITS))
    if ordinal <= 0:
        return None
    if not rest and kind == "arabic":
        return None                     # "1." alone is too weak a signal
    first = rest[:1]
    # "1、2、3" enumerations and numbers glued to other numbers are prose
    if (first and first in "、，,.．%％）)") or (first.isdigit() and kind in ("arabic", "broken_arabic")):
        return None
    style = {"broken_cn": "paren_cn", "broken_arabic": "paren_arabic"}.get(kind, kind)
    if kind in ("cn", "arabic"):
        number = printed.rstrip("、，,.． ").strip()
    else:
        number = printed.strip()
    return _Candidate(style, ordinal, number, rest, broken=kind.startswith("broken"))


def _numbered(para: str) -> bool:
    return _candidate(para) is not None


def _split_heading(rest: str, long_ok: bool = False) -> tuple[str, str, bool]:
    """(heading, first body paragraph, heading_is_inline) for the text after a number."""
    m = _TERMINATOR_RE.search(rest)
    if m:
        after = rest[m.end():].strip()
        if not after:
            if m.start() <= MAX_LINE_HEADING:
                return rest[: m.start()].strip(), "", False
            return "", rest, True
        if m.start() <= MAX_INLINE_HEADING:
            return rest[: m.start()].strip(), after, True
        return "", rest, True
    if len(rest) <= (MAX_LONG_HEADING if long_ok else MAX_LINE_HEADING):
        return rest, "", False
    return "", rest, True


def _compact(s: str) -> str:
    return _SPACES_RE.sub("", s)


def _heading_like(para: str) -> bool:
    """A short unnumbered line without punctuation that reads as a heading ("2024年工作回顾")."""
    return (
        2 <= len(para) <= 20
        and not _HEADING_PUNCT_RE.search(para)
        and bool(_CJK_RE.search(para))
        and not _DATE_LINE_RE.match(para)
        and not para.startswith("—")
    )


def _ends_open(para: str) -> bool:
    return para.endswith(("：", ":"))


# --- tree building ----------------------------------------------------------------------


class _Node:
    __slots__ = ("section", "ordinal", "parent", "paras", "own", "inline", "children")

    def __init__(self, style: str, number: str, heading: str, ordinal: int, parent: _Node | None,
                 inline: bool = False):
        self.section = ParsedSection(level=0, number=number, heading=heading, text="", style=style)
        self.ordinal = ordinal
        self.parent = parent
        self.paras: list[str] = []
        self.own = 0          # paragraphs that came from the node's own line
        self.inline = inline
        self.children: list[_Node] = []

    @property
    def style(self) -> str:
        return self.section.style

    @property
    def number(self) -> str:
        return self.section.number


class _Builder:
    def __init__(self, paras: list[str], cands: list[_Candidate | None], warnings: list[str],
                 heading_mode: bool):
        self.paras = paras
        self.cands = cands
        self.warnings = warnings
        self.heading_mode = heading_mode   # unnumbered short lines are level-1 headings
        self.roots: list[_Node] = []
        self.stack: list[_Node] = []
        self.preamble: _Node | None = None

    # -- helpers
    def _attach(self, node: _Node, parent: _Node | None) -> None:
        node.parent = parent
        (parent.children if parent else self.roots).append(node)

    def _pop_to(self, node: _Node | None) -> None:
        """Pop the stack until `node` is on top (None: empty the stack)."""
        if node is None:
            self.stack.clear()
            return
        while self.stack and self.stack[-1] is not node:
            self.stack.pop()

    def _new_item(self, cand: _Candidate, parent: _Node | None) -> None:
        heading, body, inline = _split_heading(cand.rest, cand.long_ok)
        node = _Node(cand.style, cand.number, heading, cand.ordinal, parent, inline)
        if body:
            node.paras.append(body)
            node.own = 1
        self._attach(node, parent)
        self.stack.append(node)
        if cand.broken:
            self.warnings.append(f"编号格式不规范：{cand.number}")

    def _text(self, para: str) -> None:
        if self.stack:
            self.stack[-1].paras.append(para)
            return
        if self.preamble is None:
            self.preamble = _Node("", "", "", 0, None)
            self.roots.append(self.preamble)
        self.preamble.paras.append(para)

    def _free_paras(self) -> tuple[_Node | None, list[str]]:
        if not self.stack:
            return None, []
        top = self.stack[-1]
        return top, top.paras[top.own:]

    def _intro_plan(self) -> tuple[int, str, list[str]] | None:
        """Which trailing paragraphs of the deepest open section introduce a new block:
        (index in its paragraphs where the move starts, container heading, moved paragraphs),
        or None when nothing points to a new block."""
        top, free = self._free_paras()
        if top is None or not free:
            return None
        base = len(top.paras) - len(free)
        heads = [i for i, p in enumerate(free) if _heading_like(p)]
        if heads:
            return base + heads[-1], free[heads[-1]], free[heads[-1] + 1:]
        if top.inline or top.style == "":
            return base, "", free
        if _ends_open(free[-1]):
            return len(top.paras) - 1, "", free[-1:]
        return None

    # -- placing a candidate heading
    def place(self, cand: _Candidate) -> bool:
        same = [n for n in self.stack if n.style == cand.style]
        for node in reversed(same):
            if node.ordinal < cand.ordinal <= node.ordinal + 1 + MAX_GAP:
                if cand.ordinal > node.ordinal + 1:
                    self.warnings.append(f"编号不连续：{node.number}之后是{cand.number}")
                self._pop_to(node)
                self.stack.pop()
                self._new_item(cand, node.parent)
                return True
        if same:
            last = same[-1]
            if cand.ordinal == 1:
                return self._restart(cand, last)
            self.warnings.append(f"编号重复或倒退，按正文处理：{last.number}之后是{cand.number}")
            return False
        if cand.ordinal > 2 or len(self.stack) >= MAX_DEPTH:
            return False
        if cand.ordinal == 2:
            self.warnings.append(f"编号不连续：列表从{cand.number}开始")
        self._new_item(cand, self.stack[-1] if self.stack else None)
        return True

    def _restart(self, cand: _Candidate, last: _Node) -> bool:
        """The list `last` belongs to starts again at 1: open an unnumbered container that
        takes the paragraphs introducing the new list."""
        plan = self._intro_plan()
        if self.stack[-1] is not last and plan is None:
            self.warnings.append(f"编号层级异常，按正文处理：{cand.number}")
            return False
        container = _Node("", "", "", 0, None)
        if plan is None:
            self.warnings.append(f"编号重复：{last.number}之后又从{cand.number}开始")
        else:
            cut, heading, moved = plan
            del self.stack[-1].paras[cut:]
            container.section.heading = heading
            container.paras.extend(moved)
        parent = last.parent
        if parent is not None:                    # the container takes the parent's level
            grand = parent.parent
            self._pop_to(parent)
            self.stack.pop()
            self._attach(container, grand)
        else:                                     # a top-level list restarts
            self.stack.clear()
            self._attach(container, None)
        self.stack.append(container)
        self._new_item(cand, container)
        return True

    def _unnumbered_heading(self, para: str) -> None:
        self.stack.clear()
        node = _Node("", "", para, 0, None)
        self._attach(node, None)
        self.stack.append(node)

    def run(self) -> list[_Node]:
        paras, cands = self.paras, self.cands
        i, n = 0, len(paras)
        while i < n:
            para, cand = paras[i], cands[i]
            if cand is not None:
                nxt = cands[i + 1] if i + 1 < n else None
                cand.long_ok = nxt is not None and nxt.ordinal == 1 and nxt.style != cand.style
                if not cand.rest and i + 1 < n and cands[i + 1] is None and _heading_like(paras[i + 1]):
                    cand.rest = paras[i + 1]     # number and heading on separate lines
                    skip = 1
                else:
                    skip = 0
                if self.place(cand):
                    i += 1 + skip
                    continue
                cand.rest = cand.rest if not skip else ""
            if (
                self.heading_mode
                and (self.preamble is not None or self.roots)
                and _heading_like(para)
                and i + 1 < n
                and (len(paras[i + 1]) > 30 or cands[i + 1] is not None)
                and not _heading_like(paras[i + 1])
            ):
                self._unnumbered_heading(para)
            else:
                self._text(para)
            i += 1
        self._closing()
        return self.roots

    def _closing(self) -> None:
        """Closing paragraphs after the last numbered item become their own top-level section."""
        top, free = self._free_paras()
        if top is None or not free or top.style == "":
            return
        start = next((i for i, p in enumerate(free) if _CLOSING_RE.match(p)), None)
        if start is None:
            # a signature (issuer + date) at the very end
            if len(free) >= 1 and _DATE_LINE_RE.match(free[-1]) and len(free[-1]) <= 20:
                start = len(free) - 1
                if len(free) >= 2 and _heading_like(free[-2]):
                    start -= 1
            else:
                return
        node = _Node("", "", "", 0, None)
        node.paras = free[start:]
        del top.paras[len(top.paras) - len(free) + start:]
        self._attach(node, None)


def _finish(nodes: list[_Node], level: int, prefix: str) -> list[ParsedSection]:
    out: list[ParsedSection] = []
    for index, node in enumerate(nodes, 1):
        sec = node.section
        sec.level = level
        sec.text = "\n".join(node.paras)
        sec.path = f"{prefix}{index}"
        sec.children = _finish(node.children, level + 1, sec.path + ".")
        out.append(sec)
    return out


# --- entry point ---------------------------------------------------------------------------


def parse_report(text: str) -> ParsedReport:
    """Parse the plain text of one report. Never raises on odd input."""
    warnings: list[str] = []
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    chrome = strip_chrome(text.split("\n"))
    raw_lines = [line.rstrip() for line in chrome.lines]

    paras, para_line = paragraphs(raw_lines, lambda para: _NUMBER_RE.match(para) is not None)
    _split_first_long_line(paras, para_line)

    # The head of the page: furniture before the body (breadcrumbs, stamps, field blocks …).
    head = mark_head(paras, chrome.facts, numbered=_numbered, title_like=_title_like)
    for i, rest in head.replaced.items():
        paras[i] = rest
    title, used, prefixed = find_title(paras, numbered=_numbered, chrome=head.chrome)
    if title is None:
        title = _title_from_facts(chrome.facts, paras, used)
    dropped = set(head.chrome)
    if used:
        # Lines above the printed title are the page's (site name, column, slogan banner).
        first = min(used)
        dropped.update(i for i in range(first) if i not in used)
    if prefixed is not None:
        li = para_line[prefixed]
        raw_lines[li] = LIST_PREFIX_RE.sub("", raw_lines[li])
    if title is None:
        warnings.append("未找到标题")
    drop_lines(raw_lines, para_line, dropped, head.replaced)
    body = split_run_together([p for i, p in enumerate(paras) if i not in used and i not in dropped])
    cands = [_candidate(p) for p in body]
    heading_mode = not any(c is not None and c.style == "cn" and c.ordinal == 1 for c in cands)
    builder = _Builder(body, cands, warnings, heading_mode)
    roots = builder.run()
    sections = _finish_roots(roots, builder.preamble)

    if body and not body[-1].endswith(_END_PUNCT) and not _DATE_LINE_RE.match(body[-1]) \
            and not (_heading_like(body[-1]) and "signature" in chrome.page_meta):
        warnings.append("结尾疑似截断")
    if not sections:
        warnings.append("未找到正文")
    elif not any(s.number for s in sections) and not any(s.children for s in sections):
        # Kept all the same (a resolution, a short notice): the reader is told how it was stored.
        warnings.append(
            "未找到编号标题：全文作为一节保存" if len(sections) == 1 else "未找到编号标题：按无编号小标题分节"
        )

    clean_text = "\n".join(line for line in raw_lines if line is not None).strip("\n")
    return ParsedReport(
        title=title,
        sections=sections,
        clean_text=clean_text,
        page_meta=chrome.page_meta,
        warnings=list(dict.fromkeys(warnings)),
    )


def _split_first_long_line(paras: list[str], para_line: list[int]) -> None:
    """A title printed at the start of the page's first long line, the body running on after
    it ("关于…的报告 2023年，我县…。一、…"): the title becomes a paragraph of its own."""
    first = next((i for i, para in enumerate(paras[:HEAD_LOOK]) if len(para) > 80), None)
    if first is None:
        return
    split = split_inline_title(paras[first])
    if split is not None:
        paras[first:first + 1] = list(split)
        para_line.insert(first + 1, para_line[first])


def _title_like(para: str) -> bool:
    return title_like(para, _numbered)


def _title_from_facts(facts: FactSheet, paras: list[str], used: set[int]) -> str | None:
    """The 标题 field of a metadata block when the text prints no title of its own."""
    value = facts.values.get("title", "")
    return value if value and _title_like(value) else None


def _finish_roots(roots: list[_Node], preamble: _Node | None) -> list[ParsedSection]:
    out: list[ParsedSection] = []
    index = 0
    for node in roots:
        sec = node.section
        sec.level = 1
        sec.text = "\n".join(node.paras)
        if node is preamble:
            sec.path = "0"
        else:
            index += 1
            sec.path = str(index)
        sec.children = _finish(node.children, 2, sec.path + ".")
        out.append(sec)
    return out
