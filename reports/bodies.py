"""Who reports: a people's government (or its office), one of its departments, or a national body.

Pure functions over the title, the text and the page's metadata facts; no Django.  The body is
read, in this order of trust, from the title (also a title line inside the text), the
signature at the end, the opening sentence ("2025年，陵川县教育局在县委…"), and the publisher line
of the page — the publisher only when the text speaks as a department too ("我局", "局党组"),
because reports are often republished on a department's site (a 市政府 report on the 司法局
site).  The 统一社会信用代码 inside a 索引号 (``11`` + 6-digit division code + …) gives the
body's division whatever the text names.

Department names are recognised by their generic part — the functions every level of
government has (司法, 公安, 卫生健康, 人力资源和社会保障 …) followed by an organ suffix (局, 厅,
委员会, 办公室, 部 …) — and their common abbreviations (卫健委, 人社局, 市场监管局, 政务办) are
written out in full.  A department name without a place and ending in 部, 署 or 总局, or starting
with 国家, is a national department (自然资源部, 海关总署, 国家税务总局).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["GOVERNMENT", "DEPARTMENT", "ReportingBody", "division_code", "find_reporting_body"]

GOVERNMENT, DEPARTMENT = "gov", "dept"

# The generic part of department names, longest first inside the pattern.
_FUNCTIONS = (
    "司法", "公安", "教育", "教育和体育", "卫生健康", "卫生和计划生育", "卫生", "人力资源和社会保障",
    "人力资源社会保障", "交通运输", "交通", "市场监督管理", "自然资源", "自然资源和规划", "规划和自然资源",
    "国土资源", "生态环境", "环境保护", "财政", "民政", "商务", "住房和城乡建设", "住房城乡建设",
    "城乡建设", "农业农村", "农业", "水利", "水务", "文化和旅游", "文化广电和旅游", "文化广电旅游",
    "文化旅游", "应急管理", "安全生产监督管理", "税务", "统计", "审计", "医疗保障", "退役军人事务",
    "发展和改革", "发展改革", "工业和信息化", "经济和信息化", "科学技术", "科技", "林业", "林业和草原",
    "城市管理", "城市管理综合执法", "综合行政执法", "政务服务管理", "政务服务和数据管理", "政务服务",
    "行政审批服务", "行政审批", "大数据", "数据", "信访", "粮食和物资储备", "体育", "乡村振兴",
    "地方金融监督管理", "金融", "国有资产监督管理", "人民防空", "民族宗教事务", "民族事务", "外事",
    "综合治理", "食品药品监督管理", "药品监督管理", "新闻出版广电", "广播电视", "档案", "机关事务管理",
    "知识产权", "气象", "地震", "海洋", "能源", "邮政管理", "消防救援", "生态环境保护", "投资促进",
    "商务和投资促进", "外交", "国防", "监察", "铁道", "文化", "网信", "营商环境", "行政服务",
)
_SUFFIXES = ("委员会", "办公室", "总局", "总署", "局", "厅", "委", "办", "部", "署", "中心", "支队")
# Abbreviations written out (the key is the department as printed, the value in full).
_ABBREVIATIONS = {
    "卫健委": "卫生健康委员会", "卫健局": "卫生健康局", "人社局": "人力资源和社会保障局",
    "人社厅": "人力资源和社会保障厅", "市场监管局": "市场监督管理局", "市场监管厅": "市场监督管理厅",
    "政务办": "政务服务管理办公室", "发改委": "发展和改革委员会", "发改局": "发展和改革局",
    "住建局": "住房和城乡建设局", "住建厅": "住房和城乡建设厅", "文旅局": "文化和旅游局",
    "文旅厅": "文化和旅游厅", "综治局": "综合治理局", "应急局": "应急管理局", "交通局": "交通运输局",
    "医保局": "医疗保障局", "退役军人局": "退役军人事务局", "工信局": "工业和信息化局",
    "科技局": "科学技术局", "城管局": "城市管理局", "执法局": "综合行政执法局", "审批局": "行政审批服务局",
    "国资委": "国有资产监督管理委员会", "民宗委": "民族宗教事务委员会", "民宗局": "民族宗教事务局",
    "教体局": "教育和体育局", "卫计委": "卫生和计划生育委员会", "食药监局": "食品药品监督管理局",
    "安监局": "安全生产监督管理局", "环保局": "环境保护局", "环保厅": "环境保护厅", "国土局": "国土资源局",
    "资规局": "自然资源和规划局", "农业农村委": "农业农村委员会", "数据局": "数据局", "统计局": "统计局",
}
_DEPT = re.compile(
    "(?:" + "|".join(sorted(_ABBREVIATIONS, key=len, reverse=True)) + ")"
    + "|(?:" + "|".join(sorted(_FUNCTIONS, key=len, reverse=True)) + ")"
    + "(?:" + "|".join(_SUFFIXES) + ")(?![长员部])"  # 局长, 委员, 部门 are people and units
)
# What may stand before a department name: a place ("陵川县", "广州市海珠区"), a level ("省",
# "市"), a zone ("高新区"), or a national prefix ("中华人民共和国", "国家", "原").
_PLACE_PREFIX = re.compile(
    r"(?:中华人民共和国|中共)?([\u4e00-\u9fff]{0,20}?(?:省|自治区|市|州|盟|地区|县|旗|区|镇|乡|街道)"
    r"|国家|原)?$")
# A people's government or its office, a street office, a zone authority.
_GOV = re.compile(
    r"([\u4e00-\u9fff]{2,30}?)(?<!人民)(?<!各级)(人民政府办公厅|人民政府办公室|人民政府|政府办公室|政府|街道办事处|办事处|"
    r"管理委员会|管委会|管理局)")
# The text speaking as a department.
_DEPT_VOICE = re.compile(r"我局|本局|局党组|局党委|我委|本委|委党组|我办|本办|我厅|本厅|厅党组|我部|部党组|我署|署党组")
_NATIONAL_GOV = re.compile(r"^(?:中华人民共和国)?国务院(?:办公厅)?|^全国人民代表大会")
# The reporting body's name before the report's own name or date in a title line.
_TITLE_BODY_END = re.compile(r"\s*(?:关于|(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4}|年度|法治|依法行政|工作)")
# A 统一社会信用代码: 1 (机构编制) + 1–3 (机关, 事业单位, 中央编办直属) + 6-digit division code.
_CREDIT_CODE = re.compile(r"(?<![0-9A-Z])1[1-3](\d{6})[0-9A-HJ-NPQRTUWXY]{9}[0-9A-HJ-NPQRTUWXY](?![0-9A-Z])")


@dataclass
class ReportingBody:
    name: str = ""  # as the report names it: 苏州市司法局, 广东省人民政府, 自然资源部 ('' unknown)
    kind: str = GOVERNMENT
    department: str = ""  # for department reports, the department written out: 卫生健康委员会
    place: str = ""  # the place part of the name as printed: "苏州市", "高新区", "省" ('' none)
    national: bool = False
    source: str = ""  # where it was read: title, signature, opening, publisher
    division_code: str = ""  # from a 统一社会信用代码 in the 索引号


def division_code(index_number: str | None) -> str:
    """The 6-digit division code inside a 索引号 that starts with a 统一社会信用代码."""
    m = _CREDIT_CODE.search((index_number or "").upper())
    return m.group(1) if m else ""


def _department(fragment: str) -> tuple[str, str, str] | None:
    """(place prefix, department as printed, department written out) of the department name
    that ends ``fragment``, or None."""
    found = None
    for m in _DEPT.finditer(fragment):
        if m.end() == len(fragment):
            found = m
    if found is None:
        return None
    printed = found.group(0)
    prefix = _PLACE_PREFIX.search(fragment[:found.start()])
    place = (prefix.group(1) or "") if prefix else ""
    if found.start() > 0 and (not place or prefix.start() > 0 and not fragment.startswith("中共")):
        return None  # something else stands before it ("上级公安机关", "全市教育局")
    return place, printed, _ABBREVIATIONS.get(printed) or _written_out(printed)


def _written_out(printed: str) -> str:
    """"卫生健康委" → "卫生健康委员会"; other names as printed."""
    if printed.endswith("委") and not printed.endswith("委员会"):
        return printed + "员会"
    return printed


def _body_from_fragment(fragment: str, source: str) -> ReportingBody | None:
    """The body a name fragment ("陵川县教育局", "广东省人民政府", "原环境保护部") names."""
    fragment = re.sub(r"\s+", "", fragment or "")
    if not fragment or len(fragment) > 40:
        return None
    national_gov = _NATIONAL_GOV.match(fragment)
    if national_gov:
        return ReportingBody(name=national_gov.group(0), national=True, source=source)
    dept = _department(fragment)
    if dept is not None:
        place, printed, full = dept
        if place == "国家":
            place, printed, full = "", "国家" + printed, "国家" + full
        elif place == "原":  # "原环境保护部": the ministry before a reorganisation
            place = ""
        national = not place and (full.endswith(("部", "署", "总局")) or full.startswith("国家"))
        return ReportingBody(name=place + printed, kind=DEPARTMENT, department=full, place=place,
                             national=national, source=source)
    m = _GOV.fullmatch(fragment)
    if m:
        return ReportingBody(name=fragment, kind=GOVERNMENT, place=m.group(1), source=source)
    return None


def _title_lines(title: str, text: str) -> list[str]:
    lines = [title] if title else []
    for line in text[:1200].splitlines()[:12]:
        line = line.strip()
        if 6 <= len(line) <= 80 and ("报告" in line or "关于" in line or "情况" in line) and "如下" not in line:
            lines.append(line)
    return lines


def _from_title(line: str) -> ReportingBody | None:
    flat = line.strip()
    m = _TITLE_BODY_END.search(flat)
    if not m or m.start() == 0:
        return None
    head = re.sub(r"\s+", "", flat[:m.start()])
    head = re.sub(r"^.*[:：\]】]|^(?:标题|题目|题名)", "", head)  # a label glued before it ("题: …")
    return _body_from_fragment(head, "title")


_OPENING_SUBJECT = re.compile(
    r"(?:^|[。\n]|(?:19|20)\d{2}\s*年(?:度|以来)?\s*[,，]?)\s*([\u4e00-\u9fff]{2,30}?)"
    r"(?=在|坚持|始终|以习近平|深入|认真|全面|紧紧|紧密|聚焦|围绕|扎实|持续|着力|积极|按照|不断|立足|牢固|高度)")


_ZONE_SUBJECT = re.compile(r"[\u4e00-\u9fff]{0,8}(?:高新区|经开区|开发区|合作区|示范区|自贸区|保税区)")


_GOV_SUBJECT = re.compile(r"[\u4e00-\u9fff]{0,20}(?:政府|办事处|管委会|管理委员会)")


def _from_opening(text: str) -> ReportingBody | None:
    for m in _OPENING_SUBJECT.finditer(text[:600]):
        if _GOV_SUBJECT.fullmatch(m.group(1)):
            return None  # a government speaks ("市政府坚持…"): departments it names later are not it
        body = _body_from_fragment(m.group(1), "opening")
        # A government names itself loosely in running text ("上海市各级政府", "区政府"): only
        # departments and national bodies are taken from there.
        if body is not None and (body.kind == DEPARTMENT or body.national):
            return body
        if body is None and _ZONE_SUBJECT.fullmatch(m.group(1)):
            return ReportingBody(kind=GOVERNMENT, place=m.group(1), source="opening")  # "高新区以…"
    return None


_FUNCTION_WORD = re.compile("|".join(sorted(_FUNCTIONS, key=len, reverse=True)))
_VOICE_SUFFIX = {"局": "局", "委": "委员会", "办": "办公室", "厅": "厅", "部": "部", "署": "署"}


def _from_voice(text: str) -> ReportingBody | None:
    """A department that calls itself only "我局": its function is the one the text names most
    ("交通运输" in a report of "我局" → 交通运输局)."""
    voices = [v for v in _DEPT_VOICE.findall(text[:4000])]
    if len(voices) < 2:
        return None
    suffix = _VOICE_SUFFIX.get(max(set(v[-1] if v[0] in "我本" else v[0] for v in voices), key=voices.count), "")
    counts: dict[str, int] = {}
    for m in _FUNCTION_WORD.finditer(text[:4000]):
        counts[m.group(0)] = counts.get(m.group(0), 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not suffix or not ranked or ranked[0][1] < 3 or len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None
    full = ranked[0][0] + suffix
    return ReportingBody(name="", kind=DEPARTMENT, department=full, source="voice")


def find_reporting_body(*, title: str, text: str, page_meta: dict[str, str] | None = None) -> ReportingBody:
    """The reporting body of a report (``name`` '' when nothing names it)."""
    page_meta = page_meta or {}
    # "我局", "局党组": a department speaking (a government's report hardly ever says so).
    dept_voice = len(_DEPT_VOICE.findall(text[:4000]))
    body = None
    for line in _title_lines(title, text):
        body = _from_title(line)
        if body is not None:
            break
    if body is None and page_meta.get("signature"):
        body = _body_from_fragment(page_meta["signature"], "signature")
    if body is None:
        body = _from_opening(text)
    if body is None:
        for key in ("publisher", "source"):
            candidate = _body_from_fragment(page_meta.get(key, ""), "publisher")
            # A publisher is the site's owner, not always the reporting body: a department only
            # when the text speaks as one.
            if candidate is not None and (candidate.kind == GOVERNMENT or dept_voice >= 2):
                body = candidate
                break
    if body is None and dept_voice >= 2:
        body = _from_voice(text)
    body = body or ReportingBody()
    body.division_code = division_code(page_meta.get("index_number"))
    return body
