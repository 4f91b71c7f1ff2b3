"""Report metadata: title, kind, year, publication date, script, jurisdiction, warnings."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from reports.metadata import detect_script, extract_metadata
from reports.sample_corpus import corpus_dir

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = REPO_ROOT / "fixtures" / "seeds"
CORPUS_DIR = corpus_dir()


def seed(prefix: str) -> str:
    (path,) = SEED_DIR.glob(f"{prefix}_*.txt")
    return path.read_text("utf-8")


# --- seeds (raw text only: the parser is not needed) ------------------------------------------

SEEDS = {
    # prefix: (kind, year, script, published, title, title_generated, deepest place)
    "000": ("fazhi", 2020, "simplified", None, "2020年法治政府建设工作报告", False, "石嘴山市"),
    "001": ("fazhi", 2019, "traditional", None,
            "03.05 蘇州工業園區管理委員會關於2019年法治政府建設工作情況的報告", False, "苏州工业园区"),
    "002": ("fazhi", 2023, "simplified", None, "太原市杏花岭区人民政府2023年法治政府建设年度报告", True, "杏花岭区"),
    "003": ("fazhi", 2019, "simplified", None,
            "平顶山市城乡一体化示范区 落实法治政府建设各项任务情况的报告", False, "平顶山市城乡一体化示范区"),
    "004": ("fazhi", 2021, "simplified", None, "港口镇2021年法治政府建设年度报告", False, "港口镇"),
}


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seed_metadata_from_raw_text(prefix):
    kind, year, script, published, title, generated, deepest = SEEDS[prefix]
    md = extract_metadata(title=None, text=seed(prefix))
    assert (md.kind, md.year, md.script, md.published) == (kind, year, script, published)
    assert md.title_generated is generated
    assert md.title.replace("03.05 ", "") == title.replace("03.05 ", "")
    assert md.jurisdiction.deepest.name == deepest


def test_seed_000_warns_about_the_anonymised_district():
    md = extract_metadata(title=None, text=seed("000"))
    assert "未能确定地区：XX区" in md.warnings


def test_seed_002_generated_title_warns():
    md = extract_metadata(title=None, text=seed("002"))
    assert md.title == "太原市杏花岭区人民政府2023年法治政府建设年度报告"
    assert md.warnings == ["标题为自动生成"]


def test_seed_004_published_from_page_meta_and_year_is_the_year_reported_on():
    md = extract_metadata(title="港口镇2021年法治政府建设年度报告", text=seed("004"),
                          page_meta={"published": "2022-02-14", "source": "本网"})
    assert md.published == date(2022, 2, 14)
    assert md.year == 2021  # published in 2022, about 2021
    assert md.jurisdiction.names() == {"province": "广东省", "city": "中山市", "county": "", "town": "港口镇"}
    assert md.warnings == []


def test_seeds_through_the_parser_when_it_exists():
    parsing = pytest.importorskip("reports.parsing")
    if not hasattr(parsing, "parse_report"):
        pytest.skip("reports.parsing.parse_report not available yet")
    parsed = parsing.parse_report(seed("004"))
    md = extract_metadata(title=parsed.title, text=parsed.clean_text, page_meta=parsed.page_meta)
    assert md.published == date(2022, 2, 14)
    assert md.year == 2021 and md.kind == "fazhi"
    assert md.jurisdiction.town.name == "港口镇" and md.jurisdiction.city.name == "中山市"


# --- kind ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("title", "kind"), [
    ("2021年法治政府建设年度报告", "fazhi"),
    ("关于2019年法治政府建设工作情况的报告", "fazhi"),
    ("平顶山市城乡一体化示范区 落实法治政府建设各项任务情况的报告", "fazhi"),
    ("XX县2018年依法行政工作报告", "fazhi"),
    ("某镇2022年度法治建设工作报告", "fazhi"),
    ("法治政府建設年度報告", "fazhi"),
    ("广东省2025年政府工作报告", "gwr"),
    ("2020年XX县人民政府工作报告", "gwr"),
    ("第十四届全国人民代表大会第三次会议关于政府工作报告的决议", "other"),
    ("关于印发2022年政务公开工作要点的通知", "other"),
])
def test_kind_from_title(title, kind):
    assert extract_metadata(title=title, text="正文。").kind == kind


def test_kind_from_text_without_title():
    gwr = "各位代表：\n现在，我代表县人民政府，向大会报告工作。"
    assert extract_metadata(title=None, text=gwr).kind == "gwr"
    fazhi = "2023年，我区深入推进法治政府建设。现将有关情况报告如下。"
    assert extract_metadata(title=None, text=fazhi).kind == "fazhi"


# --- year ------------------------------------------------------------------------------------


def test_year_rules():
    # Title first.
    assert extract_metadata(title="2021年法治政府建设年度报告", text="2022年工作打算……").year == 2021
    # Chinese numerals.
    assert extract_metadata(title="二〇二一年法治政府建设年度报告", text="").year == 2021
    # "现将…2021年…报告如下".
    md = extract_metadata(title=None, text="一年来……2020年的基础上……现将我县2021年法治政府建设情况报告如下：")
    assert md.year == 2021
    # Opening "2021年，…".
    assert extract_metadata(title=None, text="2021年，我镇坚持……2022年计划……").year == 2021
    # Plan periods are not years reported on.
    md = extract_metadata(title=None, text="落实《法治政府建设实施纲要(2021—2025年)》和2015-2020年规划，"
                                           "我局2022年推进……2022年完成……")
    assert md.year == 2022
    # 政府工作报告 are known by their session year (the review is one year earlier).
    assert extract_metadata(title=None, text="各位代表：\n一、2024年工作回顾\n2024年，……").year == 2025
    opening = "政府工作报告\n——2020年1月21日在保定市满城区第二届人民代表大会第四次会议上\n"
    md = extract_metadata(title=None, text=opening)
    assert md.year == 2020 and md.published == date(2020, 1, 21)


def test_year_from_publication_date_is_a_last_resort_with_warning():
    md = extract_metadata(title="法治政府建设年度报告", text="我镇坚持依法行政。",
                          page_meta={"published": "2022年3月5日"})
    assert md.year == 2021
    assert any(w.startswith("年度由发布日期推定") for w in md.warnings)


def test_year_unknown_is_none_with_warning():
    md = extract_metadata(title="法治政府建设年度报告", text="我镇坚持依法行政。",
                          page_meta={"published": "2022-08-01"})
    assert md.year is None and "未能确定年度" in md.warnings
    md = extract_metadata(title=None, text="2020年如何，2021年如何。")  # a tie is no answer
    assert md.year is None


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("meta", "expected"), [
    ({"published": "2022-02-14"}, date(2022, 2, 14)),
    ({"published": "2022/02/14 10:31"}, date(2022, 2, 14)),
    ({"published": "2022年2月14日"}, date(2022, 2, 14)),
    ({"signature_date": "二〇二二年三月一日"}, date(2022, 3, 1)),
    ({"published": "not a date"}, None),
])
def test_published_from_page_meta(meta, expected):
    md = extract_metadata(title="2021年法治政府建设年度报告", text="正文。", page_meta=meta)
    assert md.published == expected


def test_published_from_closing_signature():
    text = "2021年，我区……\n以上报告。\n\nXX区人民政府\n二〇二二年三月一日\n"
    assert extract_metadata(title=None, text=text).published == date(2022, 3, 1)
    text = "2021年，我区……\n\n某某县人民政府\n2022年3月1日"
    assert extract_metadata(title=None, text=text).published == date(2022, 3, 1)


# --- script ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "script"), [
    ("政府工作報告", "traditional"),
    ("蘇州工業園區", "traditional"),
    ("政府工作报告", "simplified"),
    ("乾县人民政府", "simplified"),  # 乾 is also a simplified character
    ("", "simplified"),
    ("2021", "simplified"),
])
def test_detect_script_short_texts(text, script):
    assert detect_script(text) == script


def test_detect_script_seeds():
    assert detect_script(seed("001")) == "traditional"
    assert all(detect_script(seed(p)) == "simplified" for p in ("000", "002", "003", "004"))


def test_traditional_metadata_keeps_the_original_title():
    md = extract_metadata(title="蘇州工業園區管理委員會關於2019年法治政府建設工作情況的報告",
                          text="2019年，在市政府的正確領導下……")
    assert md.script == "traditional" and md.title.startswith("蘇州工業園區")
    assert md.kind == "fazhi" and md.year == 2019
    assert md.jurisdiction.county.name == "苏州工业园区"


# --- warnings --------------------------------------------------------------------------------


def test_ambiguity_warning_lists_the_alternatives():
    md = extract_metadata(title="港口镇2021年法治政府建设年度报告", text="2021年，我镇全面推进依法行政。")
    (warning,) = [w for w in md.warnings if w.startswith("地区有歧义")]
    assert warning.startswith("地区有歧义：港口镇（")
    for place in ("广东省中山市", "安徽省宣城市宁国市", "江西省上饶市弋阳县", "江西省九江市修水县"):
        assert place in warning


def test_generated_title_names_the_reporting_body():
    md = extract_metadata(title=None, text="2021年，我镇……", page_meta={"signature": "中山市港口镇人民政府"})
    assert md.title == "中山市港口镇人民政府2021年法治政府建设年度报告" or md.kind != "fazhi"
    md = extract_metadata(title=None, text="2021年，全省深入推进法治政府建设。现将有关情况报告如下。",
                          page_meta={"signature": "广东省人民政府"})
    assert md.title == "广东省人民政府2021年法治政府建设年度报告" and md.title_generated


# --- corpus ----------------------------------------------------------------------------------


def corpus_rows():
    for index in sorted(CORPUS_DIR.glob("*/index.tsv")):
        with index.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                row["text"] = (index.parent / f"{row['id']}.txt").read_text("utf-8")
                row["folder"] = index.parent.name
                yield row


def expected_year(row) -> int | None:
    # README: one county report is filed under a wrong year; the index notes the year its
    # text gives ("body_date_year=2022" for cty_miyi_sc_2024).
    if "body_date_year=" in row["note"]:
        return int(row["note"].split("body_date_year=")[1][:4])
    return int(row["year"]) if row["year"] else None


def test_corpus_year_kind_script_accuracy():
    """Text only (title=None), against index.tsv.  Rows without a year (NPC resolutions) are
    left out of the year figures."""
    stats: dict[str, dict[str, list[int]]] = {}
    misses = []
    for row in corpus_rows():
        md = extract_metadata(title=None, text=row["text"])
        s = stats.setdefault(row["folder"], {"year": [0, 0], "kind": [0, 0], "script": [0, 0]})
        exp = expected_year(row)
        if exp is not None:
            s["year"][1] += 1
            s["year"][0] += md.year == exp
            if md.year != exp:
                misses.append((row["id"], exp, md.year))
        s["kind"][1] += 1
        s["kind"][0] += md.kind == ("gwr" if row["doctype"] == "政府工作报告" else "other")
        s["script"][1] += 1
        s["script"][0] += md.script == row["script"]
    for folder, s in stats.items():
        print(f"\n{folder}: " + ", ".join(f"{k} {ok}/{n}" for k, (ok, n) in s.items()))
    print("year misses:", misses)
    prov, county, national = (stats[k] for k in
                              ("provincial_gwr_2025", "county_gwr_baoding", "state_council_wikisource"))
    assert prov["year"] == [31, 31] and prov["kind"] == [31, 31]
    # County files: some lack any title and review "五年来"; 95 % leaves room for two or three.
    assert county["year"][0] / county["year"][1] >= 0.95
    assert county["kind"][0] == county["kind"][1]
    # National reports from 1954 on, mostly without a title: the year is often unknowable from
    # the opening (plans, budgets) — but a wrong year must stay rare compared with None.
    assert national["year"][0] / national["year"][1] >= 0.6
    assert national["kind"][0] / national["kind"][1] >= 0.95
    for s in stats.values():
        assert s["script"][0] == s["script"][1]
