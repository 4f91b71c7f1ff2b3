"""Compliance checklist (research/compliance.py): hand-coded expectations on the seeds and on
real_dev pages (fixtures/real_dev/<id>.txt, copied byte-identical from the development set)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.parsing import parse_report
from research.compliance import PARTS, check

ROOT = Path(__file__).resolve().parents[2] / "fixtures"
SEEDS = ROOT / "seeds"
REAL_DEV = ROOT / "real_dev"


def _check(path: Path, year: int | None):
    parsed = parse_report(path.read_text(encoding="utf-8"))
    return check(list(parsed.walk()), full_text=parsed.clean_text, year=year)


def _seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


# Hand-coded from reading each text: the parts present and the section that shows each.
SEED_EXPECTED = {
    # 一、2020年工作开展情况 / 二、存在的问题 / 三、2020年工作要点; no first-duty passage.
    "000": (2020, {"measures": "1", "shortfalls": "2", "plans": "3"}),
    # Traditional script, topical headings (all measures); 一、切實履行“第一責任人”職責;
    # closing paragraph: 仍存在一些薄弱環節和問題 … 2020年……我們將重點做好以下五方面工作.
    "001": (2019, {"measures": "2", "shortfalls": "8", "first_duty": "1", "plans": "8"}),
    # Untitled; the model five-part report.
    "002": (2023, {"measures": "2", "shortfalls": "3", "first_duty": "1", "plans": "4", "other": "5"}),
    # One section of measures only.
    "003": (2019, {"measures": "1"}),
    # 八、存在的不足 / 九、下一步工作计划; first duty in the text of 1.1.
    "004": (2021, {"measures": "1", "shortfalls": "8", "first_duty": "1.1", "plans": "9"}),
}


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_seed_checklists_match_hand_coding(prefix):
    year, expected = SEED_EXPECTED[prefix]
    result = _check(_seed(prefix), year)
    assert result.present_keys == [k for k in PARTS if k in expected]
    for key, path in expected.items():
        assert path in [e.path for e in result.part(key).evidence], key


def test_traditional_heading_counts_as_shortfalls():
    # d073 小龍門鄉 (traditional): 二、2024年度推進法治政府建設存在的不足和原因
    result = _check(REAL_DEV / "d073_xiaolongmenxiang_2024_trad.txt", 2024)
    part = result.part("shortfalls")
    assert part.how == "heading" and part.evidence[0].path == "2"
    assert "不足" in part.evidence[0].heading


def test_traditional_sentence_is_quoted_in_its_own_script():
    result = _check(REAL_DEV / "d015_neimenggu_2016_trad.txt", 2016)
    quote = result.part("first_duty").evidence[0].quote
    assert "第一責任人職責" in quote  # original script kept, matched through folding


def test_same_report_in_both_scripts_gives_the_same_checklist():
    simplified = _check(REAL_DEV / "d021_haidian_2022.txt", 2022).as_dict()
    traditional = _check(REAL_DEV / "d022_haidian_2022_trad.txt", 2022).as_dict()
    assert [p["present"] for p in simplified["parts"]] == [p["present"] for p in traditional["parts"]]


def test_untitled_town_report_first_duty_from_text():
    # d004 下蜀镇: no title; 1.1 says 严格落实党政主要负责人履行推进法治建设第一责任人职责.
    result = _check(REAL_DEV / "d004_xiashuzhen_2025.txt", 2025)
    assert result.present_keys == ["measures", "first_duty"]
    assert result.part("first_duty").evidence[0].how == "text"


def test_an_inspection_finding_problems_is_not_a_shortfall():
    # 001 § 5.4: 評查……發現案卷中存在的問題 — a measure; the shortfall is § 8.
    result = _check(_seed("001"), 2019)
    assert [e.path for e in result.part("shortfalls").evidence] == ["8"]


def test_sub_heading_work_plan_is_not_the_next_years_plan():
    # 004 § 1.2 "……依法治市工作要点及依法行政工作要点" is a measure's topic.
    result = _check(_seed("004"), 2021)
    assert [e.path for e in result.part("plans").evidence] == ["9"]


def test_unstructured_text_uses_sentences():
    text = "本年度主要举措和成效如下，全面推进依法行政。但仍存在一些短板。下一步，我们将继续努力。"
    result = check([], full_text=text)
    assert result.present_keys == ["measures", "shortfalls", "plans"]
    assert result.part("plans").evidence[0].quote == "下一步，我们将继续努力。"


# -- on the report page and in the API ---------------------------------------


def test_report_page_and_api_show_the_checklist(client, shared_seed_reports):
    report = shared_seed_reports["002"]  # untitled, all five parts
    assert report.kind == "fazhi"
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "合规核查" in html and "本报告含 5/5 项" in html
    data = client.get(f"/api/reports/{report.pk}/instruments/").json()
    assert data["compliance"]["score"] == 5
    assert [p["evidence"][0]["path"] for p in data["compliance"]["parts"]] == ["2", "3", "1", "4", "5"]
    assert data["timeliness"]["status"] in {"on_time", "late", "unknown"}


def test_checklist_reads_sections_in_one_query(shared_seed_reports, django_assert_num_queries):
    # Deferring the report foreign key made Django re-fetch every section to link it back to
    # its report: one query per section, and a 500 when an admin replaced the text meanwhile.
    from research.instruments import report_checklist

    report = shared_seed_reports["002"]
    assert report.sections.count() > 5
    with django_assert_num_queries(1):
        assert report_checklist(report).score == 5


def test_traditional_seed_through_the_api(client, shared_seed_reports):
    report = shared_seed_reports["001"]
    data = client.get(f"/api/reports/{report.pk}/instruments/").json()
    parts = {p["key"]: p for p in data["compliance"]["parts"]}
    assert parts["first_duty"]["how"] == "heading" and parts["other"]["present"] is False
    assert data["compliance"]["score"] == 4


def test_instruments_api_is_in_the_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    assert any(p.endswith("/instruments/") for p in schema["paths"]), sorted(schema["paths"])


def test_rates_page_drill_down_and_csv(client, shared_seed_reports):
    import csv
    import io

    fazhi = [r for r in shared_seed_reports.values() if r.kind == "fazhi"]
    page = client.get("/compliance/?by=year")
    assert page.status_code == 200
    assert f"法治政府建设年度报告 {len(fazhi)} 份" in page.content.decode()
    # Drill-down: the 2023 reports that lack nothing of "other" → the untitled seed 002.
    year_2023 = [r for r in fazhi if r.year == 2023]
    drill = client.get("/compliance/?by=year&group=2023&part=other").content.decode()
    assert f"（{len([r for r in year_2023 if r.pk == shared_seed_reports['002'].pk])} 份）" in drill
    assert shared_seed_reports["002"].get_absolute_url() in drill
    body = client.get("/compliance.csv").content.decode("utf-8-sig")
    rows = {int(r["report_id"]): r for r in csv.DictReader(io.StringIO(body))}
    assert rows[shared_seed_reports["002"].pk]["score"] == "5"
    assert rows[shared_seed_reports["001"].pk]["first_duty"] == "True"
    assert rows[shared_seed_reports["001"].pk]["other"] == "False"


def test_compare_page_has_a_compliance_row(client, shared_seed_reports):
    ids = [shared_seed_reports["001"].pk, shared_seed_reports["002"].pk]
    html = client.get("/compare/?reports=" + ",".join(map(str, ids))).content.decode()
    row = html[html.index('id="compliance"'):html.index('id="figures"')]
    assert "<td>4/5</td><td>5/5</td>" in row.replace("\n", "")


def test_first_duty_sub_heading_under_a_measures_section():
    # d032 前海 2023: 一、2023年度主要工作成效 › （二）学习贯彻习近平法治思想及党政主要负责人
    # 履行推进法治建设第一责任人职责情况
    result = _check(REAL_DEV / "d032_qianhai_2023.txt", 2023)
    assert result.part("first_duty").how == "heading"
    assert result.part("first_duty").evidence[0].path == "1.2"
    assert result.part("measures").evidence[0].path == "1"
