"""Who reports and which kind of report it is (reports/bodies.py, reports/metadata.py kind,
reports/jurisdiction.py national level): pure functions, made-up texts in the layouts real
pages use, plus the shipped corpus (every State Council report on the national level)."""

from __future__ import annotations

import pytest

from reports.bodies import DEPARTMENT, GOVERNMENT, division_code, find_reporting_body
from reports.gazetteer import place_for_code, resolve_jurisdiction
from reports.ingest import ingest_bytes
from reports.metadata import extract_metadata
from reports.pipeline import read_report
from reports.sample_corpus import corpus_dir, corpus_rows

FAZHI_OPENING = "2023年，{who}坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，扎实推进法治政府建设。现将有关情况报告如下：\n一、主要举措和成效\n"


# ---------------------------------------------------------------------------------------------
# The 统一社会信用代码 inside a 索引号
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("index_number", "code"), [
    ("11320500014160155X/2024-00012", "320500"),
    ("[ 索引号 ] 11500111MB15011811/2026-00005", "500111"),
    ("111000000000131433/2022-00001", "100000"),
    ("010435649/2023-00025", ""),  # an organisation code, no division in it
    ("14105833M/2022-00001", ""),
    ("", ""),
])
def test_division_code_of_an_index_number(index_number, code):
    assert division_code(index_number) == code


def test_division_codes_name_places_and_the_nation():
    assert place_for_code("320500").name == "苏州市"
    assert place_for_code("500111").name == "大足区"
    assert place_for_code("100000").level == 0
    assert place_for_code("999999") is None


def test_the_credit_code_beats_places_merely_mentioned_in_the_body():
    text = (FAZHI_OPENING.format(who="我局") + "我局在南京市召开现场会，学习南京市、无锡市的经验。南京市试点工作……"
            "南京市的做法值得推广。")
    meta = extract_metadata(title=None, text=text, page_meta={"index_number": "11320500014160155X/2024-00012"})
    assert meta.jurisdiction.city.name == "苏州市"
    without = extract_metadata(title=None, text=text)
    assert without.jurisdiction is None or without.jurisdiction.names()["city"] != "苏州市"


# ---------------------------------------------------------------------------------------------
# Departments
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("title", "body", "department", "city"), [
    ("苏州市司法局关于2023年度法治政府建设工作情况的报告", "苏州市司法局", "司法局", "苏州市"),
    ("无锡市卫健委2023年法治政府建设年度报告", "无锡市卫健委", "卫生健康委员会", "无锡市"),
    ("常州市人社局 2023年法治政府建设年度报告", "常州市人社局", "人力资源和社会保障局", "常州市"),
    ("徐州市市场监管局关于2023年法治政府建设情况的报告", "徐州市市场监管局", "市场监督管理局", "徐州市"),
])
def test_department_report_records_its_department_and_its_region(title, body, department, city):
    meta = extract_metadata(title=title, text=FAZHI_OPENING.format(who="我局") + "局党组高度重视……")
    assert meta.body_kind == DEPARTMENT
    assert meta.department == department
    assert meta.reporting_body == body
    assert meta.jurisdiction.city.name == city and meta.jurisdiction.county is None
    assert meta.kind == "fazhi"


def test_department_named_only_at_the_opening():
    meta = extract_metadata(title=None, text=FAZHI_OPENING.format(who="昆山市公安局") + "局党委……我局……")
    assert (meta.body_kind, meta.department) == (DEPARTMENT, "公安局")
    assert meta.jurisdiction.county.name == "昆山市"
    assert meta.reporting_body == "昆山市公安局"


def test_a_department_abbreviated_by_its_level_gets_the_jurisdictions_name():
    text = ("2023年，市卫生健康委在市委、市政府的坚强领导下，深入推进法治政府建设。委党组……嘉兴市卫生健康系统……嘉兴市"
            "……现将有关情况报告如下：\n一、主要举措和成效\n")
    meta = extract_metadata(title=None, text=text)
    assert (meta.body_kind, meta.department) == (DEPARTMENT, "卫生健康委员会")


def test_a_government_report_on_a_department_site_stays_a_government_report():
    # Reports are republished on the 司法局 site: the publisher line is not the reporting body.
    text = ("2021年，市政府坚持以习近平新时代中国特色社会主义思想为指导，全市法治政府建设取得新成效。市政府常务会议……"
            "现将有关情况报告如下：\n一、主要举措和成效\n")
    meta = extract_metadata(title="海口市人民政府2021年度法治政府建设情况报告", text=text,
                            page_meta={"source": "海口市司法局", "publisher": "海口市司法局"})
    assert meta.body_kind == GOVERNMENT and meta.department == ""
    assert meta.reporting_body == "海口市人民政府"


def test_the_signature_names_the_body():
    body = find_reporting_body(title="", text=FAZHI_OPENING.format(who="我局"),
                               page_meta={"signature": "南通市交通运输局"})
    assert (body.kind, body.department, body.source) == (DEPARTMENT, "交通运输局", "signature")


def test_a_government_without_a_printed_name_gets_one_from_its_jurisdiction():
    meta = extract_metadata(title="港口镇2021年法治政府建设年度报告",
                            text="2021年，港口镇在中山市委、市政府的正确领导下……我镇……我镇……")
    assert meta.body_kind == GOVERNMENT
    assert meta.reporting_body == "中山市港口镇人民政府"


# ---------------------------------------------------------------------------------------------
# The national level
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("title", "opening", "body"), [
    ("", FAZHI_OPENING.format(who="自然资源部") + "部党组……", "自然资源部"),
    ("司法部2022年法治政府建设年度报告", FAZHI_OPENING.format(who="司法部") + "江苏省、浙江省试点……", "司法部"),
    ("", FAZHI_OPENING.format(who="原环境保护部"), "环境保护部"),
    ("国家税务总局关于2022年法治政府建设情况的报告", FAZHI_OPENING.format(who="税务总局"), "国家税务总局"),
])
def test_ministry_reports_land_on_the_national_level(title, opening, body):
    meta = extract_metadata(title=title or None, text=opening)
    assert meta.jurisdiction.is_national
    assert meta.jurisdiction.names() == {"province": "", "city": "", "county": "", "town": ""}
    assert (meta.body_kind, meta.department, meta.reporting_body) == (DEPARTMENT, body, body)
    assert "未能确定地区" not in meta.warnings


def test_state_council_report_is_national_and_names_the_state_council():
    meta = extract_metadata(title="国务院关于2022年度法治政府建设情况的报告",
                            text="2022年，国务院坚持以习近平新时代中国特色社会主义思想为指导……北京市、上海市……")
    assert meta.jurisdiction.is_national and meta.reporting_body == "国务院"
    assert meta.body_kind == GOVERNMENT


def test_a_local_report_quoting_the_state_council_is_not_national():
    j = resolve_jurisdiction(title="苏州市2021年法治政府建设年度报告",
                             text="2021年，苏州市认真落实党中央、国务院决策部署……")
    assert not j.is_national and j.city.name == "苏州市"


@pytest.fixture(scope="module")
def corpus_metadata():
    out = {}
    root = corpus_dir()
    for row in corpus_rows():
        path = next(root.glob(f"*/{row['id']}.txt"))
        read = read_report(ingested=ingest_bytes(path.read_bytes(), filename=path.name), filename=path.name)
        out[row["id"]] = (row, read.metadata)
    return out


def test_every_state_council_report_of_the_corpus_is_national(corpus_metadata):
    national = {rid: meta for rid, (row, meta) in corpus_metadata.items() if row["level"] == "national"}
    assert len(national) == 72
    off = [rid for rid, meta in national.items() if meta.jurisdiction is None or not meta.jurisdiction.is_national]
    assert off == []
    # None of them is anywhere below the national level, none is a department's.
    assert all(meta.jurisdiction.province is None for meta in national.values())
    assert all(meta.body_kind == GOVERNMENT for meta in national.values())


def test_no_provincial_or_county_report_of_the_corpus_is_national(corpus_metadata):
    local = [(rid, meta) for rid, (row, meta) in corpus_metadata.items() if row["level"] != "national"]
    assert len(local) == 105
    assert [rid for rid, meta in local if meta.jurisdiction is not None and meta.jurisdiction.is_national] == []
    assert [rid for rid, meta in local if meta.body_kind != GOVERNMENT] == []


# ---------------------------------------------------------------------------------------------
# Kind from the body
# ---------------------------------------------------------------------------------------------


def test_untitled_rule_of_law_report_is_known_by_its_body():
    text = ("市委、市政府:\n2025年，下蜀镇紧紧围绕上级关于推进法治政府建设的各项工作部署，法治政府建设不断取得新成效。"
            "现将本年度有关情况总结汇报如下:\n一、完善制度体系，纵深推进法治政府建设\n（一）健全法治建设统筹机制。")
    assert extract_metadata(title=None, text=text).kind == "fazhi"


def test_title_without_the_word_report_still_tells_the_kind():
    assert extract_metadata(title="四川省人民政府2022年度法治政府建设工作情况", text="2022年，省政府……").kind == "fazhi"


def test_information_disclosure_report_is_its_own_kind():
    text = ("本报告根据《中华人民共和国政府信息公开条例》编制。一、总体情况 2023年，全市主动公开政府信息12万条，"
            "受理依申请公开申请356件，政府信息公开工作扎实推进。二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况"
            " 四、政府信息公开行政复议、行政诉讼情况 五、存在的主要问题及改进情况")
    assert extract_metadata(title=None, text=text).kind == "xxgk"
    titled = extract_metadata(title="苏州市人民政府2023年政府信息公开工作年度报告", text="一、总体情况……")
    assert titled.kind == "xxgk"


def test_government_work_report_stays_a_government_work_report():
    text = ("各位代表：现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协各位委员提出意见。\n一、2024年工作回顾\n"
            "全市地区生产总值增长5.5%……法治政府建设扎实推进……\n二、2025年主要预期目标")
    assert extract_metadata(title=None, text=text).kind == "gwr"


def test_a_text_of_no_known_kind_stays_other():
    assert extract_metadata(title=None, text="会议纪要：与会同志讨论了年度预算安排和人员编制问题。").kind == "other"


# ---------------------------------------------------------------------------------------------
# The body before places mentioned in passing; an ambiguous town
# ---------------------------------------------------------------------------------------------


def test_places_listed_as_examples_are_not_the_issuer():
    text = ("2019年，上海市各级政府深入学习贯彻习近平法治思想……上海市青浦区、江苏省苏州市吴江区、浙江省嘉善县共同推进"
            "长三角一体化示范区建设……全市……市政府……")
    j = resolve_jurisdiction(title=None, text=text)
    assert j.names() == {"province": "上海市", "city": "", "county": "", "town": ""}


def test_a_province_speaking_of_itself_is_that_province():
    text = ("2024年，省政府坚持以习近平新时代中国特色社会主义思想为指导，全省法治政府建设取得新成效。省政府常务会议……"
            "以习近平法治思想引领法治广东建设。我省……全省……")
    j = resolve_jurisdiction(title=None, text=text)
    assert j.names()["province"] == "广东省" and j.city is None


def test_an_ambiguous_town_stays_undetermined_with_a_warning():
    meta = extract_metadata(title="三都镇2025年法治政府建设年度报告",
                            text="2025年，三都镇在区委、区政府的坚强领导下……我镇……我镇……")
    assert meta.jurisdiction.ambiguous and meta.jurisdiction.town is None
    assert any(w.startswith("地区有歧义：三都镇") for w in meta.warnings)


def test_a_street_named_like_a_road_is_not_the_issuer():
    text = ("2022年，县政府坚持依法行政……完成解放街改造工程，解放街沿线商户……沭阳县人民政府……沭阳县……我县……我县……")
    j = resolve_jurisdiction(title=None, text=text)
    assert j is not None and j.town is None and j.county.name == "沭阳县"


def test_a_street_calling_itself_by_its_short_name():
    text = ("2024年，鹤龙街坚持以习近平新时代中国特色社会主义思想为指导……推进鹤龙街党政主要负责人述法……鹤龙街党工委会议……")
    j = resolve_jurisdiction(title=None, text=text)
    assert j.names() == {"province": "广东省", "city": "广州市", "county": "白云区", "town": "鹤龙街道"}


def test_a_government_report_naming_a_department_later_stays_a_government_report():
    text = ("2022年，市政府坚持以习近平新时代中国特色社会主义思想为指导，全面推进依法行政，法治政府建设取得新成效。市政府常务会议"
            "专题学法4次，组织领导干部旁听庭审，落实党政主要负责人履行推进法治建设第一责任人职责，将法治建设纳入年度考核。"
            "全市行政复议案件办理质效进一步提升，行政执法三项制度全面落实，重大行政决策程序严格执行，合法性审查全覆盖。"
            "现将有关情况报告如下：\n一、主要举措和成效\n。市司法局认真履行法治政府建设督察职责……")
    meta = extract_metadata(title="镇江市人民政府2022年法治政府建设年度报告", text=text)
    assert meta.body_kind == GOVERNMENT and meta.reporting_body == "镇江市人民政府"
    untitled = extract_metadata(title=None, text=text)
    assert untitled.body_kind == GOVERNMENT and untitled.department == ""


def test_a_traditional_report_keeps_its_body_in_its_own_script():
    meta = extract_metadata(title="蘇州市司法局關於2023年度法治政府建設工作情況的報告",
                            text="2023年，蘇州市司法局堅持以習近平法治思想為指導……局黨組……現將有關情況報告如下：")
    assert meta.reporting_body == "蘇州市司法局"
    assert (meta.body_kind, meta.department) == (DEPARTMENT, "司法局")
    assert meta.jurisdiction.city.name == "苏州市"
