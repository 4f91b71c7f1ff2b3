"""The clause rules: which wording binds a number to which figure (on folded text: simplified
script, ASCII digits and punctuation).

Each rule is applied to one clause (clauses split on ，,：:、); the first rule claiming a
number wins, so the more specific wording comes first (一审行政诉讼案件 before 行政诉讼案件,
备案审查规范性文件 before 规范性文件备案).  A rule with a ``pre`` group is refused when the words
before its key phrase say the number is not the body's own (参与/代理/协助 … a lawyer *took
part in* 26 review cases); ``needs`` is a pattern the whole sentence must contain (纠错 counts
only in a sentence about 行政复议).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from compare.figures.numbers import NUM

CASE_UNIT = r"(?:件|宗|起|个)(?!次)"
DOC_UNIT = r"(?:件|份|个)"
PERSON_UNIT = r"(?:名|人|位)(?!次)"
ITEM_UNIT = r"(?:项|件|个)"
TIMES_UNIT = r"(?:人次|次|件|起|场)"
FILL = r"(?:共|共计|总计|合计|累计|计|了|为|达|达到|有)*"
RATE_FILL = r"(?:为|是|仅为|只有|达|达到|降至|下降至|下降到|降为|控制在|保持在|均为|均达)?"
EXCLUDED_PREFIX = re.compile(r"参与|代理|协助|指导|涉及|旁听|评查|审查|培训|宣传")
# 全过程记录执法案件13起 counts recorded cases, 评查案卷 reviewed files: not cases handled.
ENFORCEMENT_EXCLUDED = re.compile(r"记录|公示|评查|审查|审核|抽查|复核|培训|旁听|涉及|参与")
NORMATIVE = r"(?:行政)?规范性(?:性)?文件"  # "规范性性文件" is a typo seed 000 really prints
ENFORCEMENT_NOUN = r"(?:各类)?(?:行政处罚|行政执法|执法|处罚)案件"
YUAN = r"元"


@dataclass(frozen=True)
class Rule:
    key: str
    pattern: re.Pattern[str]
    scale: float = 1.0  # value × scale is stored (元 → 万元: 1/10000)
    needs: re.Pattern[str] | None = None  # must occur somewhere in the sentence
    excluded: re.Pattern[str] = EXCLUDED_PREFIX


def _n(name: str = "num") -> str:
    return rf"(?P<{name}>{NUM})"


def _rule(key: str, pattern: str, **kw) -> Rule:
    return Rule(key, re.compile(pattern), **kw)


_REVIEW = re.compile(r"复议")
_PER_10K = 1 / 10_000

CLAUSE_RULES: list[Rule] = [
    # --- administrative review: counts
    _rule("admin_review_received",
          rf"(?P<pre>[^,]*?)(?:收到|接收|新收|收)行政复议(?:申请|案件){FILL}{_n()}{CASE_UNIT}"),
    _rule("admin_review_received", rf"(?:收到|接收|新收){FILL}{_n()}{CASE_UNIT}行政复议(?:申请|案件)"),
    _rule("admin_review_accepted",
          rf"(?P<pre>[^,]*?)(?<!不予)(?<!不)受理(?:了)?行政复议(?:申请|案件)?{FILL}{_n()}{CASE_UNIT}"),
    _rule("admin_review_accepted", rf"(?<!不予)(?<!不)受理{FILL}{_n()}{CASE_UNIT}行政复议"),
    _rule("admin_review_concluded",
          rf"(?P<pre>[^,]*?)(?:审结|办结|结案)(?:了)?行政复议(?:申请|案件)?{FILL}{_n()}{CASE_UNIT}"),
    _rule("admin_review_concluded", rf"(?:审结|办结){FILL}{_n()}{CASE_UNIT}行政复议"),
    # 直接纠错12件 / 撤销、变更、确认违法等纠错5件 / 纠正违法或不当行政行为3件
    _rule("admin_review_corrected",
          rf"(?P<pre>[^,]*?)(?<!自我)(?:直接)?(?:纠错|纠正违法或(?:者)?不当(?:的)?行政行为)(?:案件)?{FILL}{_n()}{CASE_UNIT}",
          needs=_REVIEW),
    # 行政复议(案件)审结42件: the noun first, then the verb
    _rule("admin_review_accepted",
          rf"(?P<pre>[^,]*?)行政复议(?:申请|案件)?(?:共|依法)?(?<!不予)(?<!不)受理{FILL}{_n()}{CASE_UNIT}"),
    _rule("admin_review_concluded",
          rf"(?P<pre>[^,]*?)行政复议(?:申请|案件)?(?:共|依法)?(?:审结|办结|结案){FILL}{_n()}{CASE_UNIT}"),
    _rule("admin_review_received",
          rf"(?P<pre>[^,]*?)行政复议(?:申请|案件)?(?:共)?(?:收到|新收|接收|收案){FILL}{_n()}{CASE_UNIT}"),
    _rule("admin_review_received", rf"(?P<pre>[^,]*?)行政复议(?:申请|案件){FILL}{_n()}{CASE_UNIT}"),
    # --- administrative review: rates (a bare 纠错率 is neither: not read)
    _rule("admin_review_direct_correction_rate", rf"直接纠错率{RATE_FILL}{_n()}%"),
    _rule("admin_review_correction_rate", rf"综合纠错率{RATE_FILL}{_n()}%"),
    # --- administrative litigation
    _rule("admin_litigation_first_instance",
          rf"(?P<pre>[^,]*?)(?:行政诉讼|行政应诉)?一审(?:行政诉讼|行政应诉|行政)?(?:案件)?(?:收案|新收|受理)?{FILL}{_n()}{CASE_UNIT}"),
    _rule("admin_litigation_first_instance",
          rf"(?:发生|新收|收到|办理|共有|受理){FILL}{_n()}{CASE_UNIT}一审(?:行政诉讼|行政应诉|行政)?案件"),
    _rule("admin_litigation_cases",
          rf"(?P<pre>[^,]*?)(?:行政(?:诉讼|应诉)案件|行政应诉|应诉案件){FILL}{_n()}{CASE_UNIT}"),
    _rule("admin_litigation_cases",
          rf"(?P<pre>[^,]*?)(?:发生|新收|收到|办理|共有){FILL}{_n()}{CASE_UNIT}行政(?:诉讼|应诉)案件"),
    _rule("admin_litigation_loss_rate", rf"败诉率{RATE_FILL}{_n()}%"),
    _rule("admin_litigation_lost", rf"败诉(?:案件)?{FILL}{_n()}{CASE_UNIT}"),
    _rule("admin_litigation_lost", rf"{_n()}{CASE_UNIT}(?:案件)?(?:被判)?败诉"),
    # --- heads of agencies in court (the rate patterns are in extract.py: they look back)
    _rule("head_appearance_count",
          rf"负责人[^,;。]{{0,4}}出庭(?:应诉)?(?:案件)?{FILL}{_n()}{TIMES_UNIT}"),
    _rule("head_appearance_count",
          rf"(?:安排|组织)?{_n()}(?:人次|次)(?:行政)?(?:机关)?(?:主要)?负责人出庭"),
    # --- enforcement
    _rule("enforcement_cases", rf"(?P<pre>[^,]*?){ENFORCEMENT_NOUN}{FILL}{_n()}{CASE_UNIT}",
          excluded=ENFORCEMENT_EXCLUDED),
    _rule("enforcement_cases",
          rf"(?P<pre>[^,]*?)(?:实施|办理|查处|立案查处|办结|作出|处理)(?:了)?{FILL}{_n()}{CASE_UNIT}{ENFORCEMENT_NOUN}",
          excluded=ENFORCEMENT_EXCLUDED),
    _rule("enforcement_cases",
          rf"(?P<pre>[^,]*?)(?:行政处罚|行政执法)(?:案件)?{FILL}(?:立案|办理|查处|办结){FILL}{_n()}{CASE_UNIT}",
          excluded=ENFORCEMENT_EXCLUDED),
    _rule("enforcement_cases", rf"作出(?:行政)?处罚决定(?:书)?{FILL}{_n()}(?:件|份|起|宗)"),
    _rule("enforcement_fines",
          rf"(?:罚没款|罚没金额|罚没收入|罚没|罚款金额|处罚金额|收缴罚没款)(?:共计|合计|共|累计|总计|达|为|达到)*{_n()}{YUAN}",
          scale=_PER_10K),
    _rule("enforcement_fines", rf"罚款(?:共计|合计|共|累计|总计|达|为|达到)*{_n()}{YUAN}", scale=_PER_10K),
    # --- normative documents (审查 before 备案: 备案审查规范性文件 is a review)
    _rule("normative_documents_reviewed",
          rf"(?P<pre>[^,]*?)(?:合法性审查|合法性审核|备案审查|审查|审核)(?:了)?{NORMATIVE}(?:草案)?{FILL}{_n()}{DOC_UNIT}",
          excluded=re.compile(r"参与|代理|协助|指导|涉及|旁听|评查|培训|宣传")),
    _rule("normative_documents_reviewed",
          rf"{NORMATIVE}(?:合法性审查|合法性审核|备案审查){FILL}{_n()}{DOC_UNIT}"),
    _rule("normative_documents_filed", rf"(?:报备|备案|报送备案)(?:了)?{NORMATIVE}{FILL}{_n()}{DOC_UNIT}"),
    _rule("normative_documents_filed", rf"{NORMATIVE}(?:报备|备案|报送备案){FILL}{_n()}{DOC_UNIT}"),
    _rule("normative_documents_filed", rf"(?:报备|备案|报送备案){FILL}{_n()}{DOC_UNIT}{NORMATIVE}"),
    _rule("normative_documents_issued",
          rf"(?:制定|出台|印发|发布|制发|新制定)(?:了)?{NORMATIVE}{FILL}{_n()}{DOC_UNIT}"),
    _rule("normative_documents_issued",
          rf"(?:制定|出台|印发|发布|制发|新制定)(?:了)?{FILL}{_n()}{DOC_UNIT}{NORMATIVE}"),
    # --- major administrative decisions
    _rule("major_decisions",
          rf"(?P<pre>[^,]*?)重大行政决策(?:事项)?{FILL}{_n()}{ITEM_UNIT}"),
    _rule("major_decisions",
          rf"(?:作出|出台|审议|研究|实施|完成|制定)(?:了)?{FILL}{_n()}{ITEM_UNIT}重大行政决策"),
    # --- legal advisers and public-sector lawyers
    _rule("public_lawyers", rf"(?P<pre>[^,]*?)公职律师(?:队伍)?{FILL}{_n()}{PERSON_UNIT}"),
    _rule("public_lawyers",
          rf"(?:配备|设立|选任|有|共有|培养|发展)(?:了)?{FILL}{_n()}{PERSON_UNIT}公职律师"),
    _rule("legal_advisers",
          rf"(?P<pre>[^,]*?)(?:政府)?法律顾问(?:团队)?{FILL}{_n()}{PERSON_UNIT}"),
    _rule("legal_advisers",
          rf"(?:聘请|聘任|聘用|选聘|配备|外聘)(?:了)?{FILL}{_n()}{PERSON_UNIT}(?:专职|兼职|常年|专业|执业律师担任)*(?:政府)?法律顾问"),
]

# Bare follow-up clauses, read in the context of the sentence's current subject.
BARE = re.compile(
    rf"^\s*(?:其中)?(?:依法)?(?:已|共|全部|均)?(?P<verb>收到|接收|新收|受理|审结|办结|结案|纠错|直接纠错|败诉){FILL}"
    rf"{_n()}{CASE_UNIT}\s*[。!?;！？；]?\s*$"
)
BARE_KEYS = {
    "review": {
        "收到": "admin_review_received", "接收": "admin_review_received", "新收": "admin_review_received",
        "受理": "admin_review_accepted",
        "审结": "admin_review_concluded", "办结": "admin_review_concluded", "结案": "admin_review_concluded",
        "纠错": "admin_review_corrected", "直接纠错": "admin_review_corrected",
    },
    "litigation": {"败诉": "admin_litigation_lost"},
}

# 负责人出庭应诉率 and its short forms, and "负责人100%出庭应诉".
HEAD_RATE = re.compile(rf"出庭(?:应诉|诉讼)?率{RATE_FILL}{_n()}%")
HEAD_RATE_BEFORE = re.compile(rf"负责人{FILL}{_n()}%出庭")
HEAD = re.compile(r"负责人[^,;。]{0,6}出庭|负责人[^,;。]{0,8}%出庭")
OTHER_PERSONS = re.compile(r"人员|干部|职工|律师|代理人")

# Subject nouns (the carried context and 分别 lists).
REVIEW_NOUN = re.compile(r"行政复议")
LITIGATION_NOUN = re.compile(r"行政(?:诉讼|应诉)|行政案件|应诉案件|一审")
RESPECTIVELY = re.compile(
    rf"(?P<nouns>[^,;。]*?)分别(?:为|是|有|达|达到)?(?P<nums>{NUM}{CASE_UNIT}?(?:(?:和|、|与|及|,){NUM}{CASE_UNIT}?)+)"
)
