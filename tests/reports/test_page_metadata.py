"""Page metadata in the layouts government sites use: which lines are furniture, which facts
they hold, and that the report text around them is left alone.

The pages here are invented (other sites, other names, other dates than the development
set), so they test the rules by the shape of a line, not by strings seen before.
"""

import pytest

from reports.page_metadata import (
    FactSheet,
    date_stamp,
    is_clock,
    is_widget,
    iso_date,
    navigation,
    read_fields,
    report_fields,
)
from reports.parsing import parse_report

BODY = (
    "2024年，我县坚持以习近平法治思想为指导，认真落实法治政府建设实施纲要，各项工作取得新进展。现将有关情况报告如下。\n"
    "一、主要举措和成效\n"
    "（一）加强组织领导。县政府常务会议专题研究法治政府建设工作4次。\n"
    "（二）规范行政执法。全面推行行政执法公示制度，开展案卷评查2次。\n"
    "二、存在的不足和下一步打算\n"
    "下一步，我县将继续深化法治政府建设，推动各项任务落地见效。"
)
TITLE = "青禾县人民政府关于2024年度法治政府建设情况的报告"


def stored_paragraphs(parsed):
    out = []
    for section in parsed.walk():
        if section.heading:
            out.append(section.heading)
        out.extend(p for p in section.text.split("\n") if p.strip())
    return out


def assert_body_intact(parsed):
    paras = stored_paragraphs(parsed)
    joined = "".join(paras)
    for line in BODY.split("\n"):
        core = line.split("。")[0].replace("（一）", "").replace("（二）", "").replace("一、", "").replace("二、", "")
        assert core in joined, line
    assert [s.heading for s in parsed.sections if s.number] == ["主要举措和成效", "存在的不足和下一步打算"]


# --- field lines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("索引号：11530000MB0000000X/2025-00012  发布机构：青禾县司法局", {"索引号", "发布机构"}),
        ("[ 发布日期 ] 2025-02-14 [ 信息来源 ] 县政府办", {"发布日期", "信息来源"}),
        ("• 来源:县司法局", {"来源"}),
        ("发 布 机 构: 青禾县人民政府办公室", {"发布机构"}),
        ("发文字号 青政文〔2025〕7号 发布时间 2025年03月02日", {"发文字号", "发布时间"}),
        ("發文日期：2025-03-02　發佈機構：青禾縣政府", {"发文日期", "发布机构"}),
        ("【栏目】政务公开 【发布时间】2025/03/02", {"栏目", "发布时间"}),
        ("（责任编辑：王五）", {"责任编辑"}),
    ],
)
def test_field_lines_in_many_layouts(line, expected):
    pairs = read_fields(line)
    assert pairs is not None
    assert {label for label, _ in pairs} == expected


@pytest.mark.parametrize(
    "line",
    [
        "时间紧、任务重，我们克服困难完成了全年目标。",
        "来源于群众的意见建议全部办结",            # a sentence starting with a label's characters
        "发布机构改革方案后，各部门职责更加清晰",
        TITLE,
    ],
)
def test_prose_and_titles_are_not_field_lines(line):
    assert read_fields(line) is None


def test_publication_dates_are_ranked_and_written_dates_never_taken():
    facts = FactSheet()
    facts.add_pairs([("成文日期", "2025-01-20"), ("发文日期", "2025-01-22")])
    assert facts.values["published"] == "2025-01-22"
    facts.add_pairs([("发布日期", "2025-01-25")])
    assert facts.values["published"] == "2025-01-25"
    facts.add_pairs([("更新时间", "2025-06-01")])           # a later, weaker date does not win
    assert facts.values["published"] == "2025-01-25"
    assert facts.values["written"] == "2025-01-20"


def test_traditional_and_full_width_dates():
    assert iso_date("２０２５年３月２日") == "2025-03-02"
    assert iso_date("02.03.2025") == "2025-03-02"
    assert iso_date("2025-13-40") is None


# --- stamps, clocks, navigation, widgets ----------------------------------------------------------


def test_date_stamps_and_site_clocks():
    iso, rest = date_stamp("2025-03-02 09:41 来源：青禾县人民政府网")
    assert iso == "2025-03-02" and rest.endswith("青禾县人民政府网")
    assert date_stamp("14.02.2025  16:30")[0] == "2025-02-14"
    assert date_stamp("• 2025年02月14日 16时30分")[0] == "2025-02-14"
    # a document's own date line under its title stays text
    assert date_stamp("2025年2月14日") is None
    # a clock is furniture but never a date of the report
    assert is_clock("今天是：2025年3月2日 星期日")
    assert date_stamp("2025年3月2日 星期日 10:20") is None


@pytest.mark.parametrize(
    ("line", "left"),
    [
        ("您所在的位置：首页 > 政务公开 > 法治政府建设", ""),
        ("当前位置: 首页 → 信息公开 → 年度报告", ""),
        ("首页 >> 政府信息公开 >> 规划计划", ""),
        ("首页 > 政务公开 > " + TITLE, TITLE),
        ("首页 / 政务公开 / 法治政府建设", ""),
        ("政务公开 | 重点领域 | 年度报告", ""),
    ],
)
def test_breadcrumbs(line, left):
    from reports.titles import title_like

    is_nav, rest = navigation(line, lambda s: title_like(s, lambda _: False))
    assert is_nav
    assert rest == left


def test_a_value_keeps_its_own_parentheses():
    assert read_fields("(来源：青禾县司法局)") == [("来源", "青禾县司法局")]
    assert read_fields("来源：县司法局（政策法规科）") == [("来源", "县司法局（政策法规科）")]


def test_a_stamp_with_a_source_after_a_bar():
    parsed = parse_report(f"{TITLE}\n2025-03-03 | 来源：县司法局\n{BODY}")
    assert parsed.page_meta["published"] == "2025-03-03"
    assert parsed.page_meta["source"] == "县司法局"
    assert_body_intact(parsed)


def test_prose_with_an_arrow_is_not_a_breadcrumb():
    assert navigation("全年受理行政复议案件由上年的120件→156件，办结率达到百分之九十八以上，群众满意度持续提升")[0] is False


@pytest.mark.parametrize("line", ["【打印】【关闭】", "扫描二维码分享到微信", "本网站支持IPv6访问", "Menu", "关怀版 | 无障碍"])
def test_widgets(line):
    assert is_widget(line)


def test_a_heading_is_not_a_widget():
    assert not is_widget("二、存在的不足和下一步打算")


# --- whole pages ------------------------------------------------------------------------------------

PAGES = {
    "portal_table": (
        "青禾县人民政府门户网站\n您所在的位置：首页 > 政务公开 > 法治政府建设\n"
        "索 引 号：11530123MB0000000X/2025-00031　　分　　类：综合政务\n"
        "发布机构：青禾县人民政府办公室　　发文日期：2025-03-01\n"
        "文　　号：青政报〔2025〕3号\n"
        f"{TITLE}\n发布日期：2025-03-03 10:12  浏览次数：\n【字体：大 中 小】【打印】\n{BODY}"
    ),
    "bracketed_and_bullets": (
        f"首页 → 信息公开 → 年度报告\n{TITLE}\n[ 发布日期 ] 2025-03-03 [ 来源 ] 县司法局\n"
        f"  • 浏览次数:\n  • 字体:[ 大 中 小 ]\n{BODY}"
    ),
    "stamp_and_source_one_line": f"{TITLE}\n2025-03-03 10:12:05 来源: 县司法局 【字体: 打印\n{BODY}",
    "traditional_labels": (
        f"當前位置：首頁 > 政務公開\n{TITLE}\n發佈機構：青禾縣人民政府　發文日期：2025-03-03\n{BODY}"
    ),
    "banner_and_column_above_title": (
        "• 全面贯彻习近平新时代中国特色社会主义思想，奋力谱写高质量发展新篇章。\n通知公告\n"
        f"{TITLE}\n时间:2025-03-03         来源:县司法局\n{BODY}"
    ),
    "clock_before_title": f"今天是：2025年12月3日 星期三\n{TITLE}\n发布时间：2025-03-03\n{BODY}",
    "metadata_at_the_bottom": f"{TITLE}\n{BODY}\n（来源：县司法局）\n发布日期：2025-03-03\n【打印本页】【关闭窗口】",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_furniture_leaves_the_report_and_its_facts_stay(name):
    parsed = parse_report(PAGES[name])
    assert parsed.title == TITLE
    assert parsed.page_meta.get("published") == "2025-03-03"
    assert_body_intact(parsed)
    for para in stored_paragraphs(parsed):
        assert not read_fields(para), para
        assert not is_widget(para), para
        assert "位置" not in para and ">" not in para and "→" not in para
        assert "2025-03-03" not in para and "星期" not in para
        assert "通知公告" != para
    assert "2025年12月3日" not in parsed.clean_text.split(TITLE)[-1]


def test_facts_of_a_metadata_table_are_kept():
    parsed = parse_report(PAGES["portal_table"])
    facts = report_fields(parsed.page_meta)
    assert facts["publisher"] == "青禾县人民政府办公室"
    assert facts["index_number"] == "11530123MB0000000X/2025-00031"
    assert facts["document_number"] == "青政报〔2025〕3号"
    assert parsed.page_meta["published"] == "2025-03-03"      # 发布日期 beats 发文日期


def test_source_and_column_are_kept():
    parsed = parse_report("栏目：法治政府建设　发布时间：2025-03-03\n来源：县司法局\n" + TITLE + "\n" + BODY)
    assert report_fields(parsed.page_meta)["source_column"] == "县司法局 / 法治政府建设"


def test_a_title_only_in_the_metadata_table_is_used():
    text = "索引号：000000/2025-1\n标　　题：" + TITLE + "\n发布日期：2025-03-03\n" + BODY
    parsed = parse_report(text)
    assert parsed.title == TITLE


def test_a_document_number_under_the_title_stays_in_the_text():
    parsed = parse_report(f"{TITLE}\n青政报〔2025〕3号\n{BODY}")
    assert "青政报〔2025〕3号" in "".join(stored_paragraphs(parsed))
    assert parsed.page_meta["document_number"] == "青政报〔2025〕3号"
