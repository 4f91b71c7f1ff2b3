"""Tests for reports.parsing (pure: no database).

Three groups: the five real seed reports with hand-checked expectations
(tests/reports/seed_expectations.py), one small fragment per parsing rule, and the real
corpus shipped in fixtures/corpus.tar.xz (reports/sample_corpus.py).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from reports.parsing import ParsedReport, ParsedSection, parse_report
from reports.sample_corpus import corpus_files
from tests.reports.seed_expectations import SEEDS

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = REPO_ROOT / "fixtures" / "seeds"
CORPUS_FILES = corpus_files()

_COMPACT_RE = re.compile(r"\s+|\?+|&nbsp;?|[\u200b-\u200d\u2060\ufeff]")


def compact(s: str) -> str:
    return _COMPACT_RE.sub("", s)


def parse(text: str) -> ParsedReport:
    return parse_report(text)


def outline(report: ParsedReport) -> list[tuple[str, int, str, str, str]]:
    return [(s.path, s.level, s.style, s.number, s.heading) for s in report.walk()]


def assert_document_order(report: ParsedReport) -> None:
    """Every section's number + heading (or its first text) occurs in the clean text after
    the previous section's: walk() order is document order."""
    haystack = compact(report.clean_text)
    pos = 0
    for section in report.walk():
        probe = compact(section.heading) or compact(section.text)[:12] or compact(section.number)
        if not probe:
            continue
        found = haystack.find(probe, pos)
        assert found >= 0, f"section {section.path} ({probe!r}) not found after offset {pos}"
        pos = found + 1


def assert_paths_unique(report: ParsedReport) -> None:
    paths = [s.path for s in report.walk()]
    assert len(paths) == len(set(paths)), Counter(paths).most_common(3)
    for section in report.walk():
        for i, child in enumerate(section.children, 1):
            assert child.path == f"{section.path}.{i}"
            assert child.level == section.level + 1


# --- seeds --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds() -> dict[str, tuple[str, ParsedReport]]:
    out = {}
    for name in SEEDS:
        raw = (SEED_DIR / name).read_text(encoding="utf-8")
        out[name] = (raw, parse_report(raw))
    return out


def test_all_seed_files_have_expectations():
    assert sorted(p.name for p in SEED_DIR.glob("*.txt")) == sorted(SEEDS)


@pytest.mark.parametrize("name", sorted(SEEDS))
class TestSeeds:
    def test_title(self, seeds, name):
        assert seeds[name][1].title == SEEDS[name]["title"]

    def test_section_counts_per_level(self, seeds, name):
        counts = Counter(s.level for s in seeds[name][1].walk())
        assert dict(counts) == SEEDS[name]["levels"]

    def test_level1_headings(self, seeds, name):
        assert [s.heading for s in seeds[name][1].sections] == SEEDS[name]["level1_headings"]

    def test_preamble_first(self, seeds, name):
        first = seeds[name][1].sections[0]
        assert (first.path, first.number, first.heading, first.style) == ("0", "", "", "")
        assert first.text

    def test_no_chrome_survives(self, seeds, name):
        raw, report = seeds[name]
        for chrome in SEEDS[name]["chrome"]:
            assert chrome in raw, f"expectation out of date: {chrome!r} not in the raw file"
            assert chrome not in report.clean_text
            for section in report.walk():
                assert chrome not in section.heading and chrome not in section.text, section.path

    def test_page_meta(self, seeds, name):
        meta = seeds[name][1].page_meta
        for key, value in SEEDS[name]["page_meta"].items():
            assert meta[key] == value

    def test_paths_unique_and_walk_in_document_order(self, seeds, name):
        report = seeds[name][1]
        assert_paths_unique(report)
        assert_document_order(report)

    def test_deterministic(self, seeds, name):
        raw, report = seeds[name]
        assert parse_report(raw) == report


def test_seed_001_closing_list_gets_its_own_block(seeds):
    report = seeds["001_976e8a09f65312dd.txt"][1]
    closing = report.sections[-1]
    assert (closing.number, closing.heading, closing.style, closing.path) == ("", "", "", "8")
    assert closing.text.startswith("2019年園區法治政府建設工作雖取得一定成效")
    assert closing.text.endswith("我們將重點做好以下五方面工作:")
    assert [c.number for c in closing.children] == ["(一)", "(二)", "(三)", "(四)", "(五)", "(六)"]
    seventh = report.sections[-2]
    assert seventh.number == "七" and [c.number for c in seventh.children] == ["(一)", "(二)", "(三)"]
    assert "2019年園區法治政府建設工作雖取得" not in seventh.children[-1].text
    # the duplicated title lines are not body text
    assert "蘇州工業園區管理委員會" not in report.sections[0].text


def test_seed_002_arabic_levels_follow_context(seeds):
    report = seeds["002_db13024be30b49cc.txt"][1]
    one, two = report.sections[1], report.sections[2]
    assert [c.style for c in one.children] == ["arabic"] * 7
    assert [c.style for c in two.children] == ["paren_cn"] * 8
    assert [len(c.children) for c in two.children] == [4, 2, 3, 2, 4, 3, 4, 0]
    assert "未找到标题" in report.warnings
    # 一是/二是 stay in the body of 五、
    assert report.sections[5].text.startswith("一是希望上级部门") and not report.sections[5].children


def test_seed_003_broken_number_and_truncation(seeds):
    report = seeds["003_d49c6ffd453cbdca.txt"][1]
    items = report.sections[1].children
    assert [c.number for c in items][3:6] == ["(四)", "五)", "(六)"]
    assert items[4].style == "paren_cn" and items[4].heading == "全面落实行政执法责任制"
    assert "结尾疑似截断" in report.warnings
    assert any("五)" in w for w in report.warnings)


def test_seed_004_inline_enumeration_stays_in_body(seeds):
    report = seeds["004_d6eaf61c1023c0d0.txt"][1]
    item = report.sections[2].children[4]
    assert item.number == "(五)" and item.heading == "提高政府服务效能"
    assert "主要举措有:1.加强部门联动" in item.text and not item.children
    assert report.sections[0].text.startswith("2021年,我镇")


# --- rules on fragments ----------------------------------------------------------------------

LEVELS = "一、总体情况\n（一）组织领导\n1．加强领导。正文一。\n（1）细化。正文。\n①第一点。正文。\n②第二点。正文。\n" \
         "（2）细化二。正文。\n2、第二项。正文。\n（二）第二部分\n二、下一步"


def test_all_numbering_styles_and_levels():
    assert outline(parse(LEVELS)) == [
        ("1", 1, "cn", "一", "总体情况"),
        ("1.1", 2, "paren_cn", "（一）", "组织领导"),
        ("1.1.1", 3, "arabic", "1", "加强领导"),
        ("1.1.1.1", 4, "paren_arabic", "（1）", "细化"),
        ("1.1.1.1.1", 5, "circled", "①", "第一点"),
        ("1.1.1.1.2", 5, "circled", "②", "第二点"),
        ("1.1.1.2", 4, "paren_arabic", "（2）", "细化二"),
        ("1.1.2", 3, "arabic", "2", "第二项"),
        ("1.2", 2, "paren_cn", "（二）", "第二部分"),
        ("2", 1, "cn", "二", "下一步"),
    ]


@pytest.mark.parametrize(
    "line, style, number",
    [
        ("一、加强领导", "cn", "一"),
        ("一.加强领导", "cn", "一"),
        ("一．加强领导", "cn", "一"),
        ("（一）加强领导", "paren_cn", "（一）"),
        ("(一)加强领导", "paren_cn", "(一)"),
        ("( 一 )加强领导", "paren_cn", "( 一 )"),
        ("1.加强领导", "arabic", "1"),
        ("1．加强领导", "arabic", "1"),
        ("1、加强领导", "arabic", "1"),
        ("１．加强领导", "arabic", "１"),
        ("（1）加强领导", "paren_arabic", "（1）"),
        ("(1)加强领导", "paren_arabic", "(1)"),
        ("①加强领导", "circled", "①"),
    ],
)
def test_number_forms_ascii_and_full_width(line, style, number):
    report = parse(f"前言。\n{line}\n正文。")
    section = report.sections[1]
    assert (section.style, section.number, section.heading, section.text) == (style, number, "加强领导", "正文。")


@pytest.mark.parametrize("broken", ["五)", "五）"])
def test_broken_paren_number_is_same_level(broken):
    text = f"一、甲\n（一）一。正文。\n（二）二。正文。\n（三）三。正文。\n（四）四。正文。\n{broken}五。正文。\n（六）六。正文。"
    report = parse(text)
    items = report.sections[0].children
    assert [c.number for c in items] == ["（一）", "（二）", "（三）", "（四）", broken, "（六）"]
    assert items[4].heading == "五" and items[4].text == "正文。"
    assert all(c.style == "paren_cn" and c.level == 2 for c in items)
    assert any("编号格式不规范" in w for w in report.warnings)


@pytest.mark.parametrize(
    "line, heading, text",
    [
        ("（一）加强组织领导。成立领导小组。", "加强组织领导", "成立领导小组。"),
        ("（一）加强组织领导；成立领导小组。", "加强组织领导", "成立领导小组。"),
        ("（一）主要做法：成立领导小组。", "主要做法", "成立领导小组。"),
        ("（一）主要做法:成立领导小组。", "主要做法", "成立领导小组。"),
        ("（一）加强组织领导", "加强组织领导", ""),
        ("（一）加强组织领导。", "加强组织领导", ""),
        # a first sentence too long to be a heading: the whole line is body text
        ("（一）" + "区检察院积极探索人民监督员工作机构居中主持监督会议新模式,邀请人民监督员深度参与社会治理类检察建议研究。"
         "2023年完成。", "",
         "区检察院积极探索人民监督员工作机构居中主持监督会议新模式,邀请人民监督员深度参与社会治理类检察建议研究。2023年完成。"),
    ],
)
def test_inline_heading_versus_heading_line(line, heading, text):
    section = parse(f"一、甲\n{line}").sections[0].children[0]
    assert (section.heading, section.text) == (heading, text)


def test_heading_on_its_own_line_takes_following_paragraphs():
    section = parse("一、甲\n（一）加强组织领导\n第一段。\n第二段。\n（二）乙").sections[0].children[0]
    assert (section.heading, section.text) == ("加强组织领导", "第一段。\n第二段。")


@pytest.mark.parametrize(
    "body",
    [
        "一是加强领导。二是完善制度。三是强化督查。",
        "主要举措有：1.加强部门联动。2.畅通沟通渠道。3.压实主体责任。",
        "第一，加强领导；第二，完善制度。",
    ],
)
def test_inline_enumerations_stay_in_body(body):
    report = parse(f"一、甲\n（一）乙。{body}\n（二）丙。正文。")
    first = report.sections[0].children[0]
    assert first.text == body and not first.children
    assert len(list(report.walk())) == 3


def test_preamble_is_its_own_section():
    report = parse("某县2021年法治政府建设年度报告\n2021年，我县坚持依法行政。\n现报告如下：\n一、主要工作\n正文。")
    assert report.title == "某县2021年法治政府建设年度报告"
    pre = report.sections[0]
    assert (pre.path, pre.level, pre.number, pre.heading, pre.style) == ("0", 1, "", "", "")
    assert pre.text == "2021年，我县坚持依法行政。\n现报告如下："
    assert report.sections[1].path == "1"


def test_no_preamble_when_the_text_starts_with_a_heading():
    report = parse("一、甲\n正文。\n二、乙\n正文。")
    assert [s.path for s in report.sections] == ["1", "2"]


@pytest.mark.parametrize(
    "prose",
    [
        "2021年，全区完成各项任务。",
        "2023年我区深入推进依法行政。",
        "1.5亿元资金全部到位。",
        "80%的事项实现网上办理。",
        "2.0版平台上线运行。",
        "1、2、3号文件已清理。",
        "12345热线全年受理工单1万件。",
    ],
)
def test_numbers_inside_prose_are_not_sections(prose):
    report = parse(f"一、甲\n（一）乙。正文。\n{prose}\n（二）丙。正文。")
    assert outline(report) == [
        ("1", 1, "cn", "一", "甲"), ("1.1", 2, "paren_cn", "（一）", "乙"), ("1.2", 2, "paren_cn", "（二）", "丙"),
    ]
    assert report.sections[0].children[0].text == f"正文。\n{prose}"


def test_out_of_sequence_candidates_stay_text():
    report = parse("一、甲\n（一）乙。正文。\n（二）丙。正文。\n一、跳回错误层级的编号\n（五）在更远的位置\n（三）丁。正文。")
    assert [c.number for c in report.sections[0].children] == ["（一）", "（二）", "（三）"]
    assert len(report.sections) == 1
    assert "一、跳回错误层级的编号" in report.sections[0].children[1].text
    assert any("编号层级异常" in w for w in report.warnings)


def test_small_gap_is_accepted_with_warning():
    report = parse("一、甲\n（一）一。正文。\n（二）二。正文。\n（三）三。正文。\n（五）五。正文。")
    assert [c.number for c in report.sections[0].children] == ["（一）", "（二）", "（三）", "（五）"]
    assert "编号不连续：（三）之后是（五）" in report.warnings


def test_very_long_numbered_line_has_no_heading():
    long_line = "二、" + "坚持" * 60 + "，全面推进各项工作"
    report = parse("一、甲\n正文。\n" + long_line)
    second = report.sections[1]
    assert second.number == "二" and second.heading == "" and second.text.startswith("坚持坚持")


def test_closing_paragraphs_after_last_item_get_own_section():
    report = parse("一、甲\n（一）乙。正文。\n二、丙\n（一）丁。正文。\n各位代表，让我们共同努力！\n某区人民政府\n2022年3月1日")
    closing = report.sections[-1]
    assert (closing.path, closing.number, closing.heading, closing.style) == ("3", "", "", "")
    assert closing.text == "各位代表，让我们共同努力！\n某区人民政府\n2022年3月1日"
    assert report.sections[1].children[0].text == "正文。"
    assert report.page_meta["signature_date"] == "2022年3月1日"
    assert report.page_meta["signature"] == "某区人民政府"


def test_list_after_unnumbered_paragraph_opens_a_block():
    text = ("一、甲\n（一）乙。正文。\n（二）丙。正文。\n二、丁\n（一）戊。正文。\n"
            "今年工作虽取得一定成效，但仍存在不足。\n明年，我们将重点做好以下工作：\n"
            "（一）己。正文。\n（二）庚。正文。")
    report = parse(text)
    assert [s.number for s in report.sections] == ["一", "二", ""]
    block = report.sections[2]
    assert block.text == "今年工作虽取得一定成效，但仍存在不足。\n明年，我们将重点做好以下工作："
    assert [(c.path, c.number, c.heading) for c in block.children] == [("3.1", "（一）", "己"), ("3.2", "（二）", "庚")]
    assert report.sections[1].children[0].text == "正文。"


def test_unnumbered_heading_before_restarted_list_becomes_block_heading():
    text = ("一、甲\n（一）乙。正文。\n（二）丙。正文。\n名词解释\n以下为本报告所用名词的解释，供参考使用。\n"
            "（一）两免一补。是指免教科书费、免杂费、补助寄宿生活费。")
    block = parse(text).sections[-1]
    assert (block.number, block.heading) == ("", "名词解释")
    assert block.text == "以下为本报告所用名词的解释，供参考使用。"
    assert [c.heading for c in block.children] == ["两免一补"]


def test_lost_top_level_numbers_use_short_heading_lines():
    text = ("各位代表：\n现在，我代表政府向大会报告工作。\n2024年工作回顾\n"
            "过去一年，我们坚持稳中求进工作总基调，经济社会发展取得新成效，完成了主要目标任务。\n"
            "（一）稳增长。正文。\n（二）促改革。正文。\n2025年工作安排\n"
            "今年是十四五规划收官之年，做好政府工作意义重大，重点做好以下工作：\n（一）扩内需。正文。")
    report = parse(text)
    assert [(s.path, s.number, s.heading) for s in report.sections] == [
        ("0", "", ""), ("1", "", "2024年工作回顾"), ("2", "", "2025年工作安排"),
    ]
    assert [c.heading for c in report.sections[2].children] == ["扩内需"]


def test_repeated_block_does_not_crash_and_warns():
    block = "（七）七。正文。\n（八）八。正文。\n（九）九。正文。\n"
    head = "".join(f"（{n}）{n}。正文。\n" for n in "一二三四五六")
    report = parse("一、甲\n" + head + block + block)
    assert len(report.sections[0].children) == 9
    assert [c.number for c in report.sections[0].children][-3:] == ["（七）", "（八）", "（九）"]
    assert any("编号重复或倒退" in w for w in report.warnings)
    assert_paths_unique(report)


def test_duplicate_list_restart_without_text_warns():
    report = parse("一、甲\n（一）一。正文。\n（二）二。正文。\n（一）一。正文。\n（二）二。正文。")
    assert any(w.startswith("编号重复") for w in report.warnings)
    assert_paths_unique(report)


# --- chrome -----------------------------------------------------------------------------------

CHROME_PAGE = """首页 > 政务公开 > 法治政府建设
您当前的位置: > >政府工作报告
无障碍版 长者助手 登录
03.05 某县2021年法治政府建设年度报告
索引号：11440000-2022-00012 发布机构：某县司法局
发布日期：2022-03-01 信息来源：某县司法局
字号 大 中 小
分享:
一、主要工作。今年推进依法行政。
二、存在问题。基层力量不足。
扫一扫在手机打开当前页面
【打印】【关闭】
分享到：
相关文章
某县2020年法治政府建设年度报告
"""


def test_chrome_removed_and_metadata_recorded():
    report = parse(CHROME_PAGE)
    assert report.title == "某县2021年法治政府建设年度报告"
    assert report.page_meta == {
        "index_number": "11440000-2022-00012", "publisher": "某县司法局",
        "published": "2022-03-01", "source": "某县司法局",
    }
    assert report.clean_text == "某县2021年法治政府建设年度报告\n一、主要工作。今年推进依法行政。\n二、存在问题。基层力量不足。"
    assert [(s.number, s.heading, s.text) for s in report.sections] == [
        ("一", "主要工作", "今年推进依法行政。"), ("二", "存在问题", "基层力量不足。"),
    ]


@pytest.mark.parametrize(
    "chrome",
    ["分享到：", "相關文章：", "相關文章", "【打印】【關閉】", "掃一掃在手機打開當前頁面", "打印本页 关闭窗口",
     "上一篇：某县2020年报告"],
)
def test_tail_chrome_traditional_and_simplified(chrome):
    report = parse(f"一、主要工作。今年推進依法行政。\n二、存在問題。基層力量不足。\n\n{chrome}\nQQ空间\n新浪微博")
    assert report.clean_text.endswith("基層力量不足。")
    assert "QQ空间" not in report.clean_text


def test_chrome_never_takes_report_text():
    text = "一、主要工作\n我县加强法治宣传，在政府网站开设专栏，群众可扫码分享到朋友圈。\n二、问题\n来源多样的数据尚未整合。"
    report = parse(text)
    assert report.clean_text == text


def test_aggregator_header_and_trailing_source():
    text = ("工作报告\n2020年某县政府工作报告\n时间：2023-03-30????\t\t作者：中国县域????\t\t来源：政府官网????\t\t阅读：\n175\n"
            "评论：\n0\n内容摘要：\n政 府 工 作 报 告——各位代表：一、2019年工作回顾......\n政 府 工 作 报 告\n"
            "各位代表：\n一、2019年工作回顾\n过去一年成绩显著。\n二、2020年工作安排\n努力奋斗！    来源：百度马 克 数据网")
    report = parse(text)
    assert report.title == "2020年某县政府工作报告"
    assert report.page_meta["published"] == "2023-03-30"
    assert report.page_meta["source"] == "政府官网"
    for chrome in ("时间：", "作者：", "阅读：", "175", "评论：", "内容摘要", "百度马"):
        assert chrome not in report.clean_text
    assert [s.heading for s in report.sections] == ["", "2019年工作回顾", "2020年工作安排"]
    assert report.sections[0].text == "各位代表："      # the duplicate "政 府 工 作 报 告" is not body text


# --- title ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, title",
    [
        ("03.05 某区人民政府关于2019年法治政府建设情况的报告\n\n某区人民政府\n\n关于2019年法治政府建设情况的报告\n\n正文开始。",
         "某区人民政府关于2019年法治政府建设情况的报告"),
        ("某区人民政府\n关于2019年法治政府建设情况的报告\n正文开始。", "某区人民政府关于2019年法治政府建设情况的报告"),
        ("某县2021年法治政府建设工作情况\n报告\n正文开始。", "某县2021年法治政府建设工作情况报告"),
        ("蘇州市2019年法治政府建設工作總結\n正文開始。", "蘇州市2019年法治政府建設工作總結"),
        ("2023年,在市委的坚强领导下,全区法治政府建设取得新进展。\n一、主要工作\n正文。", None),
    ],
)
def test_title(text, title):
    report = parse(text)
    assert report.title == title
    assert ("未找到标题" in report.warnings) == (title is None)
    body = "\n".join(s.text for s in report.walk())
    if title:
        assert "报告" not in body.replace("情况的报告", "") or "正文" in body
        assert report.sections[0].text.startswith(("正文", "2023"))


# --- truncation and whitespace ------------------------------------------------------------------


@pytest.mark.parametrize(
    "ending, truncated",
    [
        ("将《法治政府实施纲要》(2015-2020年)、《河南省行政执法条例", True),
        ("推动法治政府建设各项任务落到实处。", False),
        ("为建设法治政府而努力奋斗！", False),
        ("某区人民政府\n2022年3月1日", False),
    ],
)
def test_truncation_warning(ending, truncated):
    report = parse(f"一、甲\n正文。\n二、乙\n{ending}")
    assert ("结尾疑似截断" in report.warnings) == truncated


def test_odd_whitespace_crlf_bom_question_runs():
    text = "\ufeff某县2021年法治政府建设年度报告\r\n\r\n\u3000\u3000前言??段落。\r\n\r\n\u3000\u3000一、\u3000主要工作\r\n" \
           "\xa0\xa0（一）\t加强领导。正文\u3000内容。\r\n\r\n\r\n  （二）完善制度。正文。\r\n"
    report = parse(text)
    assert report.title == "某县2021年法治政府建设年度报告"
    assert "\r" not in report.clean_text and "\ufeff" not in report.clean_text
    assert [(s.path, s.number, s.heading, s.text) for s in report.walk()] == [
        ("0", "", "", "前言 段落。"),
        ("1", "一", "主要工作", ""),
        ("1.1", "（一）", "加强领导", "正文 内容。"),
        ("1.2", "（二）", "完善制度", "正文。"),
    ]


@pytest.mark.parametrize("text", ["", "\n\n", "\ufeff", "一、", "（一）", "1.", "①", "？？？", "各位代表："])
def test_degenerate_inputs_do_not_crash(text):
    report = parse(text)
    assert isinstance(report.sections, list)
    assert_paths_unique(report)


def test_wiki_line_breaks_are_joined():
    text = ("各位代表：\n\n我们在聽了劉少奇同志\n關於憲法草案的報告\n並進行了三天的討論以後，已經完成了一件歷史性的工作。\n\n"
            "一、2024年工作回顾\n\n根据《\n中华人民共和国著作权法\n》第五条，属于公有领域。\n")
    report = parse(text)
    assert report.title is None
    assert report.sections[0].text == "各位代表：\n我们在聽了劉少奇同志關於憲法草案的報告並進行了三天的討論以後，已經完成了一件歷史性的工作。"
    assert report.sections[1].text == "根据《中华人民共和国著作权法》第五条，属于公有领域。"


def test_walk_is_depth_first_document_order():
    report = parse(LEVELS)
    assert [s.path for s in report.walk()] == [
        "1", "1.1", "1.1.1", "1.1.1.1", "1.1.1.1.1", "1.1.1.1.2", "1.1.1.2", "1.1.2", "1.2", "2",
    ]
    assert isinstance(report.sections[0], ParsedSection)


# --- the real corpus --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus() -> dict[Path, tuple[str, ParsedReport]]:
    out = {}
    for path in CORPUS_FILES:
        text = path.read_text(encoding="utf-8-sig")
        out[path] = (text, parse_report(text))
    return out


def test_corpus_every_file_parses_with_sections(corpus):
    assert len(corpus) >= 150
    for path, (_, report) in corpus.items():
        assert report.sections, path.name
        assert_paths_unique(report)


def test_corpus_walk_order_is_document_order(corpus):
    for path, (_, report) in corpus.items():
        try:
            assert_document_order(report)
        except AssertionError as exc:  # pragma: no cover - message only
            raise AssertionError(f"{path.name}: {exc}") from None


def test_corpus_provincial_reports_have_top_level_structure(corpus):
    checked = 0
    for path, (text, report) in corpus.items():
        if path.parent.name != "provincial_gwr_2025" or len(text) <= 5000:
            continue
        checked += 1
        assert len(report.sections) >= 3, (path.name, [s.heading for s in report.sections])
        assert report.title and "政府工作报告" in report.title, path.name
    assert checked >= 25


def test_corpus_headings_are_short_and_chrome_free(corpus):
    for path, (_, report) in corpus.items():
        for section in report.walk():
            assert len(section.heading) <= 80, (path.name, section.path)
            assert len(section.number) <= 20
            for chrome in ("分享到", "相关文章", "本栏推荐", "标签云", "Public domain"):
                assert chrome not in section.text and chrome not in section.heading, (path.name, chrome)
