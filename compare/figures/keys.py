"""The figures the archive reads from reports: key → label, unit and group, in display order.

Labels are the phrasings reports use.  Amounts (罚没) are stored in 万元 whatever the report
wrote (元, 万元, 亿元); rates in percent.
"""

from __future__ import annotations

# (key, label, unit, group)
_DEFINITIONS: list[tuple[str, str, str, str]] = [
    ("admin_review_received", "收到行政复议申请", "件", "行政复议"),
    ("admin_review_accepted", "受理行政复议案件", "件", "行政复议"),
    ("admin_review_concluded", "审结行政复议案件", "件", "行政复议"),
    ("admin_review_corrected", "行政复议纠错案件", "件", "行政复议"),
    ("admin_review_direct_correction_rate", "行政复议直接纠错率", "%", "行政复议"),
    ("admin_review_correction_rate", "行政复议综合纠错率", "%", "行政复议"),
    ("admin_litigation_first_instance", "一审行政诉讼案件", "件", "行政诉讼"),
    ("admin_litigation_cases", "行政诉讼（应诉）案件", "件", "行政诉讼"),
    ("admin_litigation_lost", "行政诉讼败诉案件", "件", "行政诉讼"),
    ("admin_litigation_loss_rate", "行政诉讼败诉率", "%", "行政诉讼"),
    ("head_appearance_count", "行政机关负责人出庭应诉次数", "次", "负责人出庭应诉"),
    ("head_appearance_rate", "行政机关负责人出庭应诉率", "%", "负责人出庭应诉"),
    ("enforcement_cases", "行政执法（处罚）案件", "件", "行政执法"),
    ("enforcement_fines", "罚没金额", "万元", "行政执法"),
    ("normative_documents_issued", "制定（发布）规范性文件", "件", "规范性文件"),
    ("normative_documents_filed", "规范性文件报备（备案）", "件", "规范性文件"),
    ("normative_documents_reviewed", "规范性文件审查（合法性审核、备案审查）", "件", "规范性文件"),
    ("major_decisions", "重大行政决策事项", "项", "重大行政决策"),
    ("legal_advisers", "法律顾问人数", "人", "法律顾问与公职律师"),
    ("public_lawyers", "公职律师人数", "人", "法律顾问与公职律师"),
]

INDICATOR_KEYS: dict[str, str] = {k: label for k, label, _, _ in _DEFINITIONS}
INDICATOR_UNITS: dict[str, str] = {k: unit for k, _, unit, _ in _DEFINITIONS}
INDICATOR_GROUPS: dict[str, str] = {k: group for k, _, _, group in _DEFINITIONS}
RATE_KEYS = frozenset(k for k, _, unit, _ in _DEFINITIONS if unit == "%")
