"""Metadata of a report: title, kind, year, publication date, script and jurisdiction.

Pure functions over the strings the parser produces (``reports/parsing.py``); no Django.
Warnings are user-facing and therefore in Chinese.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from reports.bodies import DEPARTMENT, GOVERNMENT, ReportingBody, find_reporting_body
from reports.gazetteer import (
    Jurisdiction,
    resolve_jurisdiction,
    to_simplified,
    traditional_share,
)
from reports.titles import generated_title as _generated_title
from reports.titles import title_from_text as _title_from_text

__all__ = ["ReportMetadata", "detect_script", "extract_metadata"]

FAZHI, GWR, OTHER = "fazhi", "gwr", "other"


@dataclass
class ReportMetadata:
    title: str
    title_generated: bool
    kind: str  # "fazhi", "gwr" or "other"
    year: int | None  # the year reported on (see _year for 政府工作报告)
    published: date | None
    script: str  # "simplified" or "traditional"
    jurisdiction: Jurisdiction | None
    warnings: list[str] = field(default_factory=list)
    reporting_body: str = ""  # as named or composed: 苏州市司法局, 广东省人民政府, 国务院 ('' unknown)
    body_kind: str = GOVERNMENT  # "gov" (a government or its office) or "dept" (one of its departments)
    department: str = ""  # department reports: the department written out (卫生健康委员会, 自然资源部)


# ---------------------------------------------------------------------------------------------
# Script
# ---------------------------------------------------------------------------------------------


def detect_script(text: str) -> str:
    """"traditional" when a real share of the characters changes under OpenCC t2s.

    Traditional prose changes in 20–35 % of its characters, simplified prose in ~0 % (the few
    dual-use characters such as 乾 are ignored).  A 15 % threshold with at least one changed
    character decides short titles too ("政府工作報告": 1 of 6, 17 %).
    """
    changed, cjk = traditional_share(text or "")
    if changed == 0:
        return "simplified"
    return "traditional" if changed >= _TRADITIONAL_SHARE * max(cjk, 1) else "simplified"


# Traditional prose: 20–35 % of characters change; texts transcribed with a sprinkling of
# traditional forms (the 1957 report in the corpus: 5 %) are still simplified texts.
_TRADITIONAL_SHARE = 0.15


# ---------------------------------------------------------------------------------------------
# Numbers and dates
# ---------------------------------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR = re.compile(r"([〇○零Ｏ一二三四五六七八九]{4})年")
_CN_DATE = re.compile(
    r"([〇○零Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_FULLWIDTH = str.maketrans("０１２３４５６７８９－／．", "0123456789-/.")


def _cn_small(s: str) -> int | None:
    """一 … 三十一."""
    if not s:
        return None
    if "十" not in s:
        return _CN_DIGITS.get(s) if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    t = _CN_DIGITS.get(tens, None) if tens else 1
    o = _CN_DIGITS.get(ones, None) if ones else 0
    return None if t is None or o is None else t * 10 + o


def _normalise_digits(text: str) -> str:
    """Full-width digits to ASCII, Chinese-numeral years and dates to Arabic numerals."""
    text = text.translate(_FULLWIDTH)

    def date_sub(m: re.Match) -> str:
        year = "".join(str(_CN_DIGITS[c]) for c in m.group(1))
        month, day = _cn_small(m.group(2)), _cn_small(m.group(3))
        if month is None or day is None:
            return m.group(0)
        return f"{year}年{month}月{day}日"

    text = _CN_DATE.sub(date_sub, text)
    return _CN_YEAR.sub(lambda m: "".join(str(_CN_DIGITS[c]) for c in m.group(1)) + "年", text)


_DATE = re.compile(r"((?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?")


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    m = _DATE.search(_normalise_digits(value))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _signature_date(text: str) -> date | None:
    """A date standing on its own at the end of the text ("2022年3月1日", "二〇二二年三月一日")."""
    lines = [ln.strip() for ln in text[-600:].splitlines() if ln.strip()]
    for ln in reversed(lines[-8:]):
        if len(ln) <= 40:
            found = _parse_date(ln)
            if found and _DATE.fullmatch(_normalise_digits(ln).strip(" （）()")):
                return found
            m = re.search(r"((?:19|20)\d{2}年\d{1,2}月\d{1,2}日)\s*$", _normalise_digits(ln))
            if m:
                return _parse_date(m.group(1))
    return None


# ---------------------------------------------------------------------------------------------
# Kind
# ---------------------------------------------------------------------------------------------

_FAZHI = re.compile(
    r"法治政府建设.{0,16}报告|依法行政.{0,12}报告|法治政府.{0,6}年度报告|法治建设.{0,12}(?:年度|工作|情况).{0,6}报告")
_GWR = re.compile(r"政府工作报告|人民政府工作报告")
_NOT_A_REPORT = re.compile(r"(?:决议|决定|通知|意见|批复)$")
_RESOLUTION = re.compile(r"报告的决议|听取(?:和审议)?了[^。]{0,30}报告|决定批准这个报告")
_GWR_VOICE = re.compile(
    r"向大会(?:作|报告)|各位代表|(?:19|20)\d{2}\s*年(?:工作)?回顾|过去[一五]年(?:工作)?回顾")


XXGK = "xxgk"  # 政府信息公开工作年度报告: same deadline as the 法治政府 report, a different report
_XXGK = re.compile(r"政府信息公开(?:工作)?(?:年度)?(?:情况)?报告|信息公开工作年度报告")
_FAZHI_NAME = re.compile(r"法治政府建设|依法行政|法治建设|法治政府")
_A_REPORT_OF_WORK = re.compile(r"报告|情况|总结|汇报")

# What the body of each kind says, when the title does not tell.  A 法治政府建设年度报告 has five
# required parts (主要举措和成效, 党政主要负责人履行推进法治建设第一责任人职责, 存在的不足和原因,
# 下一年度的主要安排 …) and announces itself ("现将…法治政府建设…情况报告如下"); reports of
# 2016–2020 follow the tasks of that period's 纲要 (依法全面履行政府职能 …).
_FAZHI_WORDS = re.compile(r"法治政府|依法行政|法治建设|依法治[省市县区镇乡]")
_FAZHI_PARTS = re.compile(
    r"主要举措(?:和|及)成效|存在的(?:不足|问题)|不足(?:和|及)原因|第一责任人职责|"
    r"(?:下一年度|下一步|\d{4}年)[^。\n]{0,12}(?:主要安排|工作打算|工作计划|工作思路)|"
    r"依法全面履行政府职能|完善依法行政制度体系|行政决策科学化、?民主化、?法治化|严格规范公正文明执法|"
    r"行政权力的?制约和监督|依法有效化解社会矛盾纠纷|法治思维和依法行政能力")
_ANNOUNCES = re.compile(
    r"(?:现将|现就|特将|现)[^。]{0,50}?(?:报告|汇报|总结|报)如下")
_GWR_WORDS = re.compile(
    r"各位代表|政府工作报告|国内生产总值|地区生产总值|生产总值|预期目标|请予审议|提请[^。]{0,12}审议|"
    r"今年(?:政府)?工作的?(?:总体要求|主要任务|安排)|过去[一五]年|五年来")
_XXGK_WORDS = re.compile(r"政府信息公开|主动公开|依申请公开|信息公开申请|政府信息管理|公开平台建设")


def _kind(title: str, text: str) -> str:
    title_flat = re.sub(r"\s+", "", title)
    # An NPC resolution on a report quotes the report's name: it is not the report.
    if _RESOLUTION.search(re.sub(r"\s+", "", text[:600])):
        return OTHER
    if title_flat:
        if _NOT_A_REPORT.search(title_flat):
            return OTHER
        if _XXGK.search(title_flat):
            return XXGK
        if _FAZHI.search(title_flat) or (_FAZHI_NAME.search(title_flat) and _A_REPORT_OF_WORK.search(title_flat)):
            return FAZHI
        if _GWR.search(title_flat):
            return GWR
    first_line = next((ln.strip() for ln in text[:500].splitlines() if ln.strip()), "")
    if _NOT_A_REPORT.search(first_line):
        return OTHER
    return _kind_from_body(text)


def _kind_from_body(text: str) -> str:
    """The kind whose vocabulary the opening pages use most (OTHER when none clearly)."""
    part = re.sub(r"\s+", "", text[:6000])
    head = part[:1500]
    fazhi = len(_FAZHI_WORDS.findall(part)) + 3 * len(_FAZHI_PARTS.findall(part))
    if _ANNOUNCES.search(head) and _FAZHI_WORDS.search(head):
        fazhi += 6
    gwr = 3 * len(_GWR_WORDS.findall(part)) + (6 if _GWR_VOICE.search(head[:600]) else 0)
    xxgk = 2 * len(_XXGK_WORDS.findall(part))
    scores = sorted(((fazhi, FAZHI), (gwr, GWR), (xxgk, XXGK)), reverse=True)
    (best, kind), (second, _) = scores[0], scores[1]
    # Clearly ahead, on real evidence (a short excerpt with no competing vocabulary needs less).
    if best < 1.5 * second or best < (4 if second == 0 else 6):
        return OTHER
    return kind


# ---------------------------------------------------------------------------------------------
# Year
# ---------------------------------------------------------------------------------------------

_YEAR = re.compile(r"(?<![\d.])((?:19[5-9]|20[0-4])\d)(?!\d)")
_RANGE = re.compile(r"(?:19|20)\d{2}\s*年?\s*[-—–~～至到]+\s*(?:19|20)?\d{2}\s*年?")
_REPORT_ON = re.compile(r"现将[^。；\n]{0,40}?((?:19|20)\d{2})\s*年[^。；\n]{0,40}?报告如下")
_OPENING = re.compile(r"^\s*((?:19|20)\d{2})\s*年(?:度|以来)?[，,、]", re.M)
_REVIEW = re.compile(r"((?:19|20)\d{2})\s*年(?:工作)?回顾|关于((?:19|20)\d{2})\s*年(?:的)?政府工作")
_DELIVERED = re.compile(r"((?:19|20)\d{2})年\d{1,2}月\d{1,2}日[^。\n]{0,40}?(?:人民代表大会|人大)")


def _title_year(title: str) -> int | None:
    t = _RANGE.sub(" ", _normalise_digits(title))
    years = [int(m.group(1)) for m in _YEAR.finditer(t)]
    with_nian = [int(m.group(1)) for m in re.finditer(r"((?:19|20)\d{2})\s*年", t)]
    pool = with_nian or years
    return pool[0] if pool else None


def _frequent_year(text: str, latest: int | None) -> int | None:
    part = _RANGE.sub(" ", text[:3000])
    counts = Counter(int(m.group(1)) for m in re.finditer(r"((?:19|20)\d{2})\s*年", part))
    counts = Counter({y: n for y, n in counts.items() if latest is None or y <= latest})
    if not counts:
        return None
    (y1, n1), *rest = counts.most_common(2)
    if rest and rest[0][1] == n1:
        return None  # a tie: no guess
    return y1


def _year(title: str, text: str, kind: str, published: date | None) -> tuple[int | None, str]:
    """(year, how) — the year the report is about.

    A 政府工作报告 is known by its session year: the 2025 report is delivered in January–March
    2025 and reviews 2024, but everybody (the government's own site, the press, the corpus
    index) calls it the 2025 report, and its title says 2025.  So for kind "gwr" the title year
    or the delivery date's year is used, and only "一、2024年工作回顾" is shifted by one.
    A 法治政府建设年度报告 is about the year it names ("2021年法治政府建设年度报告", published
    2022-02-14 → 2021).
    """
    year = _title_year(title)
    if year:
        return year, "title"
    norm = _normalise_digits(text[:4000])
    if kind == GWR:
        m = _DELIVERED.search(norm[:800])
        if m:
            return int(m.group(1)), "delivered"
        m = _REVIEW.search(norm[:3000])
        if m:
            return int(m.group(1) or m.group(2)) + 1, "review"
    else:
        m = _REPORT_ON.search(norm)
        if m:
            return int(m.group(1)), "report-on"
        m = _OPENING.search(norm[:800])
        if m:
            return int(m.group(1)), "opening"
    latest = published.year if published else None
    if kind == GWR:
        # The opening of a 政府工作报告 reviews the past year (or five years: "五年来"): the
        # latest year it names repeatedly is the one before the session.
        part = _RANGE.sub(" ", norm[:3000])
        counts = Counter(int(m.group(1)) for m in re.finditer(r"((?:19|20)\d{2})\s*年", part))
        repeated = [y for y, n in counts.items() if n >= 2 and (latest is None or y <= latest)]
        if repeated:
            return max(repeated) + 1, "frequent"
        return None, ""
    frequent = _frequent_year(norm, latest)
    if frequent:
        return frequent, "frequent"
    if kind == FAZHI and published and published.month <= 4:
        return published.year - 1, "published"
    return None, ""


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def extract_metadata(*, title: str | None, text: str, page_meta: dict[str, str] | None = None,
                     filename: str = "") -> ReportMetadata:
    page_meta = page_meta or {}
    text = text or ""
    raw_title = (title or "").strip()
    script = detect_script(raw_title + "\n" + text[:5000])
    simple_text = to_simplified(text) if script == "traditional" else text
    simple_title = to_simplified(raw_title) if script == "traditional" else raw_title

    found_title = simple_title or _title_from_text(simple_text)
    if not found_title and filename:
        stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", filename.rsplit("/", 1)[-1])
        if "报告" in stem or "報告" in stem:
            found_title = to_simplified(stem)
    kind = _kind(found_title, simple_text)

    published = _parse_date(page_meta.get("published")) or _parse_date(page_meta.get("signature_date")) \
        or _signature_date(simple_text)
    if published is None and kind == GWR:
        m = _DELIVERED.search(_normalise_digits(simple_text[:800]))
        published = _parse_date(m.group(0)) if m else None

    year, how = _year(found_title, simple_text, kind, published)
    warnings: list[str] = []
    if year is None:
        warnings.append("未能确定年度")
    elif how == "published":
        warnings.append(f"年度由发布日期推定：{year}")

    body = find_reporting_body(
        title=found_title, text=simple_text, page_meta={k: to_simplified(v or "") for k, v in page_meta.items()})
    issuer = " ".join(v for v in (page_meta.get("signature"), page_meta.get("publisher"), body.name) if v)
    jurisdiction = resolve_jurisdiction(
        title=found_title or None, text=simple_text, issuer=issuer or None, national=body.national,
        division_code=body.division_code, body_place=body.place)
    if jurisdiction is None:
        warnings.append("未能确定地区")
    elif jurisdiction.ambiguous:
        alternatives = "、".join(
            "".join(p.name for p in c.chain()[:-1]) for c in jurisdiction.candidates)
        name = jurisdiction.candidates[0].name if jurisdiction.candidates else ""
        warnings.append(f"地区有歧义：{name}（{alternatives}）")
    elif jurisdiction.unresolved:
        warnings.append(f"未能确定地区：{jurisdiction.unresolved}")

    reporting_body = _as_written(_body_name(body, jurisdiction), [(simple_title, raw_title), (simple_text, text)])
    if found_title:
        # Keep the title as written (traditional stays traditional); only list numbering goes.
        out_title = raw_title or (_title_from_text(text) or found_title)
        generated = False
    else:
        out_title = _generated_title(jurisdiction, year, kind, body=reporting_body)
        generated = True
        warnings.append("标题为自动生成")
    return ReportMetadata(
        title=out_title, title_generated=generated, kind=kind, year=year, published=published,
        script=script, jurisdiction=jurisdiction, warnings=warnings,
        reporting_body=reporting_body,
        body_kind=body.kind,
        department=body.department if body.kind == DEPARTMENT else "",
    )


def _as_written(name: str, sources: list[tuple[str, str]]) -> str:
    """``name`` in the script the report is written in: folding is length-preserving, so the
    span it has in a simplified source is its span in the original."""
    for simple, original in sources:
        at = simple.find(name) if name and simple is not original else -1
        if at >= 0 and len(simple) == len(original):
            return original[at:at + len(name)]
    return name


def _body_name(body: ReportingBody, j: Jurisdiction | None) -> str:
    """The reporting body's name: as printed when it names its place, else composed from the
    jurisdiction ("市卫生健康委" of 张掖市 → 张掖市卫生健康委员会; no name → 广东省人民政府)."""
    place = ""
    if j is not None and not j.ambiguous and j.deepest is not None:
        place = j.deepest.name if j.is_national or j.deepest.level <= 2 else \
            "".join(p.name for p in j.deepest.chain()[-2:])
    if body.kind == DEPARTMENT:
        if body.national:
            return body.name or body.department
        if body.name and len(body.place) >= 2:
            return body.name
        return place + body.department
    if body.national:
        return body.name
    if body.name and len(body.place) >= 2:
        return body.name
    if not place:
        return ""
    if j.is_national:
        return place
    if j.deepest.level == 4 and place.endswith("街道"):
        return place + "办事处"
    if j.deepest.level == 3 and not j.deepest.code:  # a development zone
        return place + "管理委员会"
    return place + "人民政府"
