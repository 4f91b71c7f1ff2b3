"""Titles of reports: the printed title found in the text, or a generated one.

Pure module: no Django, no I/O.  `reports.parsing` asks `find_title` for the printed title
among the first paragraphs (after page chrome has been marked), `reports.metadata` asks
`generated_title` for a title when the text prints none, and the templates show
`display_title` beside a generic printed title such as a bare 政府工作报告.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from reports.gazetteer import COUNTY, PROVINCE, TOWN, Jurisdiction

__all__ = [
    "KIND_LABEL", "find_title", "generated_title", "is_generic_title", "title_from_text", "title_like",
]

# The kind's own name, used in generated titles: never a bare 报告.
KIND_LABEL = {
    "fazhi": "法治政府建设年度报告",
    "gwr": "政府工作报告",
    "xxgk": "政府信息公开工作年度报告",
    "other": "工作报告",
}

TITLE_WINDOW = 12         # non-chrome paragraphs searched for the title

TITLE_KEYWORD_RE = re.compile(
    r"报告|報告|情况|情況|总结|總結|要点|要點|公报|公報|决议|決議|讲话|講話|纲要|綱要"
)
# A title ends with the name of the document; a line ending like this needs no continuation.
_TITLE_END_RE = re.compile(r"(?:报告|報告|情况|情況|总结|總結|要点|要點|公报|公報|决议|決議|讲话|講話|纲要|綱要)$")
_TITLE_BAD_RE = re.compile(r"[。；;！？!?]|[：:]$")
LIST_PREFIX_RE = re.compile(r"^\s*\d{1,2}[.．\-/]\d{1,2}\s+(?=\S)")
_PUNCT_RE = re.compile(r"[，。；：！？、,.;:!?“”\"'（）()《》〈〉—…·\[\]【】%％]")
_CLOSING_RE = re.compile(r"^(?:各位代表|同志们|同志們|让我们|讓我們)")
_SPACES_RE = re.compile(r"\s+")
# An issuing body printed on the line above a title that starts with 关于 or a year
# ("通城镇人民政府" / "2025年法治政府建设情况").
_ORGAN_END_RE = re.compile(
    r"(?:人民政府|政府|委员会|委員會|办事处|辦事處|办公室|辦公室|办公厅|辦公廳|管委会|管委會|"
    r"[局厅廳部署委办辦院])$"
)
_YEAR_START_RE = re.compile(r"^(?:19|20)\d{2}\s*年")
# One line holding the title and the start of the body ("关于…的报告 2025年，…坚持…"):
# the title is the text up to the end of the document's name, when prose follows.
_INLINE_TITLE_RE = re.compile(
    r"^(?P<title>[^。；！？!?：:，,]{5,70}?(?:的报告|的報告|年度报告|年度報告|工作报告|工作報告|情况报告|情況報告|报告|報告))"
    # the body starts after it, not a clause of the same sentence ("…所作的政府工作报告。会议…")
    r"\s*(?=[^\s。，,；;：:！？!?、）)])"
)


def compact(s: str) -> str:
    return _SPACES_RE.sub("", s)


def title_like(para: str, numbered: Callable[[str], bool]) -> bool:
    flat = compact(para)
    return (
        5 <= len(flat) <= 80
        and bool(TITLE_KEYWORD_RE.search(flat))
        and not _TITLE_BAD_RE.search(para)
        and not para.startswith(("—", "-", "（", "("))
        and not numbered(para)
    )


def is_prose(para: str) -> bool:
    return len(para) > 80 or "。" in para or _CLOSING_RE.match(para) is not None


def display_form(para: str) -> str:
    tokens = para.split(" ")
    if len(tokens) > 2 and all(len(t) == 1 for t in tokens):   # "政 府 工 作 报 告"
        return "".join(tokens)
    return para


def split_inline_title(para: str) -> tuple[str, str] | None:
    """(title, rest) when a long first line starts with the title and runs on into prose."""
    if len(para) <= 80:
        return None
    m = _INLINE_TITLE_RE.match(para)
    if not m:
        return None
    rest = para[m.end():].strip()
    if len(rest) < 20 or "。" not in rest:
        return None
    return m.group("title").strip(), rest


_BANNER_RE = re.compile(r"^[•·●▪◆■]\s*[^。！？]{10,150}[。！？]?$")


def _is_banner(paras: list[str], i: int, skip: set[int], numbered: Callable[[str], bool]) -> bool:
    """A slogan banner above the title: one bulleted sentence at the top of the page,
    with a title-like line among the next two paragraphs."""
    if i > 3 or not _BANNER_RE.match(paras[i]):
        return False
    following = [j for j in range(i + 1, min(len(paras), i + 6)) if j not in skip][:2]
    return any(title_like(paras[j], numbered) for j in following)


def find_title(paras: list[str], *, numbered: Callable[[str], bool],
               chrome: Iterable[int] = ()) -> tuple[str | None, set[int], int | None]:
    """(title, indices of paragraphs that are the title or copies of it, index of the list
    prefix line to fix in the clean text).

    Paragraphs whose index is in `chrome` (navigation, metadata, widgets) are skipped: they
    are never the title and do not end the search window.
    """
    skip = set(chrome)
    window: list[int] = []
    for i, para in enumerate(paras):
        if i in skip:
            continue
        if is_prose(para) or numbered(para) or len(window) >= TITLE_WINDOW:
            if not window and _is_banner(paras, i, skip, numbered):
                continue
            break
        window.append(i)
    title = None
    used: set[int] = set()
    prefixed = None
    for pos, i in enumerate(window):
        para = paras[i]
        stripped = LIST_PREFIX_RE.sub("", para)
        next_i = window[pos + 1] if pos + 1 < len(window) else None
        if not title_like(stripped, numbered):
            # a title broken over two lines where only the second names the document
            # ("关于某区2025年度法治政府" / "建设情况的报告")
            nxt = paras[next_i] if next_i == i + 1 else ""
            if not (nxt and len(compact(nxt)) <= 12 and _TITLE_END_RE.search(compact(nxt))
                    and not _PUNCT_RE.search(stripped + nxt) and len(compact(stripped)) >= 6
                    and title_like(stripped + nxt, numbered)):
                continue
        if stripped != para:
            prefixed = i
        title = display_form(stripped)
        used.add(i)
        prev_i = window[pos - 1] if pos > 0 else None
        # issuer on the line before: "某某委员会" / "关于…的报告", "通城镇人民政府" / "2025年…情况"
        if prev_i is not None and prev_i == i - 1:
            prev = paras[prev_i]
            if (len(prev) <= 40 and not _PUNCT_RE.search(prev.replace(" ", ""))
                    and not TITLE_KEYWORD_RE.search(prev)
                    and (stripped.startswith(("关于", "關於", "关於"))
                         or (_YEAR_START_RE.match(stripped) and _ORGAN_END_RE.search(compact(prev))))):
                title = prev + title
                used.add(prev_i)
        # continuation on the next line: "…工作情况" / "报告", "关于…法治政府" / "建设情况的报告"
        if next_i is not None and next_i == i + 1:
            nxt = paras[next_i]
            flat_next = compact(nxt)
            continues = (
                not _PUNCT_RE.search(nxt)
                and bool(_TITLE_END_RE.search(flat_next))
                and len(title) + len(nxt) <= 80
                and flat_next not in compact(title)     # a copy: "…政府工作报告" / "政府工作报告"
                and (len(flat_next) <= 8 or not _TITLE_END_RE.search(compact(title)))
            )
            if continues:
                title += nxt
                used.add(next_i)
        break
    if title is not None:
        key = compact(title)
        for i in window:
            if i in used:
                continue
            c = compact(LIST_PREFIX_RE.sub("", paras[i]))
            if len(c) >= 2 and c in key:
                used.add(i)
    return title, used, prefixed


def title_from_text(text: str) -> str:
    """A title line among the first lines of the text ("港口镇2021年法治政府建设年度报告")."""
    lines = [ln.strip() for ln in text[:1500].splitlines() if ln.strip()]
    for ln in lines[:8]:
        flat = re.sub(r"\s+", "", ln)
        if 6 <= len(flat) <= 60 and flat.endswith(("报告", "報告")) and "如下" not in flat \
                and not flat.startswith(("您当前的位置", "当前位置")):
            return re.sub(r"^\d{1,2}\.\d{1,2}\s+", "", ln)  # "03.05 苏州…" list numbering
    return ""


# --- generated titles and the display of generic ones --------------------------------------------


def place_name(j: Jurisdiction | None) -> str:
    """The jurisdiction as a title names it: 太原市杏花岭区, 中山市港口镇, 江苏省."""
    place = ""
    if j is not None and j.deepest is not None:
        deepest = j.deepest
        parent = deepest.parent
        if deepest.level >= COUNTY and parent is not None and parent.level > PROVINCE:
            place = parent.name + deepest.name
        elif deepest.level >= COUNTY and parent is not None and deepest.level == TOWN:
            place = parent.name + deepest.name
        else:
            place = deepest.name
    if j is not None and j.unresolved and not j.ambiguous:
        place += j.unresolved
    return place


def generated_title(j: Jurisdiction | None, year: int | None, kind: str, body: str = "") -> str:
    """`{reporting body}{year}年{kind's name}`; the body falls back to the jurisdiction's name.

    Never a bare 报告: without body and year the kind's name says what the text is.
    """
    label = KIND_LABEL.get(kind, KIND_LABEL["other"])
    who = body or place_name(j)
    # A body that already ends with the kind's name must not double it.
    if who.endswith(label):
        who = who[: -len(label)]
    when = f"{year}年" if year else ""
    return f"{who}{when}{label}"


_GENERIC_TITLE_RE = re.compile(r"^(?:政府工作报告|政府工作報告|工作报告|工作報告|报告|報告)$")


def is_generic_title(title: str) -> bool:
    """A printed title that names no body and no year (a bare 政府工作报告)."""
    return bool(_GENERIC_TITLE_RE.match(compact(title or "")))
