"""Assign each report section to one topic of a fixed list (pure: no Django, no I/O).

The topic list follows the chapters of the national 法治政府建设实施纲要 (2015–2020 and
2021–2025 editions), in that order, so that sections of reports from different
jurisdictions and years can be set side by side under the same heading.  Two topics are
added at the ends: ``overview`` (概述) for the preamble and for umbrella chapters such as
"一、2020年工作开展情况" whose children carry the specific topics, and ``other`` (其他)
for what fits nowhere (highlights, requests to higher levels, ...).  ``overview`` is kept
apart from ``other`` because every report has a preamble: lumping it with leftovers would
make the "其他" column of a comparison useless.

Method (deliberately simple and explainable; each assignment carries a ``reason``):

1. Text is folded to simplified script (OpenCC t2s) and the heading's own number
   (一、 （一） 1. ...) is stripped.
2. *Heading evidence* (strong).  A topic's ``heading_patterns`` (regular expressions) matching
   the heading score ``HEADING_PATTERN_SCORE``; otherwise each of its ``keywords`` found in
   the heading adds ``HEADING_KEYWORD_SCORE`` (capped).
3. *Body evidence* (weaker).  Keyword occurrences in the body, weighted by keyword length,
   give each topic a share of all keyword mass in the text; the share is multiplied by
   ``BODY_WEIGHT`` and by a confidence factor that grows with the amount of evidence, so a
   single stray keyword in a short text counts for little.
4. *Structure.*  Sections are processed in document order, parents before children:
   - under ``problems`` or ``next_steps`` (存在的问题 / 下一步工作安排) every descendant
     inherits the parent's topic whatever it talks about: a problem with 行政执法 is a problem;
   - under another specific topic the parent's topic gets ``PARENT_PRIOR`` extra, so a child
     leaves its parent only on clear evidence of its own;
   - a child of an umbrella (``overview``) chapter gets no prior;
   - if the best score is below ``MIN_SCORE`` the section inherits its parent's topic
     ("继承上级章节"), or, at the top level, becomes ``overview`` when it comes before the
     first numbered chapter (a preamble) and ``other`` otherwise.
5. An umbrella heading (工作开展情况, 主要举措和成效, 各项任务推进情况 ...) is ``overview``.

The constants are module-level so the tests can exercise them; the expectations for the real
seed reports live in ``tests/compare/expected_topics.py``.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from search.folding import fold

__all__ = [
    "Topic",
    "TOPICS",
    "TOPIC_BY_KEY",
    "TOPIC_CHOICES",
    "SectionInput",
    "TopicAssignment",
    "assign_topics",
    "score_section",
    "strip_number",
]


# ---------------------------------------------------------------------------
# Heading numbers (shared by diff.py)
# ---------------------------------------------------------------------------

_NUMBER_PREFIX = re.compile(
    r"""^\s*(?:
        [一二三四五六七八九十百]+\s*[、.．，,]            # 一、
      | [(（]\s*[一二三四五六七八九十百]+\s*[)）]\s*[、.．]?  # （一）
      | [一二三四五六七八九十百]+\s*[)）]               # 五）  (opening bracket lost)
      | [(（]?\s*\d{1,3}\s*[)）]\s*[、.．]?             # (1) 1)
      | \d{1,3}\s*[、.．](?!\d)                        # 1. 1、
      | [①-⑳]
      | 第[一二三四五六七八九十]+(?:部分|章|节|条)\s*[、.．:：]?
    )\s*""",
    re.VERBOSE,
)


def strip_number(heading: str) -> str:
    """The heading without its leading number ("（一）", "1.", "一、", "①", "第一部分")."""
    return _NUMBER_PREFIX.sub("", heading or "", count=1).strip()


# ---------------------------------------------------------------------------
# The topic list
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    key: str
    label: str
    description: str
    keywords: tuple[str, ...]
    heading_patterns: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        key="overview",
        label="概述",
        description="报告开头的总体情况，以及“工作开展情况”“主要举措和成效”一类总括性章节（具体内容归入其下级章节）。",
        keywords=(),
        heading_patterns=(
            r"^(\d{4}年度?)?[^，,。]{0,16}(工作|任务)(开展|推进|落实|完成)?(的)?(基本)?情况$",
            r"主要(举措|做法|措施|工作)(和|及|与)?(成效|成果|进展)?$",
            r"(工作|建设)?(成效|成果|进展)(和|及|与)?(做法|举措)?$",
            r"^(\d{4}年度?)?(工作)?(总体|基本)?(情况|概述|概况|回顾|总结)$",
            r"各项任务(推进|落实|完成)情况",
        ),
    ),
    Topic(
        key="leadership",
        label="组织领导",
        description="党政主要负责人履行推进法治建设第一责任人职责，党对法治政府建设的领导，"
        "学习贯彻习近平法治思想，统筹部署、领导小组、督察考核、述法、示范创建。",
        keywords=(
            "第一责任人", "组织领导", "党的领导", "全面领导", "领导小组", "统筹", "部署", "督察",
            "督查", "考核", "述法", "示范创建", "习近平法治思想", "中心组", "党委会", "常务会议",
            "工作要点", "实施方案", "一规划两纲要", "推进机制", "年度报告",
        ),
        heading_patterns=(
            r"第一责任人", r"组织领导", r"党(对|的)[^，。]{0,12}领导", r"领导小组",
            r"学习贯彻[^，。]{0,6}习近平法治思想", r"述法", r"督察", r"督查考核", r"督考",
            r"推进机制", r"落实机制", r"(法治政府|法治|省级|市级)[^，。]{0,4}示范创建",
            r"统筹推进", r"统筹部署", r"安排部署",
        ),
    ),
    Topic(
        key="government_functions",
        label="依法全面履行政府职能",
        description="政府职能转变，简政放权、放管服改革，权责清单，行政审批，市场监管，"
        "营商环境，社会信用，政务服务，社会治理，公共服务，生态环境保护，应急管理。",
        keywords=(
            "政府职能", "放管服", "简政放权", "行政审批", "审批", "权责清单", "清单", "负面清单",
            "营商环境", "市场监管", "监管", "双随机", "信用", "政务服务", "一网通办", "证照分离",
            "市场主体", "社会治理", "公共服务", "生态环境", "安全生产", "应急", "疫情防控",
            "数字政府", "便民", "企业",
        ),
        heading_patterns=(
            r"政府职能", r"放管服", r"简政放权", r"职能转变", r"营商环境", r"行政审批",
            r"清单管理", r"权责清单", r"监管方式", r"信用体系", r"政务服务", r"服务效能",
            r"数字政府", r"社会治理", r"中心工作", r"市场主体",
        ),
    ),
    Topic(
        key="institutional_system",
        label="依法行政制度体系",
        description="政府立法和立法调研，行政规范性文件的制定、合法性审核、备案审查和清理，"
        "法律法规草案征求意见。",
        keywords=(
            "规范性文件", "立法", "备案", "报备", "清理", "合法性审查", "合法性审核", "制度体系",
            "征求意见", "草案", "规章", "有件必备",
        ),
        heading_patterns=(
            r"制度体系", r"规范性文件", r"立法", r"制度建设", r"制度供给", r"文件(的)?(制定|管理|清理|备案)",
        ),
    ),
    Topic(
        key="decision_making",
        label="行政决策",
        description="重大行政决策程序（公众参与、专家论证、风险评估、合法性审查、集体讨论决定），"
        "决策目录和后评估，政府法律顾问和公职律师。",
        keywords=(
            "重大行政决策", "行政决策", "决策", "公众参与", "专家论证", "风险评估", "集体讨论",
            "决策目录", "法律顾问", "公职律师", "合法性审查",
        ),
        heading_patterns=(
            r"决策", r"(?<!一)(政府)?法律顾问(制度|管理|工作|作用)?", r"公职律师",
        ),
    ),
    Topic(
        key="law_enforcement",
        label="行政执法",
        description="行政执法体制改革和综合执法，执法“三项制度”，执法人员资格和持证，执法监督、"
        "案卷评查，重点领域执法，执法方式创新，包容审慎监管。",
        keywords=(
            "行政执法", "执法", "综合执法", "三项制度", "执法公示", "全过程记录", "法制审核",
            "执法证", "持证", "案卷评查", "行政处罚", "行政强制", "裁量", "执法人员",
        ),
        heading_patterns=(
            r"执法", r"三项制度", r"案卷评查", r"扫黑除恶",
        ),
    ),
    Topic(
        key="oversight",
        label="行政权力制约和监督",
        description="人大监督、政协监督、司法监督、审计监督、社会和舆论监督，"
        "政务公开和政府信息公开，政务诚信，建议提案办理，问责。",
        keywords=(
            "监督", "制约", "政务公开", "信息公开", "人大", "政协", "审计", "问责", "诚信",
            "建议提案", "提案", "新闻发言人", "检察建议", "舆论",
        ),
        heading_patterns=(
            r"制约", r"(行政权力|权力运行)[^，。]{0,6}监督", r"监督机制", r"政务公开", r"信息公开",
            r"诚信", r"守信", r"新闻发言人", r"接受[^，。]{0,10}监督", r"审计监督", r"人大代表建议",
        ),
    ),
    Topic(
        key="dispute_resolution",
        label="社会矛盾纠纷化解",
        description="行政复议、行政应诉、行政调解、人民调解、行政裁决、信访、"
        "多元化纠纷解决，公共法律服务和法律援助，一村（社区）一法律顾问。",
        keywords=(
            "行政复议", "复议", "行政应诉", "应诉", "行政诉讼", "出庭", "败诉", "调解", "行政裁决",
            "信访", "矛盾纠纷", "纠纷", "仲裁", "枫桥", "法律援助", "公共法律服务", "化解",
        ),
        heading_patterns=(
            r"复议", r"应诉", r"诉讼", r"调解", r"裁决", r"信访", r"矛盾", r"纠纷", r"争议",
            r"一村[(（]?(社区|居)?[)）]?一法律顾问", r"公共法律服务", r"法律援助", r"枫桥",
            r"权利救济",
        ),
    ),
    Topic(
        key="legal_literacy",
        label="法治思维与能力／普法",
        description="政府工作人员法治思维和依法行政能力，领导干部学法用法，法治培训和考试，"
        "普法宣传教育（“八五”“七五”普法），谁执法谁普法，法治文化。",
        keywords=(
            "普法", "法治宣传", "宣传", "学法", "培训", "法治思维", "依法行政能力", "法治素养",
            "法治教育", "法律知识", "讲座", "法律明白人", "法治文化", "民法典", "宪法",
        ),
        heading_patterns=(
            r"普法", r"法治宣传", r"法宣", r"宣传", r"法治思维", r"依法行政(的)?(意识和)?能力",
            r"法治(培训|教育|素养|能力)", r"学法用法", r"法律法规情况", r"法治文化", r"培训",
        ),
    ),
    Topic(
        key="problems",
        label="存在的问题",
        description="工作中存在的问题、不足、差距、短板及其原因。",
        keywords=("问题", "不足", "差距", "短板", "薄弱", "有待", "不够", "不均衡", "欠缺"),
        heading_patterns=(
            r"存在(的)?(主要)?(问题|不足|困难)", r"(问题|不足|差距|短板)(和|与|及)(原因|不足|困难|差距)",
            r"^(主要)?(问题|不足|困难)(和|与|及)?", r"不足(之处)?$", r"薄弱环节",
        ),
    ),
    Topic(
        key="next_steps",
        label="下一步工作安排",
        description="下一年度或今后一个时期的工作打算、工作计划、工作要点和努力方向。",
        keywords=("下一步", "将", "继续", "进一步", "明年", "今后", "打算", "计划"),
        heading_patterns=(
            r"下一步", r"今后(一个时期|一段时期|的?工作)", r"工作(打算|思路|设想)", r"努力方向",
            r"^(\d{4}年度?)?[^，,、“”。]{0,12}(工作)?(计划|安排|要点|重点|打算)$",
        ),
    ),
    Topic(
        key="other",
        label="其他",
        description="不属于以上各类的内容：工作亮点特色、意见建议、需要报告的其他事项等。",
        keywords=(),
        heading_patterns=(
            r"亮点", r"特色", r"意见(和|、|及)?建议", r"其他(需要|事项|情况)",
        ),
    ),
)

TOPIC_BY_KEY: dict[str, Topic] = {t.key: t for t in TOPICS}
TOPIC_CHOICES: tuple[tuple[str, str], ...] = tuple((t.key, t.label) for t in TOPICS)

# Topics whose descendants always inherit, whatever they talk about.
STICKY_TOPICS = frozenset({"problems", "next_steps"})
# Topics that say nothing specific: children of such sections get no parental prior.
UMBRELLA_TOPICS = frozenset({"overview", "other"})

HEADING_PATTERN_SCORE = 1.0
HEADING_KEYWORD_SCORE = 0.35
HEADING_KEYWORD_CAP = 0.7
BODY_WEIGHT = 0.6
BODY_FULL_CONFIDENCE_HITS = 8.0  # weighted keyword hits at which body evidence counts fully
PARENT_PRIOR = 0.45
MIN_SCORE = 0.25
# Sticky topics are only recognised from the heading (a body full of 问题 is not a problem list).
_BODY_EXCLUDED = STICKY_TOPICS | UMBRELLA_TOPICS


@dataclass
class SectionInput:
    heading: str
    text: str
    level: int
    parent_index: int | None  # index into the same list; parents come before children


@dataclass
class TopicAssignment:
    key: str
    score: float
    reason: str


@functools.lru_cache(maxsize=None)
def _compiled(key: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in TOPIC_BY_KEY[key].heading_patterns)


@dataclass
class _Evidence:
    key: str
    heading: float
    body: float
    heading_reason: str
    body_reason: str

    @property
    def total(self) -> float:
        return self.heading + self.body


def _heading_evidence(topic: Topic, heading: str) -> tuple[float, str]:
    if not heading:
        return 0.0, ""
    for rx in _compiled(topic.key):
        m = rx.search(heading)
        if m:
            return HEADING_PATTERN_SCORE, f"标题匹配「{m.group(0) or heading}」"
    found = [kw for kw in topic.keywords if kw in heading]
    # A keyword contained in a longer found keyword counts once (决策 inside 重大行政决策).
    found = [kw for kw in found if not any(kw != other and kw in other for other in found)]
    if not found:
        return 0.0, ""
    score = min(HEADING_KEYWORD_CAP, HEADING_KEYWORD_SCORE * len(found))
    return score, "标题含关键词「" + "」「".join(found[:3]) + "」"


def _body_masses(text: str) -> dict[str, tuple[float, list[str]]]:
    masses: dict[str, tuple[float, list[str]]] = {}
    for topic in TOPICS:
        if topic.key in _BODY_EXCLUDED:
            continue
        mass = 0.0
        hits: list[tuple[int, str]] = []
        for kw in topic.keywords:
            n = text.count(kw)
            if n:
                # Longer keywords are more specific; sqrt damps repetition.
                mass += math.sqrt(n) * min(len(kw), 5) / 2
                hits.append((n, kw))
        hits.sort(reverse=True)
        masses[topic.key] = (mass, [kw for _, kw in hits[:3]])
    return masses


def score_section(heading: str, text: str) -> dict[str, _Evidence]:
    """Evidence for every topic from one section's own heading and body (folded inside)."""
    head = strip_number(fold(heading or ""))
    body = fold(text or "")
    masses = _body_masses(body)
    total_mass = sum(m for m, _ in masses.values())
    confidence = min(1.0, total_mass / BODY_FULL_CONFIDENCE_HITS)
    out: dict[str, _Evidence] = {}
    for topic in TOPICS:
        h, h_reason = _heading_evidence(topic, head)
        mass, hits = masses.get(topic.key, (0.0, []))
        b = BODY_WEIGHT * confidence * (mass / total_mass) if total_mass else 0.0
        b_reason = ("正文关键词「" + "」「".join(hits) + f"」占比{mass / total_mass:.0%}") if b else ""
        out[topic.key] = _Evidence(topic.key, h, b, h_reason, b_reason)
    return out


def _is_umbrella(heading: str) -> str | None:
    head = strip_number(fold(heading or ""))
    for rx in _compiled("overview"):
        m = rx.search(head)
        if m:
            return m.group(0)
    return None


def assign_topics(sections: list[SectionInput]) -> list[TopicAssignment]:
    """One ``TopicAssignment`` per section, same order.  Parents must precede children."""
    result: list[TopicAssignment] = []
    seen_numbered_top = False
    # Body evidence of a section includes its descendants' text: a chapter whose heading is
    # vague ("夯实法治政府建设基础") and whose text lives in its sub-items is judged by them.
    subtree_text = [s.text or "" for s in sections]
    for i in range(len(sections) - 1, -1, -1):
        p = sections[i].parent_index
        if p is not None and 0 <= p < i:
            subtree_text[p] = subtree_text[p] + "\n" + subtree_text[i]
    has_children = {s.parent_index for s in sections if s.parent_index is not None}
    # parent index (None = top level) -> (topic, reason) announced by an unnumbered lead-in.
    lead_ins: dict[int | None, tuple[str, str]] = {}
    for i, sec in enumerate(sections):
        if sec.parent_index is not None and not (0 <= sec.parent_index < i):
            raise ValueError(f"section {i}: parent_index {sec.parent_index} must point to an earlier section")
        parent = result[sec.parent_index] if sec.parent_index is not None else None
        if parent is None and (sec.heading or "").strip():
            seen_numbered_top = True  # a headed chapter: heading-less blocks after it are no preamble
        assignment = _assign_one(
            sec, parent, subtree_text[i], seen_numbered_top, lead_ins.get(sec.parent_index)
        )
        result.append(assignment)
        if assignment.key in STICKY_TOPICS and "导语" not in assignment.reason:
            lead_ins.pop(sec.parent_index, None)  # a real chapter takes over from the lead-in
        lead = _lead_in(sec.text)
        if lead:
            if i in has_children:
                lead_ins[i] = lead
            else:
                # A trailing paragraph of a leaf announces what follows it: its later siblings
                # and the later siblings of its ancestors.
                j: int | None = sec.parent_index
                while True:
                    lead_ins[j] = lead
                    if j is None:
                        break
                    j = sections[j].parent_index
    return result


_NEXT_LEAD = re.compile(
    r"((下一步|今后|明年|新的一年|\d{4}年).{0,80}(将|要|拟|计划|打算)|工作(打算|计划|安排|思路)|努力方向)[^。]{0,40}[:：]$"
)
_PROBLEM_LEAD = re.compile(r"(存在|仍有|还有)[^。]{0,40}(问题|不足|差距|短板)[^。]{0,20}[:：]$")
_PROBLEM_OPENING = re.compile(r"(存在|仍有|还有)[^。]{0,30}(问题|不足|差距|短板|薄弱)")
_NEXT_OPENING = re.compile(r"^(下一步|今后|明年|新的一年|\d{4}年(是|,)).{0,60}(将|要|拟)")
_STICKY_HEADING = re.compile("|".join(
    f"(?:{p})" for k in ("problems", "next_steps") for p in TOPIC_BY_KEY[k].heading_patterns
))
_NOT_LEAD = re.compile(r"(报告|汇报|总结)如下|情况如下")


def _lead_in(text: str) -> tuple[str, str] | None:
    """An unnumbered last paragraph such as "2020年，我们将重点做好以下五方面工作：" ."""
    paragraphs = [p.strip() for p in fold(text or "").splitlines() if p.strip()]
    if not paragraphs:
        return None
    last = paragraphs[-1]
    if _NOT_LEAD.search(last):
        return None
    for key, rx in (("next_steps", _NEXT_LEAD), ("problems", _PROBLEM_LEAD)):
        m = rx.search(last)
        if m:
            snippet = last if len(last) <= 24 else "…" + last[-24:]
            return key, f"导语「{snippet}」之后"
    return None


def _assign_one(
    sec: SectionInput,
    parent: TopicAssignment | None,
    body_text: str,
    seen_numbered_top: bool,
    lead_in: tuple[str, str] | None,
) -> TopicAssignment:
    # 1. After an unnumbered lead-in ("我们将重点做好以下五方面工作：") in the parent's text or
    #    at the end of a previous section; then, under problems / next steps, the whole
    #    subtree follows.
    if lead_in is not None and not _STICKY_HEADING.search(strip_number(fold(sec.heading or ""))):
        return TopicAssignment(lead_in[0], HEADING_PATTERN_SCORE, lead_in[1])
    if parent is not None and parent.key in STICKY_TOPICS:
        return TopicAssignment(parent.key, parent.score, f"继承上级章节（{TOPIC_BY_KEY[parent.key].label}）")

    evidence = score_section(sec.heading, body_text)
    # 2. Problems / next steps recognised in the heading win outright (存在的问题, 下一步工作计划).
    for key in ("problems", "next_steps"):
        if evidence[key].heading >= HEADING_PATTERN_SCORE:
            return TopicAssignment(key, evidence[key].heading, evidence[key].heading_reason)
    # 3. A section without a heading (an unnumbered paragraph block) opening with a statement
    #    of problems or of next year's plans.
    if not strip_number(fold(sec.heading or "")):
        first = next((p.strip() for p in fold(sec.text or "").splitlines() if p.strip()), "")
        if not seen_numbered_top and parent is None:
            return TopicAssignment("overview", 0.0, "编号章节之前的导言")
        for key, rx in (("problems", _PROBLEM_OPENING), ("next_steps", _NEXT_OPENING)):
            m = rx.search(first)
            if m:
                return TopicAssignment(key, HEADING_PATTERN_SCORE, f"无标题段落「{m.group(0)[:24]}」")
    # 4. Umbrella headings, unless the heading also names a specific topic.
    umbrella = _is_umbrella(sec.heading)
    strongest_specific = max(
        (e.heading for e in evidence.values() if e.key not in _BODY_EXCLUDED), default=0.0
    )
    if umbrella and strongest_specific < HEADING_PATTERN_SCORE:
        return TopicAssignment("overview", HEADING_PATTERN_SCORE, f"总括性标题「{umbrella}」")

    # 5. Specific topics, with the parent's (specific) topic as a prior.
    scores = {k: ev.total for k, ev in evidence.items() if k not in STICKY_TOPICS and k != "overview"}
    prior_key = parent.key if parent is not None and parent.key not in UMBRELLA_TOPICS else None
    if prior_key:
        scores[prior_key] = scores.get(prior_key, 0.0) + PARENT_PRIOR
    best_key = max(scores, key=lambda k: (scores[k], -_ORDER[k]))
    best = scores[best_key]

    if best < MIN_SCORE:
        if parent is not None:
            return TopicAssignment(parent.key, round(best, 3), "证据不足，继承上级章节")
        if not seen_numbered_top:
            return TopicAssignment("overview", round(best, 3), "编号章节之前的导言")
        return TopicAssignment("other", round(best, 3), "证据不足")

    ev = evidence[best_key]
    reasons = [r for r in (ev.heading_reason, ev.body_reason) if r]
    if best_key == prior_key:
        reasons = reasons + ["上级章节同题"] if reasons else ["继承上级章节"]
    return TopicAssignment(best_key, round(best, 3), "；".join(reasons))


_ORDER = {t.key: i for i, t in enumerate(TOPICS)}
