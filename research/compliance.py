"""Compliance checklist: which of the five required parts a 法治政府建设 report contains.

The 《法治政府建设与责任落实督察工作规定》 (2019), art. 25, asks every annual report to cover:

1. ``measures``  the year's main measures and results (主要举措和成效)
2. ``shortfalls`` shortcomings and their causes (存在的不足和原因)
3. ``first_duty`` how the Party and government heads performed their duty as first responsible
   person for rule-of-law building (党政主要负责人履行推进法治建设第一责任人职责)
4. ``plans``     the main plans for the next year (下一年度工作安排/打算)
5. ``other``     other matters to report (其他需要报告的情况)

Pure: no Django, no I/O.  Sections are anything with ``path``, ``level``, ``heading`` and
``text`` (a reports.Section or a reports.parsing.ParsedSection).  Every test runs on folded
text (traditional → simplified, full width → half width), so both scripts count alike.

What counts, per part (the first rule that finds something wins and is named in ``how``):

* a **heading** (any level) with one of the part's heading phrases → that section
  (``how = "heading"``);
* else a **sentence** in a section's text with one of the part's text phrases → that section
  and the sentence (``how = "text"``);
* measures only, as a last resort: the level-1 sections no other part claimed, when there are
  any (``how = "body"``: reports such as 苏州工业园区 2019 are all measures under topical
  headings), or an unstructured report's text with at least one paragraph about the year's work.

A part is ``present`` when any rule found it.  The checklist never guesses what an excerpt
left out: a page that stops after part 1 is "missing" parts 2–5 as far as the archive knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from research.text import fold

__all__ = ["PARTS", "PART_LABELS", "Evidence", "PartResult", "Checklist", "check"]

PARTS = ("measures", "shortfalls", "first_duty", "plans", "other")
PART_LABELS = {
    "measures": "主要举措和成效",
    "shortfalls": "存在的不足和原因",
    "first_duty": "第一责任人履职情况",
    "plans": "下一年度工作打算",
    "other": "其他需要报告的情况",
}

_YEAR = r"(?:\d{4}|[*＊]{4}|[〇零一二三四五六七八九]{4})年度?"

HEADING_RULES = {
    "shortfalls": re.compile(r"不足|存在的?问题|问题和|问题与|差距|短板|薄弱"),
    "first_duty": re.compile(r"第一责任人|主要负责人.{0,12}(?:履行|职责)|履行.{0,8}法治建设.{0,4}职责"),
    "plans": re.compile(
        r"打算|工作计划|工作安排|工作要点|工作思路|下一步|下步|下一年|明年|今后|展望|努力方向|工作重点|"
        r"^" + _YEAR + r"(?:工作|重点|主要)?(?:任务|目标)"
    ),
    "other": re.compile(r"其他|其它|需要报告|意见建议|意见、建议"),
    "measures": re.compile(
        r"举措|成效|主要工作|工作开展|开展情况|工作情况|建设情况|推进情况|进展|完成情况|做法|主要措施|工作成果"
    ),
}

TEXT_RULES = {
    "shortfalls": re.compile(
        r"(?:存在|仍有|还有|依然|仍然|也要看到|还面临|仍面临)[^。;]{0,30}(?:不足|问题|差距|短板|薄弱|不够|不平衡|有待)"
    ),
    "first_duty": re.compile(r"第一责任人"),
    "plans": re.compile(
        r"(?:^|[。;\n])\s*(?:下一步|下步|下一阶段|新的一年|明年|今后|" + _YEAR + r"[，,]?\s*[^。,;]{0,8}将)"
    ),
    "other": re.compile(r"其他需要报告|其它需要报告|需要报告的(?:其他|其它)?(?:事项|情况)"),
    "measures": re.compile(r"(?:主要举措|主要成效|取得了?[^。]{0,10}成效|工作开展情况如下|现将[^。]{0,30}报告如下)"),
}

# Parts only a level-1 heading can announce (a sub-heading "工作要点" is a measure's topic).
TOP_LEVEL_ONLY = {"plans", "other", "measures"}
# A "problem" found by an inspection is a measure, not the report's own shortcoming.
_NOT_SHORTFALL = re.compile(r"发现|排查|整改|查找|梳理|督促|化解|解决")
MAX_QUOTE = 120


@dataclass
class Evidence:
    path: str
    heading: str
    how: str  # "heading" | "text" | "body"
    quote: str = ""  # the sentence, as printed (original script), for "text"


@dataclass
class PartResult:
    key: str
    label: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def present(self) -> bool:
        return bool(self.evidence)

    @property
    def how(self) -> str:
        return self.evidence[0].how if self.evidence else ""


@dataclass
class Checklist:
    parts: list[PartResult]

    @property
    def present_keys(self) -> list[str]:
        return [p.key for p in self.parts if p.present]

    @property
    def missing_keys(self) -> list[str]:
        return [p.key for p in self.parts if not p.present]

    @property
    def score(self) -> int:
        return len(self.present_keys)

    @property
    def complete(self) -> bool:
        return self.score == len(PARTS)

    def part(self, key: str) -> PartResult:
        return next(p for p in self.parts if p.key == key)

    def as_dict(self) -> dict:
        return {
            "score": self.score,
            "complete": self.complete,
            "parts": [
                {
                    "key": p.key,
                    "label": p.label,
                    "present": p.present,
                    "how": p.how,
                    "evidence": [e.__dict__ for e in p.evidence],
                }
                for p in self.parts
            ],
        }


def _heading_of(section) -> str:
    return (getattr(section, "heading", "") or "").strip()


def _sentence_with(rule: re.Pattern, text: str, exclude: re.Pattern | None = None) -> str | None:
    """The first sentence (original script) whose folded form matches ``rule`` (and not
    ``exclude``)."""
    folded = fold(text)  # length-preserving: offsets hold in the original
    for m in rule.finditer(folded):
        quote = _sentence_at(text, folded, m)
        if exclude is None or not exclude.search(fold(quote)):
            return quote
    return None


_ENDS = "。!?;\n"  # sentence ends in folded text (full-width ！？； fold to ASCII)


def _sentence_at(text: str, folded: str, m: re.Match) -> str:
    start = max(folded.rfind(ch, 0, m.start() + 1) for ch in _ENDS) + 1
    # A match that begins on the sentence end (the rule's own [。；] prefix) starts after it.
    if start <= m.start() and folded[m.start()] in _ENDS:
        start = m.start() + 1
    ends = [i for i in (folded.find(ch, m.end()) for ch in _ENDS) if i != -1]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip()[:MAX_QUOTE]


def _next_year_rule(year: int | None) -> re.Pattern | None:
    """"2020年，是……之年，我们将重点……" in a 2019 report: the next year and a 将 in one sentence."""
    if not year:
        return None
    return re.compile(rf"{year + 1}年[^。]{{0,40}}将")


def check(sections, *, full_text: str = "", year: int | None = None) -> Checklist:
    """The checklist of one report.  ``sections`` in document order; ``full_text`` is used
    only when the report has no sections (an unstructured paste); ``year`` (the year reported
    on) lets "<year+1>年……将" count as a plan."""
    sections = list(sections)
    found: dict[str, list[Evidence]] = {key: [] for key in PARTS}
    claimed: dict[str, str] = {}  # section path -> the part its heading announced
    # Headings first: a heading says what its section is.
    for section in sections:
        heading = fold(_heading_of(section))
        if not heading:
            continue
        level = getattr(section, "level", 1)
        owners = {part for path, part in claimed.items() if section.path.startswith(path + ".")}
        for key in ("first_duty", "shortfalls", "plans", "other", "measures"):
            if level > 1 and key in TOP_LEVEL_ONLY:
                continue
            if HEADING_RULES[key].search(heading):
                # A sub-heading of a section already announcing this part adds nothing; one
                # announcing another part (主要成效 › 第一责任人履职情况) is evidence of its own.
                if key not in owners:
                    found[key].append(Evidence(section.path, _heading_of(section), "heading"))
                    claimed[section.path] = key
                # The first matching part in the order above owns the heading.
                break
    # Then sentences, for parts no heading announced.
    if not found["measures"]:
        rest = [s for s in sections if getattr(s, "level", 1) == 1 and s.path not in claimed and _heading_of(s)]
        found["measures"] = [Evidence(s.path, _heading_of(s), "body") for s in rest]
    for key in PARTS:
        if found[key]:
            continue
        exclude = _NOT_SHORTFALL if key == "shortfalls" else None
        rules = [TEXT_RULES[key]]
        if key == "plans" and _next_year_rule(year):
            rules.append(_next_year_rule(year))
        for section in sections:
            text = getattr(section, "text", "") or ""
            quote = next((q for r in rules if (q := _sentence_with(r, text, exclude))), None)
            if quote:
                found[key].append(Evidence(section.path, _heading_of(section), "text", quote))
                break
        if not found[key] and not sections and full_text:
            quote = _sentence_with(TEXT_RULES[key], full_text, exclude)
            if quote:
                found[key].append(Evidence("", "", "text", quote))
    return Checklist([PartResult(key, PART_LABELS[key], found[key]) for key in PARTS])
