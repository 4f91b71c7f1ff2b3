"""Figures at scale: three held-out-style passages, the real_dev pages, computed rates."""

from __future__ import annotations

from pathlib import Path

import pytest

from compare.figures import derive_rates, extract_indicators

REAL_DEV = Path(__file__).resolve().parents[2] / "fixtures" / "real_dev"


def found(text: str) -> list[tuple[str, float]]:
    return [(i.key, round(i.value, 4)) for i in extract_indicators(text)]


# Written in the style of reports the extractor has not seen (a prefecture, a county in
# traditional script, a provincial department), coded by hand before running it.
HELD_OUT_STYLE = [
    (
        "二、严格行政复议和应诉\n2022年，全市各级行政复议机关共收到行政复议申请一千二百三十六件，依法受理1108件，"
        "审结1052件，其中直接纠错96件，直接纠错率9.1%，综合纠错率15.8%。全市一审行政诉讼案件共计863件，"
        "败诉案件47件，败诉率5.4%；行政机关负责人出庭应诉712次，出庭应诉率82.5%。",
        [
            ("admin_review_received", 1236), ("admin_review_accepted", 1108), ("admin_review_concluded", 1052),
            ("admin_review_corrected", 96), ("admin_review_direct_correction_rate", 9.1),
            ("admin_review_correction_rate", 15.8), ("admin_litigation_first_instance", 863),
            ("admin_litigation_lost", 47), ("admin_litigation_loss_rate", 5.4),
            ("head_appearance_count", 712), ("head_appearance_rate", 82.5),
        ],
    ),
    (
        "（三）嚴格規範公正文明執法。全縣共辦理行政處罰案件2,315件，罰沒款1,863.5萬元。"
        "全年制定行政規範性文件8件，報送備案8件，合法性審核規範性文件草案12件。"
        "聘請政府法律顧問6名，配備公職律師15名。",
        [
            ("enforcement_cases", 2315), ("enforcement_fines", 1863.5), ("normative_documents_issued", 8),
            ("normative_documents_reviewed", 12), ("legal_advisers", 6), ("public_lawyers", 15),
        ],
    ),
    (
        "本厅全年作出重大行政决策3项，均经合法性审查。办理一审行政诉讼案件12件，未发生败诉案件；"
        "厅主要负责人出庭应诉2次。另外，指导各市审查规范性文件41件，不纳入本厅统计。",
        [
            ("major_decisions", 3), ("admin_litigation_first_instance", 12), ("head_appearance_count", 2),
        ],  # 41 documents reviewed under the department's guidance are the cities' figures
    ),
]


@pytest.mark.parametrize("text, expected", HELD_OUT_STYLE)
def test_held_out_style_passages(text, expected):
    assert found(text) == [(k, pytest.approx(v)) for k, v in expected]


def test_held_out_style_precision_and_recall():
    """Over the three passages: every figure extracted is right, every one coded is found."""
    extracted = sum(len(extract_indicators(t)) for t, _ in HELD_OUT_STYLE)
    coded = sum(len(e) for _, e in HELD_OUT_STYLE)
    assert extracted == coded == 20


# Every figure the real_dev excerpts state for a key, read by hand (the excerpts are short:
# most figures sit in parts the excerpts do not reach).  Known misses, not listed: d052's
# "全过程记录执法案件13起" counts recorded cases (refused on purpose); d033's "集体研究决定重大
# 事项179件" does not say 重大行政决策.  d057's review count is of cases against the bureau.
REAL_DEV_FIGURES = {
    "d004": [("legal_advisers", 3)],
    "d033": [("head_appearance_rate", 100)],
    "d057": [("enforcement_cases", 13206), ("enforcement_fines", 5489.24), ("admin_litigation_cases", 7),
             ("admin_review_received", 6)],
}


def test_real_dev_figures():
    got = {}
    for path in sorted(REAL_DEV.glob("d*.txt")):
        figures = found(path.read_text(encoding="utf-8"))
        if figures:
            got[path.name[:4]] = figures
    assert got == {k: [(key, pytest.approx(v)) for key, v in figs] for k, figs in REAL_DEV_FIGURES.items()}


def test_traditional_twin_gives_the_same_figures():
    simplified = "全年一审行政诉讼案件58件，败诉3件，行政机关负责人出庭应诉率100%。"
    traditional = "全年一審行政訴訟案件58件，敗訴3件，行政機關負責人出庭應訴率100%。"
    assert found(simplified) == found(traditional) != []


def test_rates_computed_from_parts_and_checked():
    text = ("行政诉讼案件共27件，败诉9件，行政机关负责人出庭应诉11件，出庭诉讼率40.7%。"
            "行政复议审结20件，直接纠错5件，直接纠错率40%。")
    rates = {r.key: r for r in derive_rates((i.key, i.value, "s1") for i in extract_indicators(text))}
    loss = rates["admin_litigation_loss_rate"]
    assert loss.value == 33.3 and loss.stated is None and not loss.mismatch
    assert loss.formula == "9 / 27" and loss.denominator[0] == "admin_litigation_cases"
    head = rates["head_appearance_rate"]
    assert head.value == 40.7 and head.stated == 40.7 and not head.mismatch  # 11/27 = 40.74
    direct = rates["admin_review_direct_correction_rate"]
    assert direct.value == 25.0 and direct.stated == 40 and direct.mismatch


def test_rates_prefer_first_instance_and_stay_within_a_section():
    figures = [("admin_litigation_cases", 100, "a"), ("admin_litigation_first_instance", 80, "a"),
               ("admin_litigation_lost", 4, "a"), ("admin_litigation_lost", 9, "b")]
    [rate] = derive_rates(figures)
    assert rate.value == 5.0 and rate.denominator == ("admin_litigation_first_instance", 80) and rate.group == "a"
    # A part larger than its whole is flagged.
    [bad] = derive_rates([("head_appearance_count", 30, "x"), ("admin_litigation_cases", 20, "x")])
    assert bad.value == 150.0 and bad.mismatch
    assert derive_rates([("admin_litigation_lost", 2, "x"), ("admin_litigation_cases", 0, "x")]) == []
