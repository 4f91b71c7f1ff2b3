"""Nothing refused that can be kept, titles that read like real ones, page facts on the page.

- a one-line text is split by its inline numbering; a short unnumbered document is stored as
  one section with a notice; only a text without Chinese (or without any body) waits for
  the caller's confirmation, and the command names its own flag for it;
- every corpus file and seed imports without --allow-unstructured;
- generated titles are never a bare 报告 and never doubled;
- the report page shows the facts of the page's metadata block.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from reports.gazetteer import resolve_jurisdiction
from reports.ingest import ingest_bytes
from reports.models import Report
from reports.parsing import parse_report
from reports.sample_corpus import corpus_files
from reports.services import draft_from_text, report_draft, report_import
from reports.titles import KIND_LABEL, generated_title, is_generic_title

from .conftest import SEED_FILES

ONE_LINE = (
    "关于青禾县2024年度法治政府建设情况的报告 2024年，我县坚持以习近平法治思想为指导，扎实推进法治政府建设，"
    "现将有关情况报告如下。一、主要举措和成效 （一）加强组织领导。县政府召开常务会议专题研究法治政府建设工作3次，"
    "制定年度工作要点。（二）深化行政执法改革。全面推行行政执法三项制度，开展执法案卷评查。二、存在的不足 "
    "一些部门依法行政意识仍需增强，执法队伍专业化水平有待提高。三、下一步工作安排 继续深化法治政府建设，推动各项任务落地见效。"
)
RESOLUTION = (
    "青禾县第十八届人民代表大会第三次会议关于政府工作报告的决议\n"
    "（2025年1月12日青禾县第十八届人民代表大会第三次会议通过）\n"
    "青禾县第十八届人民代表大会第三次会议听取和审议了县长所作的政府工作报告。会议充分肯定县人民政府过去一年的工作，"
    "同意报告提出的2025年工作的总体要求和主要任务，决定批准这个报告。\n"
    "会议号召，全县人民团结一心，开拓进取，为完成今年各项目标任务而努力奋斗。"
)


def test_a_one_line_text_is_split_by_its_inline_numbering():
    parsed = parse_report(ONE_LINE)
    assert parsed.title == "关于青禾县2024年度法治政府建设情况的报告"
    assert [(s.number, s.heading) for s in parsed.sections if s.number] == [
        ("一", "主要举措和成效"), ("二", "存在的不足"), ("三", "下一步工作安排"),
    ]
    assert [s.heading for s in parsed.sections[1].children] == ["加强组织领导", "深化行政执法改革"]
    assert parsed.sections[0].path == "0" and parsed.sections[0].text.startswith("2024年，我县")


def test_an_enumeration_inside_a_normal_paragraph_is_not_split():
    long_para = "本年度经济建设支出安排如下：" + "".join(
        f"（{n}）第{n}项支出为{n}亿元，占总数的{n}成，比上年有所增长，主要用于基础设施和民生项目的建设。" for n in "一二三四五"
    )
    text = "\n".join(["青禾县2024年财政预算执行情况的报告", "一、预算执行情况", long_para, "二、下一步工作", "继续抓好预算执行。"])
    parsed = parse_report(text)
    assert [s.heading for s in parsed.sections if s.number] == ["预算执行情况", "下一步工作"]
    assert not parsed.sections[0].children


def test_a_clause_ending_in_a_report_name_is_not_a_title():
    parsed = parse_report(RESOLUTION.split("\n", 2)[2].replace("\n", ""))
    assert parsed.title is None or not parsed.title.startswith("青禾县第十八届人民代表大会第三次会议听取")


def _draft(text: str, name: str = "page.txt"):
    data = text.encode("utf-8")
    return draft_from_text(ingested=ingest_bytes(data, filename=name), file_checksum="", filename=name)


def test_a_short_unnumbered_document_is_kept_as_one_section_with_a_notice():
    draft = _draft(RESOLUTION)
    assert not draft.is_unstructured
    assert len(draft.parsed.sections) == 1
    assert "未找到编号标题：全文作为一节保存" in draft.warnings


def test_only_texts_without_chinese_wait_for_confirmation():
    assert _draft("Annual report on the rule of law, English summary only.").is_unstructured


@pytest.mark.parametrize("path", corpus_files() + SEED_FILES, ids=lambda p: p.name)
def test_every_corpus_file_and_seed_imports_without_allow_unstructured(path):
    data = path.read_bytes()
    draft = draft_from_text(ingested=ingest_bytes(data, filename=path.name), file_checksum="", filename=path.name)
    assert not draft.is_unstructured
    title = draft.metadata.title
    assert title not in ("报告", "報告")
    for label in KIND_LABEL.values():
        assert label + label not in title


# --- titles ---------------------------------------------------------------------------------------


def test_generated_titles_read_like_real_ones():
    j = resolve_jurisdiction(title="苏州市2023年法治政府建设年度报告", text="")
    assert generated_title(j, 2023, "fazhi") == "苏州市2023年法治政府建设年度报告"
    assert generated_title(j, 2023, "fazhi", body="苏州市司法局") == "苏州市司法局2023年法治政府建设年度报告"
    assert generated_title(None, None, "other") == KIND_LABEL["other"] != "报告"
    # a body that already carries the kind's name is not doubled
    assert generated_title(None, 2024, "gwr", body="青禾县政府工作报告") == "青禾县2024年政府工作报告"


def test_generic_titles():
    assert is_generic_title("政府工作报告") and is_generic_title("政 府 工 作 报 告")
    assert not is_generic_title("青禾县2024年政府工作报告")


# --- through the database ----------------------------------------------------------------------------

PAGE = (
    "您所在的位置：首页 > 政务公开 > 法治政府建设\n"
    "索 引 号：11530123MB0000000X/2025-00031　　发布机构：青禾县司法局\n"
    "文　　号：青司报〔2025〕3号　　发布日期：2025-03-03\n"
    "青禾县司法局2024年度法治政府建设情况报告\n"
    "2024年，我局坚持以习近平法治思想为指导，认真落实法治政府建设各项任务。现将有关情况报告如下。\n"
    "一、主要举措和成效\n全面推行行政执法三项制度。\n二、下一步工作\n继续推进法治政府建设。"
)


def run_import(*args):
    out = StringIO()
    try:
        call_command("import_reports", *args, "--no-progress", stdout=out)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue()


@pytest.mark.django_db
def test_command_keeps_a_resolution_and_names_its_flag_for_a_text_without_chinese(tmp_path):
    (tmp_path / "resolution.txt").write_text(RESOLUTION, encoding="utf-8")
    (tmp_path / "english.txt").write_text("Annual report, English summary only.", encoding="utf-8")
    status, out = run_import(str(tmp_path / "resolution.txt"), str(tmp_path / "english.txt"))
    assert status == 1
    kept = Report.objects.get()
    assert kept.sections.count() == 1
    refused = next(line for line in out.splitlines() if "english.txt" in line)
    assert refused.startswith("失败") and "--allow-unstructured" in refused and "勾选" not in refused
    status, _ = run_import(str(tmp_path / "english.txt"), "--allow-unstructured")
    assert status == 0 and Report.objects.count() == 2


@pytest.mark.django_db
def test_report_page_shows_the_page_facts(client):
    data = PAGE.encode("utf-8")
    report = report_import(draft=report_draft(data=data, filename="page.txt"), data=data)
    assert report.publisher == "青禾县司法局"
    assert report.index_number == "11530123MB0000000X/2025-00031"
    assert report.document_number == "青司报〔2025〕3号"
    assert report.page_metadata["published"] == "2025-03-03"
    assert str(report.published) == "2025-03-03"
    html = client.get(report.get_absolute_url()).content.decode()
    for fact in ("青禾县司法局", "11530123MB0000000X/2025-00031", "青司报〔2025〕3号", "索引号", "文号"):
        assert fact in html
    assert not report.sections.filter(text__contains="索 引 号").exists()


@pytest.mark.django_db
def test_a_generic_printed_title_shows_body_and_year_beside_it(client):
    text = "政府工作报告\n——2024年1月9日在青禾县第十八届人民代表大会第二次会议上\n各位代表：\n" \
           "现在，我代表县人民政府向大会报告工作，请予审议。\n一、2023年工作回顾\n全县经济稳中有进。\n二、2024年工作安排\n抓好各项工作。"
    data = text.encode("utf-8")
    report = report_import(draft=report_draft(data=data, filename="gwr.txt"), data=data, overrides={"year": 2024})
    assert report.title == "政府工作报告" and not report.title_generated
    assert report.title_context.endswith("2024年")
    html = client.get("/reports/").content.decode()
    assert f"（{report.title_context}）" in html
