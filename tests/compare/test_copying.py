"""Copy flags that carry signal: a six-county comparison whose openings are all the same.

Six counties of one city open with the same ceremonial paragraph (§ 0), four repeat a standard
sentence on decision procedure, two (one in traditional script) share a distinctive paragraph,
and three share a rarer-but-not-unique one.  Coded by hand: the flags are 甲↔乙 (the distinctive
paragraph, held by no other body) then 丙↔丁, 丙↔戊, 丁↔戊 (held by one other body each); the
opening and the standard sentence flag nothing.
"""

from __future__ import annotations

import itertools

import pytest

from compare import grid
from compare.copying import (
    common_threshold,
    marked_segments,
    meaningful_copies,
    passage_key,
    passages,
)
from compare.diff import likely_copies
from reports.models import Region, RegionLevel, Report, Section

pytestmark = pytest.mark.django_db

COUNTIES = ["甲县", "乙县", "丙县", "丁县", "戊县", "己县"]

OPENING = (
    "2022年，在市委、市政府的坚强领导下，{c}深入学习贯彻习近平法治思想，全面贯彻党的二十大精神，"
    "以习近平新时代中国特色社会主义思想为指导，坚持以人民为中心的发展思想，扎实推进法治政府建设各项工作。"
    "现将{c}2022年法治政府建设有关情况报告如下。"
)
STANDARD = "严格落实重大行政决策程序规定，坚持公众参与、专家论证、风险评估、合法性审查、集体讨论决定法定程序。"
DISTINCTIVE = (
    "{c}创新推行“首违不罚+信用修复”联动机制，对初次轻微违法的市场主体免予处罚并同步启动信用修复。"
    "全年惠及市场主体312户，相关做法被省司法厅转发推广。"
    "同时建立涉企执法“观察期”制度，观察期内以指导约谈代替立案查处。"
)
RARER = (
    "{c}在全市率先建成“复议+调解”一站式服务中心，设立巡回复议点17个，复议前置调解成功率达到61%。"
    "建立行政复议意见书跟踪回访机制，对被申请人整改情况逐件核查。"
)
OWN = {
    "甲县": "全县新建公共法律服务工作站23个，实现村居法律顾问全覆盖，年内开展送法下乡活动86场。",
    "乙县": "全縣組織行政執法人員培訓班6期，參訓人員1200餘人次，執法證件持證率達到100%。",
    "丙县": "完成县级行政许可事项清单编制，梳理许可事项214项，全部在政务服务网公开。",
    "丁县": "推进乡镇综合行政执法改革，赋权事项清单明确行政处罚事项97项，配套制定执法流程图。",
    "戊县": "开展法治宣传进企业活动，编印营商环境法规汇编3000册，发放到重点企业和商会。",
    "己县": "深化“放管服”改革，企业开办时间压缩至1个工作日，全程网办率达到98%。",
}
# Who shares what (the hand coding).
HAS_STANDARD = {"甲县", "丙县", "戊县", "己县"}
HAS_DISTINCTIVE = {"甲县", "乙县"}
HAS_RARER = {"丙县", "丁县", "戊县"}


def _six_counties() -> dict[str, Report]:
    province = Region.objects.create(name="某省", level=RegionLevel.PROVINCE)
    city = Region.objects.create(name="某市", level=RegionLevel.CITY, parent=province)
    out = {}
    for n, county in enumerate(COUNTIES):
        region = Region.objects.create(name=county, level=RegionLevel.COUNTY, parent=city)
        traditional = county == "乙县"
        measures = OWN[county]
        if county in HAS_STANDARD:
            measures += STANDARD
        parts = [("", OPENING.format(c=county)), ("一、主要举措和成效", measures)]
        if county in HAS_DISTINCTIVE:
            text = DISTINCTIVE.format(c=county)
            if traditional:
                text = text.replace("创新推行", "創新推行").replace("联动机制", "聯動機制").replace("处罚", "處罰") \
                    .replace("信用修复", "信用修復").replace("观察期", "觀察期").replace("转发推广", "轉發推廣")
            parts.append(("二、优化营商法治环境", text))
        if county in HAS_RARER:
            parts.append(("三、行政复议", RARER.format(c=county)))
        report = Report.objects.create(
            title=f"{county}2022年法治政府建设年度报告", region=region, year=2022, kind="fazhi",
            script="traditional" if traditional else "simplified",
            original_text="\n".join(h + "\n" + t for h, t in parts), checksum=f"six-{n:059d}",
        )
        for order, (heading, text) in enumerate(parts):
            Section.objects.create(report=report, level=0 if order == 0 else 1, path=str(order),
                                   heading=heading, text=text, order=order)
        out[county] = report
    return out


def _pair(flag) -> frozenset[str]:
    return frozenset({flag.left_report.region.name, flag.right_report.region.name})


def test_the_old_section_similarity_flags_every_opening():
    """The problem as measured: whole-section similarity pairs up all six openings."""
    openings = [OPENING.format(c=c) for c in COUNTIES]
    flagged = sum(bool(likely_copies([a], [b])) for a, b in itertools.combinations(openings, 2))
    assert flagged == 15


def test_six_county_comparison_flags_only_what_is_rare():
    reports = _six_counties()
    comparison = grid.build_comparison(list(reports.values()))
    pairs = [_pair(f) for f in comparison.copies]
    expected_rarer = {frozenset(p) for p in itertools.combinations(sorted(HAS_RARER), 2)}
    assert pairs[0] == frozenset(HAS_DISTINCTIVE)
    assert set(pairs[1:]) == expected_rarer and len(pairs) == 4
    # No flag on the openings (§ 0) or on the measures sections with the standard sentence.
    assert all(f.left.section.path not in ("0", "1") for f in comparison.copies)
    best = comparison.copies[0]
    assert best.others == 0 and len(best.shared) == 3  # three sentences, traditional side folded
    assert best.right_report.script == "traditional"
    assert [s.others for f in comparison.copies[1:] for s in f.shared] == [1] * 6
    # Both sides are shown with the shared passages marked, each text rebuilt exactly.
    for flag in comparison.copies:
        assert "".join(p for p, _ in flag.left_segments) == flag.left.text
        assert "".join(p for p, _ in flag.right_segments) == flag.right.text
        assert sum(m for _, m in flag.left_segments) == len(flag.shared)


def test_copy_flags_on_the_page(client):
    reports = _six_counties()
    ids = ",".join(str(r.pk) for r in reports.values())
    html = client.get(f"/compare/?reports={ids}").content.decode()
    assert html.count('class="copy-flag"') == 4
    assert "共有文字仅见于这两份报告" in html and "另有 1 个地区含此句" in html
    assert "<mark>" in html and "开篇套话" in html


def test_passage_keys_mask_place_names_digits_and_numbering():
    a = passage_key("（一）甲县2022年受理行政复议案件80件。", ["甲县", "甲"])
    b = passage_key("（二）乙縣2023年受理行政復議案件95件", ["乙县", "乙"])
    assert a == b == "〇#年受理行政复议案件#件"


def test_ceremonial_and_title_only_passages_do_not_count():
    opening = OPENING.format(c="甲县")
    items = passages(opening, ["甲县"])
    assert items and all(p.ceremonial for p in items)
    # Nothing shared but the opening: no flag even when no other body holds it.
    assert meaningful_copies([opening], [OPENING.format(c="乙县")], mask_a=["甲县"], mask_b=["乙县"],
                             held_by={}, bodies=2) == []
    # A sentence that is mostly a quoted title is too short once the title is removed.
    assert passages("认真贯彻《法治政府建设实施纲要（2021—2025年）》。") == []


def test_common_passages_do_not_count_and_rare_ones_rank_first():
    text_a = [STANDARD + RARER.format(c="甲县"), DISTINCTIVE.format(c="甲县")]
    text_b = [STANDARD + RARER.format(c="乙县"), DISTINCTIVE.format(c="乙县")]
    mask_a, mask_b = ["甲县", "甲"], ["乙县", "乙"]
    standard = passages(STANDARD)[0].digest
    rarer = {p.digest for p in passages(RARER.format(c="甲县"), mask_a)}
    held = {standard: 40, **{d: 3 for d in rarer}}
    found = meaningful_copies(text_a, text_b, mask_a=mask_a, mask_b=mask_b, held_by=held, bodies=200)
    assert common_threshold(200) == 4
    assert [(e.left, e.right, e.others) for e in found] == [(1, 1, 0), (0, 0, 1)]
    assert found[1].ignored == 1  # the standard sentence, held by 40 bodies


def test_marked_segments_rebuild_the_text():
    assert marked_segments("abcdef", [(4, 6), (1, 3)]) == [("a", False), ("bc", True), ("d", False), ("ef", True)]
    assert marked_segments("abc", []) == [("abc", False)]


def test_copy_flags_in_the_api(client):
    reports = _six_counties()
    ids = ",".join(str(r.pk) for r in reports.values())
    data = client.get(f"/api/compare/?reports={ids}").json()
    first = data["copies"][0]
    by_pk = {r.pk: name for name, r in reports.items()}
    assert {by_pk[first["left"]["report"]], by_pk[first["right"]["report"]]} == HAS_DISTINCTIVE
    assert first["other_bodies"] == 0 and len(first["shared"]) == 3
    assert first["shared"][0]["text"].startswith("甲县创新推行") and first["shared"][0]["bodies"] == 2
    assert [c["other_bodies"] for c in data["copies"]] == [0, 1, 1, 1]


def test_counts_are_by_body_and_reread_only_what_changed(monkeypatch):
    from compare import passage_counts

    reports = _six_counties()
    read: list[list[int]] = []
    original = passage_counts._digests_of
    monkeypatch.setattr(passage_counts, "_digests_of", lambda ids, regions: read.append(sorted(ids)) or
                        original(ids, regions))
    counts = passage_counts.archive_counts()
    assert counts.bodies == 6 and sorted(read[0]) == sorted(r.pk for r in reports.values())
    standard = passages(STANDARD)[0].digest
    assert counts.held_by[standard] == len(HAS_STANDARD)
    # A second report of 甲县 repeating the sentence: still four bodies; only it is read.
    again = Report.objects.create(title="甲县2023年报告", region=reports["甲县"].region, year=2023, kind="fazhi",
                                  original_text=STANDARD, checksum="six-again")
    Section.objects.create(report=again, level=1, path="1", heading="", text=STANDARD, order=1)
    Report.objects.filter(pk=again.pk).update(title="甲县2023年法治政府建设年度报告")  # a new archive state
    counts = passage_counts.archive_counts()
    assert read[1:] == [[again.pk]]
    assert counts.held_by[standard] == len(HAS_STANDARD) and counts.bodies == 6


def test_a_work_reports_address_is_ceremonial():
    for text in ("现在，我代表定兴县人民政府向大会作工作报告，请予审议，并请各位政协委员提出意见。",
                 "——2022年1月27日在安国市第八届人民代表大会第二次会议上"):
        assert all(p.ceremonial for p in passages(text))


def test_warm_command(capsys):
    from django.core.management import call_command

    _six_counties()
    call_command("warm_passage_counts")
    assert "6 个报告主体" in capsys.readouterr().out
