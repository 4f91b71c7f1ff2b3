"""From the lines of a page to the paragraphs of a report (pure: no Django, no I/O).

`paragraphs` folds whitespace and joins the line fragments of wiki copies; `split_run_together`
gives back the paragraph breaks of a body that lost them (a text copied without line breaks,
where "。 一、…" and "。 (一)…" follow inside one line); `drop_lines` blanks the raw lines of
paragraphs that turned out to be page furniture, so the stored clean text loses them too.
"""

from __future__ import annotations

import re
from typing import Callable

from reports.chrome import light_norm

_CONT_START = tuple("，。、；：）》」』”,.;:)!?！？")
_SPACES_RE = re.compile(r"\s+")

# A heading number right after the end of a sentence inside a paragraph: 一、 二、 / (一) （二）.
# Only Chinese numerals: "。1.5亿元" and "。3、" are prose far more often than headings.
_CN = "一二三四五六七八九十"
_INLINE_ITEM_RE = re.compile(rf"(?<=[。！？!?])\s*(?=(?:[{_CN}]{{1,3}}、|[（(][{_CN}]{{1,3}}[)）]))")
# A heading and the first item below it on one line: "一、主要举措和成效 (一)加强党的领导…".
_HEADING_THEN_ITEM_RE = re.compile(
    rf"^((?:[{_CN}]{{1,3}}、|[（(][{_CN}]{{1,3}}[)）])[^。！？!?；;：:，,]{{2,50}}?)\s+"
    rf"(?=[（(][{_CN}]{{1,3}}[)）]|[0-9]{{1,2}}[.．、](?![0-9]))"
)
# In a run-together paragraph: a heading number after a space, and the space that ends a
# short heading ("二、存在的不足 一些部门…").
_SPACED_ITEM_RE = re.compile(rf"\s+(?=(?:[{_CN}]{{1,3}}、|[（(][{_CN}]{{1,3}}[)）]))")
_SHORT_HEADING_RE = re.compile(
    rf"^((?:[{_CN}]{{1,3}}、|[（(][{_CN}]{{1,3}}[)）])[^。！？!?；;：:，,\s]{{2,40}})\s+(?=\S)"
)
# A body that lost its line breaks is a few paragraphs holding everything; in a body that
# kept them, a long paragraph with "。（二）…。（三）…" inside is an enumeration in prose.
RUN_TOGETHER_FEW = 3       # a body of at most this many paragraphs may be run together …
RUN_TOGETHER_ALONE = 150   # … in its paragraphs at least this long
RUN_TOGETHER_HUGE = 3000   # any paragraph this long may be several run together
RUN_TOGETHER_ITEMS = 2     # … when at least this many headings start inside it


def paragraphs(raw_lines: list[str], starts_item: Callable[[str], bool]) -> tuple[list[str], list[int]]:
    """Paragraphs (whitespace folded) and the index of the line each one starts on.

    Normally every non-blank line is a paragraph. Texts copied from wikis separate paragraphs
    with blank lines and break lines around links ("在聽了劉少奇同志\\n關於憲法草案的報告\\n並進行…",
    "根据《\\n中华人民共和国著作权法\\n》第五条"); when a text shows that pattern the lines of a
    blank-line block are joined again (a line for which `starts_item` holds still starts a new
    paragraph).
    """
    normed = [_SPACES_RE.sub(" ", light_norm(line)) for line in raw_lines]
    fragments = sum(
        1 for i in range(1, len(normed))
        if normed[i] and normed[i - 1] and normed[i].startswith(_CONT_START)
    )
    paras: list[str] = []
    starts: list[int] = []
    blank = sum(1 for para in normed if not para)
    if fragments >= 1 and blank * 3 >= len(normed) - blank:
        joining = False
        for li, para in enumerate(normed):
            if not para:
                joining = False
                continue
            if joining and not starts_item(para):
                paras[-1] += para
                continue
            paras.append(para)
            starts.append(li)
            joining = True
        return paras, starts
    for li, para in enumerate(normed):
        if para:
            paras.append(para)
            starts.append(li)
    return paras, starts


def split_run_together(paras: list[str]) -> list[str]:
    """Paragraphs with the breaks a run-together body lost put back before its headings.

    A long paragraph in which two or more heading numbers (一、, (一)) start right after a
    sentence end is split there, and a heading followed on its line by the first item below
    it ("一、主要举措和成效 (一)加强…") is split after the heading; whether a piece becomes a section is still the tree
    builder's decision (its numbers must continue a list), so a wrong split only adds a
    paragraph break, never loses text.
    """
    out: list[str] = []
    minimum = RUN_TOGETHER_ALONE if len(paras) <= RUN_TOGETHER_FEW else RUN_TOGETHER_HUGE
    for para in paras:
        cuts = [m.end() for m in _INLINE_ITEM_RE.finditer(para)] if len(para) >= minimum else []
        run_together = len(cuts) >= RUN_TOGETHER_ITEMS
        if run_together:
            cuts = sorted(set(cuts) | {m.end() for m in _SPACED_ITEM_RE.finditer(para)})
        else:
            cuts = []
        start = 0
        for cut in [*cuts, len(para)]:
            piece = para[start:cut].strip()
            start = cut
            while piece:
                m = _HEADING_THEN_ITEM_RE.match(piece) or (run_together and _SHORT_HEADING_RE.match(piece))
                if not m:
                    out.append(piece)
                    break
                out.append(m.group(1).strip())
                piece = piece[m.end():].strip()
    return out


def drop_lines(raw_lines: list[str | None], para_line: list[int], dropped: set[int],
               replaced: dict[int, str]) -> None:
    """Blank the raw lines of dropped paragraphs (None) and rewrite replaced ones, in place."""
    for i in sorted(dropped | set(replaced)):
        start = para_line[i]
        end = para_line[i + 1] if i + 1 < len(para_line) else len(raw_lines)
        for li in range(start, end):
            if raw_lines[li] is not None and raw_lines[li].strip():
                raw_lines[li] = None
        if i in replaced and i not in dropped:
            raw_lines[start] = replaced[i]
