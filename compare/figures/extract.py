"""Read the figures a text states, each with its sentence and the offsets of its number.

Conservative by design: a figure is reported only when the number is syntactically bound to
its key phrase within one clause (compare/figures/rules.py), or, for a bare follow-up clause
such as "受理32件" / "审结30件", when the sentence's previous clause set the subject (行政复议).
Nothing is inferred: "未发生败诉案件" gives no ``admin_litigation_lost`` (0 is not stated),
"发布规范性文件2件，……进行了报备" gives ``normative_documents_issued`` 2 but no
``normative_documents_filed`` (the filing is in another clause), "146个村（社区）全部聘用法律顾问"
gives no ``legal_advisers`` (146 counts villages), "组织5名法律顾问评查案卷" gives none either.

Decisions worth knowing:

* ``head_appearance_rate``: "负责人出庭应诉率100%"; "负责人出庭应诉11件，出庭诉讼率40.7%"
  (seed 000: 负责人 in an earlier clause of the same sentence); "负责人100%出庭应诉"; and the
  bare term "出庭应诉率N%", the established short name of 行政机关负责人出庭应诉率.  A bare
  "出庭率"/"出庭诉讼率" needs 负责人 in the sentence, and a rate whose clause names other
  people is refused: "行政工作人员出庭率100%" (seed 003) is about staff, not heads.
* A review count without a verb ("行政复议案件12件") is ``received``; with 受理 it is
  ``accepted``; 不予受理 is never ``accepted``.  Counts after 参与/代理/协助/涉及 are not the
  office's figures.  纠错 counts only in a sentence about 复议; a bare 纠错率 is not read (it
  is neither 直接 nor 综合).
* 一审(行政诉讼)案件 is ``admin_litigation_first_instance``, read before the general litigation
  count, which it never doubles.
* 罚没/罚款/处罚金额 N元|万元|亿元 is stored in 万元.
* "A、B(案件)分别为X件和Y件" is read when every listed noun maps to a key and the counts match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from compare.figures import rules as R
from compare.figures.keys import INDICATOR_UNITS
from compare.figures.numbers import NUM, parse_chinese_number
from search.folding import fold


@dataclass
class Indicator:
    key: str
    value: float
    unit: str
    sentence: str
    start: int  # offset of the number in the text given to extract_indicators
    end: int


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


def _head_rate_ok(clause: str, m: re.Match, head_seen: bool) -> bool:
    before = clause[: m.start()]
    if R.HEAD.search(before):
        return True
    if R.OTHER_PERSONS.search(before):
        return False  # 行政工作人员出庭率 (seed 003) is about staff, not heads
    return head_seen or m.group(0).startswith("出庭应诉率")


def extract_indicators(text: str) -> list[Indicator]:
    """All figures stated in ``text``, in order of appearance."""
    if not text:
        return []
    folded = fold(text)
    found: list[Indicator] = []
    claimed: set[int] = set()

    def add(key: str, num_start: int, num_end: int, sent: tuple[int, int], scale: float = 1.0) -> None:
        if num_start in claimed:
            return
        value = parse_chinese_number(folded[num_start:num_end])
        if value is None:
            return
        claimed.add(num_start)
        scaled = round(value * scale, 4) if scale != 1 else value
        found.append(Indicator(key, scaled, INDICATOR_UNITS[key], text[sent[0]:sent[1]].strip(), num_start, num_end))

    for sent in _sentences(folded):
        s, e = sent
        sentence = folded[s:e]
        # 分别 lists first (they span clause separators).
        for m in R.RESPECTIVELY.finditer(folded, s, e):
            nouns_text = m.group("nouns")
            nouns = [n for n in re.split(r"[、和及与]", nouns_text) if n]
            nums = list(re.finditer(NUM, m.group("nums")))
            keys = [_noun_key(n, nouns_text) for n in nouns]
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
            for m in R.HEAD_RATE_BEFORE.finditer(clause):
                add("head_appearance_rate", cs + m.start("num"), cs + m.end("num"), sent)
            for rule in R.CLAUSE_RULES:
                if rule.needs is not None and not rule.needs.search(sentence):
                    continue
                for m in rule.pattern.finditer(clause):
                    pre = m.groupdict().get("pre")
                    if pre and rule.excluded.search(pre):
                        continue
                    add(rule.key, cs + m.start("num"), cs + m.end("num"), sent, rule.scale)
                    matched = True
            if R.HEAD.search(clause):
                head_seen = True
            for m in R.HEAD_RATE.finditer(clause):
                if _head_rate_ok(clause, m, head_seen):
                    add("head_appearance_rate", cs + m.start("num"), cs + m.end("num"), sent)
            bare = R.BARE.match(clause)
            if bare:
                key = R.BARE_KEYS.get(subject or "", {}).get(bare.group("verb"))
                if key:
                    add(key, cs + bare.start("num"), cs + bare.end("num"), sent)
                continue  # a bare clause keeps the current subject
            if R.REVIEW_NOUN.search(clause) and not R.LITIGATION_NOUN.search(clause):
                subject = "review" if matched or not R.EXCLUDED_PREFIX.search(clause) else None
            elif R.LITIGATION_NOUN.search(clause):
                subject = "litigation"
            elif not re.fullmatch(r"\s*(?:办结率|受理率|结案率|纠错率)[^,]*", clause):
                subject = None
    found.sort(key=lambda i: i.start)
    return found
