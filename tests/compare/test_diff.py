"""Similarity, character diffs, alignment of two years' reports and copy detection."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest

from compare.diff import Alignment, DiffOp, SectionText, align_sections, char_diff, likely_copies, similarity

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"

OLD = (
    "2019年，我区深入推进行政复议体制改革，完善行政复议办案场所建设，严格履行工作流程，提高办案质效。"
    "充分发挥政府法律顾问专家库作用，形成案件初步处理意见和建议，从根本上化解行政争议。"
    "全年受理行政复议案件80件，已办结67件，有效发挥了行政复议化解行政争议主渠道作用。"
)
NEW = (
    "2020年，我区深入推进行政复议体制改革，完善行政复议办案场所建设，严格履行工作流程，持续提高办案质效。"
    "充分发挥政府法律顾问专家库作用，形成案件初步处理意见和建议，从根本上化解行政争议。"
    "全年受理行政复议案件95件，已办结90件，有效发挥了行政复议化解行政争议主渠道作用。"
)
ENFORCEMENT = (
    "严格行政执法程序、规范使用行政执法文书，大力提升执法规范化水平。持续加强行政执法人员资格管理，"
    "组织行政执法持证人员参加公共法律知识培训，严格行政执法人员持证上岗和资格管理制度。"
)
PUFA = (
    "印发普法依法治理工作要点和部门普法责任清单，坚持以学用习近平法治思想为主题，突出宣传宪法和民法典，"
    "通过组织法治讲座、开展法律知识竞答、举办法治文艺演出、发放普法资料等形式推动全社会尊法学法守法用法。"
)


def rebuild(ops: list[DiffOp]) -> tuple[str, str]:
    old = "".join(o.text for o in ops if o.kind in ("equal", "delete"))
    new = "".join(o.text for o in ops if o.kind in ("equal", "insert"))
    return old, new


class TestSimilarity:
    def test_bounds(self):
        assert similarity("", "") == 1.0
        assert similarity("行政复议", "") == 0.0
        assert similarity(OLD, OLD) == 1.0
        assert 0.0 <= similarity(OLD, PUFA) <= 1.0

    def test_edited_section_is_similar(self):
        s = similarity(OLD, NEW)
        assert 0.9 < s < 1.0

    def test_unrelated_sections_are_not(self):
        assert similarity(ENFORCEMENT, PUFA) < 0.3

    def test_whitespace_and_script_do_not_count(self):
        trad = opencc.OpenCC("s2t").convert(OLD)
        assert trad != OLD
        assert similarity(OLD, trad) == 1.0
        assert similarity(OLD, OLD.replace("，", "， \n")) == 1.0

    def test_orders_2000_char_sections_by_closeness(self):
        # Real section-length texts (the speed of this call is in no test: benchmarks measure it).
        text = (SEEDS / "002_db13024be30b49cc.txt").read_text(encoding="utf-8")
        a = text[3000:5000]
        edited = a.replace("杏花岭", "迎泽").replace("2023", "2024")[:1500] + "新增一句话。" + a[1500:]
        unrelated = text[9000:11000]
        close, far = similarity(a, edited), similarity(a, unrelated)
        assert 0 <= far < close < 1
        assert similarity(a, a) == 1


class TestCharDiff:
    def test_reconstructs_both_texts(self):
        ops = char_diff(OLD, NEW)
        assert rebuild(ops) == (OLD, NEW)
        changed = [(o.kind, o.text) for o in ops if o.kind != "equal"]
        assert ("delete", "19") in changed or ("delete", "2019") in changed
        assert ("insert", "持续") in changed
        assert all(o.kind in ("equal", "insert", "delete") for o in ops)
        assert all(o.text for o in ops)

    def test_raw_and_merged_both_reconstruct(self):
        for merge in (0, 1, 2, 5):
            assert rebuild(char_diff(ENFORCEMENT, PUFA, merge_below=merge)) == (ENFORCEMENT, PUFA)

    def test_merging_avoids_confetti(self):
        raw = char_diff("行政复议案件", "行政诉讼案件", merge_below=0)
        merged = char_diff("行政复议案件", "行政诉讼案件")
        assert rebuild(raw) == rebuild(merged) == ("行政复议案件", "行政诉讼案件")
        assert merged == [DiffOp("equal", "行政"), DiffOp("delete", "复议"), DiffOp("insert", "诉讼"),
                          DiffOp("equal", "案件")]

    @pytest.mark.parametrize("old, new", [("", ""), ("", "新增"), ("删除", ""), ("相同", "相同")])
    def test_edges(self, old, new):
        assert rebuild(char_diff(old, new)) == (old, new)

    def test_long_texts_reconstruct(self):
        text = (SEEDS / "002_db13024be30b49cc.txt").read_text(encoding="utf-8")
        old, new = text[:6000], text[:2000] + "插入的新段落。\n" + text[2100:6500].replace("2023", "2024")
        assert rebuild(char_diff(old, new)) == (old, new)

    def test_traditional_display_diff_keeps_originals(self):
        trad = opencc.OpenCC("s2t").convert(OLD)
        assert rebuild(char_diff(OLD, trad)) == (OLD, trad)


def report(year: int) -> list[SectionText]:
    return [
        SectionText("", f"{year}年，区政府深入推进法治政府建设。", "overview"),
        SectionText("依法全面履行政府职能", "深化放管服改革，优化营商环境，推进一网通办。",
                    "government_functions"),
        SectionText("推进严格规范公正文明执法", ENFORCEMENT, "law_enforcement"),
        SectionText("依法有效化解社会矛盾纠纷", OLD if year == 2019 else NEW, "dispute_resolution"),
        SectionText("存在的问题", "法治建设工作不均衡，执法人员紧缺。", "problems"),
        SectionText("下一步工作安排", f"{year + 1}年，将重点做好以下工作。", "next_steps"),
    ]


class TestAlign:
    def test_identical_structure(self):
        result = align_sections(report(2019), report(2020))
        assert [(a.left, a.right) for a in result] == [(i, i) for i in range(6)]
        assert all(a.score > 0.3 for a in result)

    def test_inserted_and_removed_sections(self):
        left = report(2019)
        right = report(2020)
        del right[1]  # government functions dropped in 2020
        right.insert(3, SectionText("加强普法宣传教育", PUFA, "legal_literacy"))
        result = align_sections(left, right)
        pairs = [(a.left, a.right) for a in result]
        assert (1, None) in pairs
        assert (None, 3) in pairs
        assert (2, 1) in pairs and (3, 2) in pairs and (5, 5) in pairs
        # Every section exactly once on each side.
        assert sorted(a.left for a in result if a.left is not None) == list(range(len(left)))
        assert sorted(a.right for a in result if a.right is not None) == list(range(len(right)))

    def test_renumbered_headings_still_align(self):
        left = [SectionText("（一）稳妥做好行政复议工作", OLD, "dispute_resolution")]
        right = [SectionText("（三）稳妥做好行政复议工作", NEW, "dispute_resolution")]
        assert align_sections(left, right) == [Alignment(0, 0, align_sections(left, right)[0].score)]

    def test_moved_section_is_still_aligned(self):
        left = report(2019)
        right = report(2020)
        right.insert(1, right.pop(3))  # disputes chapter moved up
        result = align_sections(left, right)
        pairs = {(a.left, a.right) for a in result}
        assert (3, 1) in pairs  # strong text match kept although it crosses the order
        assert (2, 3) in pairs and (1, 2) in pairs

    def test_unrelated_reports_align_nothing(self):
        left = [SectionText("行政执法", ENFORCEMENT, "")]
        right = [SectionText("普法宣传", PUFA, "")]
        assert [(a.left, a.right) for a in align_sections(left, right)] == [(0, None), (None, 0)]

    def test_empty(self):
        assert align_sections([], []) == []
        assert [(a.left, a.right) for a in align_sections(report(2019)[:2], [])] == [(0, None), (1, None)]


class TestCopies:
    def test_copy_with_place_names_swapped_is_flagged(self):
        a = [SectionText("行政复议", OLD.replace("我区", "杏花岭区"), ""),
             SectionText("执法", ENFORCEMENT, "")]
        b = [SectionText("普法", PUFA, ""), SectionText("复议", OLD.replace("我区", "迎泽区"), "")]
        found = likely_copies(a, b)
        assert [(i, j) for i, j, _ in found] == [(0, 1)]
        assert 0.9 < found[0][2] <= 1.0

    def test_changed_figures_do_not_hide_a_copy(self):
        found = likely_copies([OLD], [OLD.replace("80", "125").replace("67", "99")])
        assert found and found[0][2] == 1.0

    def test_unrelated_sections_are_not_flagged(self):
        assert likely_copies([ENFORCEMENT, OLD], [PUFA]) == []

    def test_edited_across_years_is_below_a_strict_threshold(self):
        assert likely_copies([OLD], [NEW], threshold=0.999) == []
        assert likely_copies([OLD], [NEW])

    def test_traditional_copy_is_detected(self):
        trad = opencc.OpenCC("s2t").convert(ENFORCEMENT.replace("行政执法人员", "執法隊員"))
        found = likely_copies([ENFORCEMENT], [SectionText("", trad, "")])
        assert found and found[0][:2] == (0, 0)

    def test_short_sections_are_ignored(self):
        assert likely_copies(["认真做好行政应诉工作。"], ["认真做好行政应诉工作。"]) == []
        assert likely_copies(["认真做好行政应诉工作。"], ["认真做好行政应诉工作。"], min_chars=5)

    def test_best_first(self):
        found = likely_copies([OLD, ENFORCEMENT], [NEW, ENFORCEMENT, OLD])
        assert found[0][2] >= found[-1][2]
        assert {(i, j) for i, j, _ in found} >= {(0, 2), (1, 1), (0, 0)}
