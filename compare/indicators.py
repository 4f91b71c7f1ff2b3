"""Extract a few comparable figures from report text, each with its source sentence.

Pure: no Django, no I/O.  The caller runs :func:`extract_indicators` once per section and
attaches the section; ``start``/``end`` are offsets of the number (digits, including a
万/亿 multiplier, excluding the unit) in the text passed in, so the view can highlight it.

Conservative by design: a figure is reported only when the number is syntactically bound to
its key phrase within one clause (clauses split on ，,：:、), or, for a bare follow-up clause
such as "受理32件" / "审结30件", when the sentence's previous clause set the subject (行政复议).
Nothing is inferred: "未发生败诉案件" gives no ``admin_litigation_lost`` (0 is not stated),
"发布规范性文件2件，……进行了报备" gives no ``normative_documents_filed`` (the count is of
documents issued; the filing is in another clause), "146个村（社区）全部聘用法律顾问" gives no
``legal_advisers`` (146 counts villages), "组织5名法律顾问评查案卷" gives none either (only
聘请/聘任/聘用/选聘/配备 N 名法律顾问, or 法律顾问 N 名, count advisers).

Decisions worth knowing:

* ``head_appearance_rate``: "负责人出庭应诉率100%"; "负责人出庭应诉11件，出庭诉讼率40.7%"
  (seed 000: 负责人 in an earlier clause of the same sentence); and the bare term
  "出庭应诉率N%", which in these reports is the established short name of 行政机关负责人出庭
  应诉率.  A bare "出庭率"/"出庭诉讼率" needs 负责人 in the sentence, and a rate whose clause
  names other people is refused: "行政工作人员出庭率100%" (seed 003) is about staff, not
  heads, and is not extracted.
* A review count without a verb ("行政复议案件12件", "行政复议申请35件") is ``received``:
  that is the number of cases reaching the office.  With 受理 it is ``accepted``; 不予受理 is
  never ``accepted``.  Counts after 参与/代理/协助/涉及 (a lawyer *took part in* 26 review
  cases, seed 000; litigation *involving* review, seed 002) are not the office's figures.
* "A、B(案件)分别为X件和Y件" is read when every listed noun maps to a key and the counts
  match; otherwise nothing is extracted from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

from search.folding import fold

__all__ = ["Indicator", "INDICATOR_KEYS", "INDICATOR_UNITS", "extract_indicators", "parse_chinese_number"]

INDICATOR_KEYS: dict[str, str] = {
    "admin_review_received": "收到行政复议申请",
    "admin_review_accepted": "受理行政复议案件",
    "admin_review_concluded": "审结行政复议案件",
    "admin_litigation_cases": "行政诉讼（应诉）案件",
    "admin_litigation_lost": "行政诉讼败诉案件",
    "head_appearance_rate": "行政机关负责人出庭应诉率",
    "normative_documents_filed": "规范性文件报备（备案）",
    "legal_advisers": "法律顾问人数",
}
INDICATOR_UNITS: dict[str, str] = {
    "admin_review_received": "件",
    "admin_review_accepted": "件",
    "admin_review_concluded": "件",
    "admin_litigation_cases": "件",
    "admin_litigation_lost": "件",
    "head_appearance_rate": "%",
    "normative_documents_filed": "件",
    "legal_advisers": "人",
}


@dataclass
class Indicator:
    key: str
    value: float
    unit: str
    sentence: str
    start: int  # offset of the number in the text given to extract_indicators
    end: int


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{_CN_DIGITS}]+)(?:[万亿](?![{_CN_DIGITS}]))?"
_ARABIC = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")


def parse_chinese_number(s: str) -> float | None:
    """Read "12", "1,234", "１２", "十二", "两", "二十三", "一百零五", "3.5万", "1.2亿"; else None."""
    if s is None:
        return None
    t = fold(s.strip()).replace(" ", "")
    if not t:
        return None
    mult = 1
    if t[-1] in "万亿" and len(t) > 1 and (t[-2].isdigit()):
        mult = 10_000 if t[-1] == "万" else 100_000_000
        t = t[:-1]
    m = _ARABIC.match(t)
    if m:
        return float(t.replace(",", "")) * mult
    if not all(ch in _CN_DIGITS for ch in t):
        return None
    if t in ("零", "〇"):
        return 0.0
    try:
        value = cn2an.cn2an(t, "smart")
    except (ValueError, KeyError, TypeError):
        # Digit-by-digit form such as 二〇二〇 (cn2an's "normal" mode rejects it).
        if all(ch in "零〇一二三四五六七八九" for ch in t):
            return float("".join(str("零一二三四五六七八九".index(ch) if ch != "〇" else 0) for ch in t))
        return None
    return float(value) * mult


# ---------------------------------------------------------------------------
# Patterns (on folded text: simplified script, ASCII digits and punctuation)
# ---------------------------------------------------------------------------

_CASE_UNIT = r"(?:件|宗|起|个)(?!次)"
_DOC_UNIT = r"(?:件|份|个)"
_PERSON_UNIT = r"(?:名|人|位)(?!次)"
_FILL = r"(?:共|共计|总计|合计|累计|计|了|为|达|达到|有)*"
_EXCLUDED_PREFIX = re.compile(r"参与|代理|协助|指导|涉及|旁听|评查|审查|培训|宣传")

# Subject nouns (used for the carried context and for 分别 lists).
_REVIEW_NOUN = re.compile(r"行政复议")
_LITIGATION_NOUN = re.compile(r"行政(?:诉讼|应诉)|行政案件|应诉案件")


def _n(name: str) -> str:
    return rf"(?P<{name}>{_NUM})"


# Each rule: (key, compiled regex with group "num"; optional group "pre" checked against
# _EXCLUDED_PREFIX).  Applied to one clause; the first rule claiming a number wins.
_CLAUSE_RULES: list[tuple[str, re.Pattern[str]]] = [
    # --- administrative review
    ("admin_review_received", re.compile(
        rf"(?P<pre>[^,]*?)(?:收到|接收|新收|收)行政复议(?:申请|案件){_FILL}{_n('num')}{_CASE_UNIT}")),
    ("admin_review_received", re.compile(
        rf"(?:收到|接收|新收){_FILL}{_n('num')}{_CASE_UNIT}行政复议(?:申请|案件)")),
    ("admin_review_accepted", re.compile(
        rf"(?P<pre>[^,]*?)(?<!不予)(?<!不)受理(?:了)?行政复议(?:申请|案件)?{_FILL}{_n('num')}{_CASE_UNIT}")),
    ("admin_review_accepted", re.compile(
        rf"(?<!不予)(?<!不)受理{_FILL}{_n('num')}{_CASE_UNIT}行政复议")),
    ("admin_review_concluded", re.compile(
        rf"(?P<pre>[^,]*?)(?:审结|办结|结案)(?:了)?行政复议(?:申请|案件)?{_FILL}{_n('num')}{_CASE_UNIT}")),
    ("admin_review_concluded", re.compile(
        rf"(?:审结|办结){_FILL}{_n('num')}{_CASE_UNIT}行政复议")),
    ("admin_review_received", re.compile(
        rf"(?P<pre>[^,]*?)行政复议(?:申请|案件){_FILL}{_n('num')}{_CASE_UNIT}")),
    # --- administrative litigation
    ("admin_litigation_cases", re.compile(
        rf"(?P<pre>[^,]*?)(?:行政(?:诉讼|应诉)案件|行政应诉|应诉案件){_FILL}{_n('num')}{_CASE_UNIT}")),
    ("admin_litigation_cases", re.compile(
        rf"(?P<pre>[^,]*?)(?:发生|新收|收到|办理|共有){_FILL}{_n('num')}{_CASE_UNIT}行政(?:诉讼|应诉)案件")),
    ("admin_litigation_lost", re.compile(
        rf"败诉(?:案件)?{_FILL}{_n('num')}{_CASE_UNIT}")),
    ("admin_litigation_lost", re.compile(
        rf"{_n('num')}{_CASE_UNIT}(?:案件)?(?:被判)?败诉")),
    # --- normative documents
    ("normative_documents_filed", re.compile(
        rf"(?:报备|备案|报送备案)(?:了)?(?:行政)?规范性文件{_FILL}{_n('num')}{_DOC_UNIT}")),
    ("normative_documents_filed", re.compile(
        rf"(?:行政)?规范性文件(?:报备|备案|报送备案){_FILL}{_n('num')}{_DOC_UNIT}")),
    ("normative_documents_filed", re.compile(
        rf"(?:报备|备案|报送备案){_FILL}{_n('num')}{_DOC_UNIT}(?:行政)?规范性文件")),
    # --- legal advisers
    ("legal_advisers", re.compile(
        rf"(?P<pre>[^,]*?)(?:政府)?法律顾问(?:团队)?{_FILL}{_n('num')}{_PERSON_UNIT}")),
    ("legal_advisers", re.compile(
        rf"(?:聘请|聘任|聘用|选聘|配备|外聘)(?:了)?{_FILL}{_n('num')}{_PERSON_UNIT}(?:专职|兼职|常年|专业|执业律师担任)*(?:政府)?法律顾问")),
]

# Bare follow-up clauses, read in the context of the sentence's current subject.
_BARE = re.compile(
    rf"^\s*(?:其中)?(?:依法)?(?:已|共|全部|均)?(?P<verb>收到|接收|新收|受理|审结|办结|结案){_FILL}{_n('num')}{_CASE_UNIT}\s*[。!?;！？；]?\s*$"
)
_BARE_REVIEW_KEYS = {
    "收到": "admin_review_received", "接收": "admin_review_received", "新收": "admin_review_received",
    "受理": "admin_review_accepted",
    "审结": "admin_review_concluded", "办结": "admin_review_concluded", "结案": "admin_review_concluded",
}

_RATE = re.compile(rf"出庭(?:应诉|诉讼)?率(?:为|达|达到|是)?{_n('num')}%")
_HEAD = re.compile(r"负责人[^,;。]{0,6}出庭")
_OTHER_PERSONS = re.compile(r"人员|干部|职工|律师|代理人")

_RESPECTIVELY = re.compile(
    rf"(?P<nouns>[^,;。]*?)分别(?:为|是|有|达|达到)?(?P<nums>{_NUM}{_CASE_UNIT}?(?:(?:和|、|与|及|,){_NUM}{_CASE_UNIT}?)+)"
)

_SENTENCE_END = re.compile(r"[。!?;！？；\n]")
_CLAUSE_SPLIT = re.compile(r"[,，:：、]")


def _sentences(folded: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(folded):
        if m.start() > start:
            spans.append((start, m.start() + (0 if m.group(0) == "\n" else 1)))
        start = m.end()
    if start < len(folded):
        spans.append((start, len(folded)))
    return spans


def _clauses(folded: str, s: int, e: int) -> list[tuple[int, int]]:
    spans, start = [], s
    for m in _CLAUSE_SPLIT.finditer(folded, s, e):
        # A comma inside a number (1,234) does not end a clause.
        if m.group(0) == "," and m.start() > s and folded[m.start() - 1].isdigit() \
                and folded[m.start() + 1: m.start() + 4].isdigit():
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, e))
    return [(a, b) for a, b in spans if b > a]


def _noun_key(noun: str, verb_context: str) -> str | None:
    if "行政复议" in noun:
        if re.search(r"(?<!不予)受理", verb_context):
            return "admin_review_accepted"
        if re.search(r"审结|办结", verb_context):
            return "admin_review_concluded"
        return "admin_review_received"
    if re.search(r"行政(诉讼|应诉)|应诉案件", noun):
        return "admin_litigation_cases"
    return None


def extract_indicators(text: str) -> list[Indicator]:
    """All indicators stated in ``text``, in order of appearance."""
    if not text:
        return []
    folded = fold(text)
    found: list[Indicator] = []
    claimed: set[int] = set()

    def add(key: str, num_start: int, num_end: int, sent: tuple[int, int]) -> None:
        if num_start in claimed:
            return
        value = parse_chinese_number(folded[num_start:num_end])
        if value is None:
            return
        claimed.add(num_start)
        found.append(Indicator(key, value, INDICATOR_UNITS[key], text[sent[0]:sent[1]].strip(),
                               num_start, num_end))

    for sent in _sentences(folded):
        s, e = sent
        # 分别 lists first (they span clause separators).
        for m in _RESPECTIVELY.finditer(folded, s, e):
            nouns_text = m.group("nouns")
            nouns = [n for n in re.split(r"[、和及与]", nouns_text) if n]
            nums = list(re.finditer(_NUM, m.group("nums")))
            keys = [_noun_key(n, nouns_text) for n in nouns]
            # "行政复议、行政诉讼案件": the shared suffix belongs to each noun.
            if len(nums) == len(nouns) >= 2 and all(keys):
                base = m.start("nums")
                for key, nm in zip(keys, nums):
                    add(key, base + nm.start(), base + nm.end(), sent)
            else:
                for nm in nums:  # unreadable list: claim its numbers so no rule misreads them
                    claimed.add(m.start("nums") + nm.start())

        subject: str | None = None
        head_seen = False
        for cs, ce in _clauses(folded, s, e):
            clause = folded[cs:ce]
            matched = False
            for key, rx in _CLAUSE_RULES:
                for m in rx.finditer(clause):
                    pre = m.groupdict().get("pre")
                    if pre and _EXCLUDED_PREFIX.search(pre):
                        continue
                    add(key, cs + m.start("num"), cs + m.end("num"), sent)
                    matched = True
            if _HEAD.search(clause):
                head_seen = True
            for m in _RATE.finditer(clause):
                before = clause[: m.start()]
                if _HEAD.search(before):
                    ok = True
                elif _OTHER_PERSONS.search(before):
                    ok = False  # 行政工作人员出庭率 (seed 003) is about staff, not heads
                else:
                    ok = head_seen or m.group(0).startswith("出庭应诉率")
                if ok:
                    add("head_appearance_rate", cs + m.start("num"), cs + m.end("num"), sent)
            bare = _BARE.match(clause)
            if bare and subject == "review":
                add(_BARE_REVIEW_KEYS[bare.group("verb")], cs + bare.start("num"), cs + bare.end("num"), sent)
                continue
            if bare:
                continue  # a bare clause keeps the current subject
            if _REVIEW_NOUN.search(clause) and not _LITIGATION_NOUN.search(clause):
                subject = "review" if matched or not _EXCLUDED_PREFIX.search(clause) else None
            elif _LITIGATION_NOUN.search(clause):
                subject = "litigation"
            elif not re.fullmatch(r"\s*(?:办结率|受理率|结案率)[^,]*", clause):
                subject = None
    found.sort(key=lambda i: i.start)
    return found
