"""The gazetteer (jionlp's china_location data) and jurisdiction resolution."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from reports import gazetteer
from reports.gazetteer import Jurisdiction, Place, find_places, resolve_jurisdiction
from reports.sample_corpus import corpus_dir

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = REPO_ROOT / "fixtures" / "seeds"
CORPUS_DIR = corpus_dir()


def seed(prefix: str) -> str:
    (path,) = SEED_DIR.glob(f"{prefix}_*.txt")
    return path.read_text("utf-8")


# --- loading ---------------------------------------------------------------------------------


def test_load_time_and_size_are_reported():
    """Measured in a fresh interpreter (the module cache would hide the cost here)."""
    code = (
        "import time; t = time.perf_counter(); from reports import gazetteer as g; g.load(); "
        "print(round(time.perf_counter() - t, 3)); print(g.load_stats())"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True,
                         check=True).stdout.splitlines()
    print(f"\ngazetteer import+load in a fresh process: {out[0]} s; {out[1]}")
    stats = gazetteer.load_stats()
    assert stats["provinces"] == 34
    assert 300 <= stats["cities"] <= 340
    assert 2800 <= stats["counties"] <= 3100
    assert stats["towns"] > 35000


def test_load_is_cached_once_per_process():
    assert gazetteer.load() is gazetteer.load()


def test_place_chain_and_data_quirks():
    (zhongshan,) = find_places("中山市")
    assert (zhongshan.level, zhongshan.code, zhongshan.short) == (2, "442000", "中山")
    gangkou = [p for p in find_places("港口镇") if p.parent is zhongshan]
    assert len(gangkou) == 1  # 中山 has no county level: city → town
    assert [p.name for p in gangkou[0].chain()] == ["广东省", "中山市", "港口镇"]
    assert gangkou[0].code == "" and gangkou[0].level == 4
    # Municipalities: districts directly under the province.
    (pudong,) = find_places("浦东新区")
    assert [p.name for p in pudong.chain()] == ["上海市", "浦东新区"]
    # Province-administered county-level cities: no pseudo-city "省直辖行政区划".
    (jiyuan,) = find_places("济源市")
    assert [p.name for p in jiyuan.chain()] == ["河南省", "济源市"]
    # Town names lose their county prefix ("济源市下冶镇").
    assert [p.name for p in find_places("下冶镇")[0].chain()] == ["河南省", "济源市", "下冶镇"]
    (sip,) = find_places("苏州工业园区")
    assert sip.code == "320571" and sip.parent.name == "苏州市"


def test_find_places_short_and_old_names_and_traditional():
    assert [p.name for p in find_places("广东")] == ["广东省"]
    assert [p.name for p in find_places("中山")] == ["中山市"]
    assert len(find_places("港口镇")) == 4  # 安徽 宁国, 广东 中山, 江西 弋阳, 江西 修水
    assert find_places("城关") == []  # a short name shared by many places is no answer
    assert [p.full_name for p in find_places("徐水县")] == ["河北省保定市徐水区"]  # 县改区 2015
    assert [p.full_name for p in find_places("蘇州工業園區")] == ["江苏省苏州市苏州工业园区"]
    assert find_places("") == [] and find_places("不存在的地方") == []


# --- seeds -----------------------------------------------------------------------------------


SEED_JURISDICTIONS = {
    # prefix: (province, city, county, town, unresolved)
    "000": ("宁夏回族自治区", "石嘴山市", "", "", "XX区"),  # anonymised district
    "001": ("江苏省", "苏州市", "苏州工业园区", "", ""),  # traditional script
    "002": ("山西省", "太原市", "杏花岭区", "", ""),
    # The data *does* list 平顶山市城乡一体化示范区 (410471) as a county-level unit, so the
    # zone resolves instead of staying unresolved.
    "003": ("河南省", "平顶山市", "平顶山市城乡一体化示范区", "", ""),
    "004": ("广东省", "中山市", "", "港口镇", ""),
}


@pytest.mark.parametrize("prefix", sorted(SEED_JURISDICTIONS))
def test_seed_jurisdictions(prefix):
    text = seed(prefix)
    j = resolve_jurisdiction(title=None, text=text)
    province, city, county, town, unresolved = SEED_JURISDICTIONS[prefix]
    assert j is not None and not j.ambiguous
    assert j.names() == {"province": province, "city": city, "county": county, "town": town}
    assert j.unresolved == unresolved


def test_seed_003_code():
    j = resolve_jurisdiction(title=None, text=seed("003"))
    assert j.county.code == "410471"


# --- disambiguation --------------------------------------------------------------------------


def test_gangkou_guangdong_from_context():
    j = resolve_jurisdiction(
        title="港口镇2021年法治政府建设年度报告",
        text="2021年，我镇在中山市委、市政府的正确领导下……按照《中山市实行告知承诺制事项清单》……广东政务服务网",
    )
    assert j.names() == {"province": "广东省", "city": "中山市", "county": "", "town": "港口镇"}


def test_gangkou_jiangxi_from_context():
    j = resolve_jurisdiction(
        title="港口镇2021年法治政府建设年度报告",
        text="2021年，在修水县委、县政府的坚强领导下，港口镇……落实九江市依法行政工作要点。",
    )
    assert j.names() == {"province": "江西省", "city": "九江市", "county": "修水县", "town": "港口镇"}


def test_gangkou_anhui_from_issuer():
    j = resolve_jurisdiction(title="2021年法治政府建设年度报告", text="2021年，我镇……",
                             issuer="宁国市港口镇人民政府")
    assert j.names()["province"] == "安徽省" and j.names()["county"] == "宁国市"
    assert j.town.name == "港口镇"


def test_ambiguous_stays_ambiguous():
    j = resolve_jurisdiction(title="港口镇2021年法治政府建设年度报告",
                             text="2021年，我镇坚持以习近平法治思想为指导，全面推进依法行政。")
    assert j.ambiguous
    assert len(j.candidates) == 4 and {p.name for p in j.candidates} == {"港口镇"}
    assert j.town is None and j.province is None  # no pick below the common ancestor (none)


def test_ambiguous_within_one_province_keeps_common_ancestor():
    # Both 江西 港口镇 (弋阳县, 修水县) fit "江西"; nothing says which county.
    j = resolve_jurisdiction(title="港口镇2021年法治政府建设年度报告",
                             text="2021年，我镇认真落实江西省法治政府建设实施方案，江西省委……")
    assert j.ambiguous
    assert {p.parent.name for p in j.candidates} == {"弋阳县", "修水县"}
    assert j.province.name == "江西省" and j.city is None and j.county is None


def test_provincial_report_is_province_only():
    j = resolve_jurisdiction(title="广东省2025年政府工作报告",
                             text="各位代表：现在，我代表省人民政府……广州市、深圳市、中山市……全省……")
    assert j.names() == {"province": "广东省", "city": "", "county": "", "town": ""}


def test_national_report_lands_on_the_national_root():
    j = resolve_jurisdiction(title=None, text="各位代表：现在，我代表国务院，向大会报告政府工作。北京市、上海市……")
    assert j.is_national and j.national.name == "国务院" and j.deepest is j.national
    # The national level is no province: the four names stay empty.
    assert j.names() == {"province": "", "city": "", "county": "", "town": ""}


def test_traditional_names_are_folded():
    j = resolve_jurisdiction(title="蘇州工業園區管理委員會關於2019年法治政府建設工作情況的報告",
                             text="2019年，在市政府的正確領導下……")
    assert j.names()["county"] == "苏州工业园区"
    j = resolve_jurisdiction(title=None, text="廣東省中山市港口鎮2021年法治政府建設年度報告")
    assert j.town is not None and j.town.name == "港口镇" and j.city.name == "中山市"


def test_anonymised_and_unknown_units():
    j = resolve_jurisdiction(title="XX区2020年法治政府建设工作报告",
                             text="2020年，XX区人民政府……石嘴山市人民政府……石嘴山市XX区……宁夏")
    assert j.city.name == "石嘴山市" and j.county is None and j.unresolved == "XX区"
    j = resolve_jurisdiction(title="平顶山市某某新区2019年法治政府建设工作报告", text="2019年，新区……")
    assert j.city.name == "平顶山市" and j.unresolved == "某某新区"
    j = resolve_jurisdiction(title="平顶山市高铁枢纽示范区2019年法治政府建设工作报告", text="2019年……")
    assert j.city.name == "平顶山市" and j.county is None and j.unresolved == "高铁枢纽示范区"


# --- false hits ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "2021年，我县与中山大学签订合作协议，在中山路设立便民服务站。",
    "2021年，我区积极推进新区建设，城关片区、开发区规划有序推进。",
    "2021年，在市委、市政府的正确领导下，全面落实省《法治政府建设实施方案》。",
    "2021年，我们隆重庆祝建党一百周年，提高城乡居民收入，建设小城镇。",
    "2021年，各乡镇和县直各部门认真落实长安街沿线整治要求，人民群众满意度提升。",
    "2021年，坚持统筹发展和安全，以新安全格局保障新发展格局，推进合作共赢。",
])
def test_false_hits_are_not_places(text):
    j = resolve_jurisdiction(title="2021年法治政府建设年度报告", text=text)
    assert j is None or j.deepest is None, j


def test_superiors_and_passing_mentions_do_not_win():
    j = resolve_jurisdiction(
        title="杏花岭区2023年法治政府建设年度报告",
        text="2023年，在太原市委、市政府的坚强领导下，杏花岭区……学习浙江省杭州市余杭区经验……"
             "山西省法治政府建设示范区……北京市中闻律师事务所……",
    )
    assert j.names() == {"province": "山西省", "city": "太原市", "county": "杏花岭区", "town": ""}


def test_county_short_name_after_its_city():
    j = resolve_jurisdiction(title="保定市徐水2011年政府工作报告", text="各位代表：……")
    assert j.county is not None and j.county.name == "徐水区"


def test_jurisdiction_helpers():
    (place,) = [p for p in find_places("港口镇") if p.parent.name == "中山市"]
    j = Jurisdiction.of(place)
    assert j.deepest is place and j.county is None and j.city.name == "中山市"
    assert isinstance(place, Place) and repr(place) == "Place(广东省/中山市/港口镇)"
    assert Jurisdiction().deepest is None and Jurisdiction().names()["province"] == ""


# --- corpus ----------------------------------------------------------------------------------

# Rows of the corpus index whose labels the texts contradict (checked by hand):
CORPUS_CORRECTIONS = {
    # Filed under 保定 安新县, but the text is the 2024 report of 新安县 (洛阳, 河南): "新安成功跻身…",
    # "新安荣膺河南省肉羊大县", towns 五头镇/城关镇 of 新安县, "技能洛阳".
    "cty_anxin_2024": "河南省",
}


def corpus_rows():
    rows = []
    for index in sorted(CORPUS_DIR.glob("*/index.tsv")):
        with index.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                row["text"] = (index.parent / f"{row['id']}.txt").read_text("utf-8")
                row["folder"] = index.parent.name
                rows.append(row)
    return rows


def test_corpus_province_accuracy():
    """Text only (no title passed: many files start without one), against index.tsv."""
    rows = corpus_rows()
    per_folder: dict[str, list[int]] = {}
    misses = []
    for row in rows:
        expected = CORPUS_CORRECTIONS.get(row["id"], row["province"])
        j = resolve_jurisdiction(title=None, text=row["text"])
        got = j.province.name if j and j.province else ""
        ok = got == expected
        per_folder.setdefault(row["folder"], [0, 0])
        per_folder[row["folder"]][0] += ok
        per_folder[row["folder"]][1] += 1
        if not ok:
            misses.append((row["id"], expected, got))
    for folder, (ok, total) in per_folder.items():
        print(f"\nprovince {folder}: {ok}/{total}")
    print("misses:", misses)
    assert per_folder["provincial_gwr_2025"] == [31, 31]
    # National reports: no province (a place named in a national report is not its issuer).
    assert per_folder["state_council_wikisource"][0] == per_folder["state_council_wikisource"][1]
    ok, total = per_folder["county_gwr_baoding"]
    # Several county files have no title and name the county only by its short name
    # ("秀美容城"); 95 % leaves room for one or two of them, not for systematic errors.
    assert ok / total >= 0.95


def test_corpus_county_accuracy():
    rows = [r for r in corpus_rows() if r["level"] == "county" and r["id"] not in CORPUS_CORRECTIONS]
    ok = 0
    misses = []
    for row in rows:
        j = resolve_jurisdiction(title=None, text=row["text"])
        county = j.county.name if j and j.county else ""
        short = county[:-1] if county.endswith(("县", "区")) else county
        if county and (county in row["jurisdiction"] or short + "县" in row["jurisdiction"]):
            ok += 1
        else:
            misses.append((row["id"], row["jurisdiction"], j and j.names()))
    print(f"\ncounty: {ok}/{len(rows)}; misses: {misses}")
    assert ok / len(rows) >= 0.9
