"""Which jurisdiction issues a report: evidence from its title, issuer and text.

Works on evidence tiers over the names ``reports.gazetteer`` finds: names in the title and
issuer (publisher line, signature, the division code of a 统一社会信用代码) first, then the
opening (and the closing signature) of the text, then the body.  Candidates come from the
highest tier that names any place; ancestors of a candidate mentioned anywhere in the text (full
or short names: "中山", "广东") confirm it.  Places listed as examples ("上海市青浦区、江苏省苏州市
吴江区") are no evidence of the issuer.  When homonyms cannot be told apart the result is marked
ambiguous and nothing below their common ancestor is picked.

When the text names nothing plainly, the voice decides: a text that speaks as a province
("省政府", "全省", "我省") is that province's report (named by full, short or one-character
name: "法治广东", "来陕考察"); a development zone speaking of itself ("高新区以…") hangs under the
city it names; "鹤龙街" is the 街道 of that name.  National reports (国务院, its departments, the
NPC) land on the national root ``NATION``.
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from reports.gazetteer import (
    _GENERIC_SHORTS,
    _HAN,
    _ORGAN_AFTER,
    _SHORT_STOP,
    _TWO_CHAR_OK_BEFORE,
    CITY,
    COUNTY,
    NATION,
    PROVINCE,
    TOWN,
    Jurisdiction,
    Place,
    _scan,
    find_places,
    load,
    place_for_code,
    to_simplified,
)

_HEAD_CHARS = 400
_TAIL_CHARS = 300
# Unplaceable names: anonymised ("XX区", "某某县") …
_ANON = re.compile(r"(?:[XxＸｘ×＊*○〇]{1,3}|某某?)(?:自治区|省|市|县|区|镇|乡|街道|旗)")
# … and the rest of an issuer name after the last known place ("平顶山市" + "城乡一体化示范区").
_UNIT_TAIL = re.compile(
    r"[\u4e00-\u9fff]{2,14}?(?:经济技术开发区|高新技术产业开发区|开发区|示范区|新区|园区|管理区|"
    r"自治县|自治旗|街道|区|县|镇|乡|旗)(?=人民政府|政府|管委会|管理委员会|党工委|办事处|关于|落实|法治|"
    r"依法|\d|[0-9０-９]|年|\s|$|[，,。、：:（(])"
)
# Self references give the level of the issuer: "我镇", "全县" …
_SELF = {
    TOWN: re.compile(r"[我全本](?:镇|乡|街道)(?![镇乡村街（(、])"),  # not "全乡镇", "全镇村"
    COUNTY: re.compile(r"[我全本](?:县|旗)(?![市区城直级域（(、])"),  # not "全县区", "全县直"

}
_NATIONAL = re.compile(r"国务院|全国人民代表大会|中华人民共和国国务院")
# The national government speaking (only consulted when no place is named in the opening).
_NATIONAL_VOICE = re.compile(
    r"代表(?:中华人民共和国)?国务院|国务院的(?:决定|委托)|全国人民代表大会第|[我全]国各族人民|代表中央人民政府")


@dataclass
class _Evidence:
    own: dict[int, float]  # id(place) -> weighted mentions of the place itself
    tier: dict[int, int]  # id(place) -> best tier it was mentioned in (0 title/issuer, 1 head, 2 body)
    places: dict[int, Place]


def _collect(zones: list[tuple[str, int, float, bool]]) -> _Evidence:
    ev = _Evidence({}, {}, {})
    for text, tier, weight, shorts in zones:
        if not text:
            continue
        mentions = _scan(text, shorts=shorts)
        # Places listed side by side in running text are examples ("上海市青浦区、江苏省苏州市
        # 吴江区、浙江省嘉善县"), not the issuer; in a title or an issuer line they are the issuer.
        listed = _listed(text, mentions) if tier > 0 else set()
        for m in mentions:
            if id(m) in listed:
                continue
            _add(ev, m.places, weight, tier)
    return ev


def _add(ev: _Evidence, places: list[Place], weight: float, tier: int) -> None:
    share = weight / len(places)
    for p in places:
        key = id(p)
        ev.places[key] = p
        ev.own[key] = ev.own.get(key, 0.0) + share
        ev.tier[key] = min(ev.tier.get(key, 9), tier)


_LIST_SEPARATORS = frozenset("、和及与")


def _listed(text: str, mentions: list) -> set[int]:
    """ids of the mentions that are items of a list of two or more different places."""
    units: list[list] = []  # runs of adjacent mentions: 江苏省 + 苏州市 + 吴江区 is one item
    for m in mentions:
        if units and units[-1][-1].end == m.start:
            units[-1].append(m)
        else:
            units.append([m])
    listed: set[int] = set()
    run: list[list] = units[:1]

    def flush() -> None:
        if len(run) >= 2 and len({id(u[-1].places[0]) for u in run}) >= 2:
            listed.update(id(m) for u in run for m in u)

    for prev, unit in zip(units, units[1:]):
        if text[prev[-1].end:unit[0].start] in _LIST_SEPARATORS:
            run.append(unit)
        else:
            flush()
            run = [unit]
    flush()
    return listed


def _context(place: Place, text: str, cache: dict[int, float]) -> float:
    """How much the text confirms ``place``: mentions of its ancestors (full or short)."""
    score = 0.0
    node = place.parent
    while node is not None:
        key = id(node)
        if key not in cache:
            full = text.count(node.name)
            short = 0
            if node.short and node.short != node.name and node.short not in _GENERIC_SHORTS \
                    and len(node.short) >= 2:
                for mt in re.finditer(re.escape(node.short), text):
                    if not text.startswith(node.name, mt.start()) and not _SHORT_STOP.match(text, mt.end()):
                        short += 1
            cache[key] = full + 0.5 * short
        score += min(cache[key], 20.0)
        node = node.parent
    return score


def _common_ancestor(places: list[Place]) -> Place | None:
    chains = [p.chain() for p in places]
    common = None
    for level_nodes in zip(*chains):
        first = level_nodes[0]
        if all(n is first for n in level_nodes):
            common = first
        else:
            break
    return common


def _self_level(text: str) -> int | None:
    head = text[:3000]
    counts = {level: len(rx.findall(head)) for level, rx in _SELF.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] >= 2 else None


def _unresolved_name(zone: str, deepest: Place | None) -> str:
    anon = _ANON.search(zone)
    if anon:
        return anon.group(0)
    if deepest is None:
        m = _UNIT_TAIL.match(zone.strip())
        return m.group(0) if m and not find_places(m.group(0)) else ""
    # The text right after the deepest known name, up to the issuer's organ or the year.
    for pos in [mt.end() for mt in re.finditer(re.escape(deepest.name), zone)]:
        m = _UNIT_TAIL.match(zone, pos)
        if m and not load().by_name.get(m.group(0)):
            return m.group(0)
    return ""


_COMMON_WORD_SHORTS: frozenset[str] | None = None
# Well-known names that contain a county short name but are not that county (雄安新区 ⊃ 安新).
_NOT_PLACES = ("雄安新区", "雄安")
_EXTRA_COMMON = {"青山", "金山", "城区", "郊区", "矿区"}


def _common_word_shorts() -> frozenset[str]:
    """County short names that are ordinary words (合作, 平安, 共和, 长安 …), per jieba's
    dictionary: tagged as something other than a place/person name, or very frequent."""
    global _COMMON_WORD_SHORTS
    if _COMMON_WORD_SHORTS is None:
        g = load()
        shorts = {p.short for ps in g.by_short.values() for p in ps if p.level == COUNTY}
        common = set(_EXTRA_COMMON) | _GENERIC_SHORTS
        spec = importlib.util.find_spec("jieba")
        if spec and spec.submodule_search_locations:
            path = Path(list(spec.submodule_search_locations)[0]) / "dict.txt"
            try:
                with path.open(encoding="utf-8") as fh:
                    for line in fh:
                        word, _, rest = line.partition(" ")
                        if word in shorts:
                            freq, _, tag = rest.strip().partition(" ")
                            if tag not in ("ns", "nr", "nrt") or int(freq or 0) > 1000:
                                common.add(word)
            except OSError:
                pass
        _COMMON_WORD_SHORTS = frozenset(common)
    return _COMMON_WORD_SHORTS


def _add_frequent_county_short(ev: _Evidence, text: str) -> None:
    g = load()
    common = _common_word_shorts()
    for known in _NOT_PLACES:
        text = text.replace(known, "\u3000" * len(known))
    counts: Counter = Counter()
    standalone: Counter = Counter()
    for length in (3, 2):
        for i in range(len(text) - length + 1):
            piece = text[i:i + length]
            places = g.by_short.get(piece)
            if places:
                places = [p for p in places if p.level == COUNTY]
            elif length == 2:  # two-character county names ("易县") are their own short name
                places = [p for p in g.by_name.get(piece, ()) if p.level == COUNTY]
            if not places or piece in common or _SHORT_STOP.match(text, i + length):
                continue
            # Count only where the name stands apart: "秀美容城！", "（容城）", "易县被…" but not
            # "雄安新区" (安新) or "新安全格局" (新安).
            before = text[i - 1] if i else ""
            after = text[i + length] if i + length < len(text) else ""
            counts[piece] += 1
            if (not before or before in _TWO_CHAR_OK_BEFORE or not _HAN.match(before)
                    or not after or not _HAN.match(after) or after in "县的被是将与和"
                    or _ORGAN_AFTER.match(text, i + length)):
                standalone[piece] += 1
    if not counts:
        return
    (best, n1), *rest = counts.most_common(2) + [("", 0)]
    n2 = rest[0][1]
    if n1 < 3 or n1 < 2 * n2 or standalone[best] < 1:
        return
    places = [p for p in g.by_short.get(best, g.by_name.get(best, [])) if p.level == COUNTY]
    for p in places:
        key = id(p)
        ev.places[key] = p
        ev.own[key] = ev.own.get(key, 0.0) + n1 / len(places)
        ev.tier[key] = min(ev.tier.get(key, 9), 1)


def _signature_zone(text: str) -> str:
    """The closing signature: the short lines at the very end ("XX区人民政府 / 2022年3月1日")."""
    lines = [ln.strip() for ln in text[-_TAIL_CHARS:].splitlines() if ln.strip()]
    out: list[str] = []
    for ln in reversed(lines[-4:]):
        if len(ln) > 30 or ln.endswith(("。", "；", ";")):
            break
        out.append(ln)
    return "\n".join(reversed(out))


def resolve(*, title: str | None, text: str, issuer: str | None = None, national: bool = False,
            division_code: str = "", body_place: str = "") -> Jurisdiction | None:
    """The jurisdiction that issues a report, from its title, issuer and text.

    ``national``: the reporting body is a national one (国务院, a ministry), found by the caller;
    ``division_code``: the 6-digit division code of the body's 统一社会信用代码 (its place is
    tier-0 evidence, like the title); ``body_place``: the place part of the reporting body's name when
    the gazetteer may not know it ("高新区" of "高新区综治局").
    Returns None when no place at all can be found (texts without names).
    """
    title = _plain(to_simplified(title or ""))
    issuer = _plain(to_simplified(issuer or ""))
    text = _plain(to_simplified(text or ""))
    code_place = place_for_code(division_code) if division_code else None
    if national or code_place is NATION or _names_nation(title) or _names_nation(issuer):
        return Jurisdiction.of(NATION)
    head, tail = text[:_HEAD_CHARS], _signature_zone(text)
    ev = _collect([
        (title, 0, 10.0, True),
        (issuer, 0, 10.0, True),
        (head, 1, 4.0, False),  # short names in running text: "隆重庆祝" is not 重庆
        (tail, 1, 2.0, False),
        (text, 2, 1.0, False),
    ])
    if code_place is not None:
        _add(ev, [code_place], 10.0, 0)
    top_tier = min(ev.tier.values()) if ev.places else 9
    if top_tier >= 1 and _NATIONAL_VOICE.search(text[:_HEAD_CHARS]):
        return Jurisdiction.of(NATION)  # the places a national report names are not its issuer
    if top_tier >= 1:
        province = _province_by_voice(text, ev)
        if province is not None:
            return Jurisdiction.of(province)
        _add_street_short(ev, text)
        top_tier = min(ev.tier.values()) if ev.places else 9
    if top_tier >= 2:
        # Nothing named in the title or the opening.  County reports often call themselves by
        # their short name only ("秀美容城"): count county short names in the whole text.
        _add_frequent_county_short(ev, text)
        top_tier = min(ev.tier.values()) if ev.places else 9
    if not ev.places:
        anon = _ANON.search(title + " " + issuer + " " + head)
        return Jurisdiction(unresolved=anon.group(0)) if anon else None
    candidates = [p for k, p in ev.places.items() if ev.tier[k] == top_tier]
    if top_tier == 2:
        # Body only: keep the most frequently named places (at least twice); a name mentioned
        # once in passing is no evidence of the issuer — unless the issuer is a development
        # zone, which names its city rarely ("珠海市红色教育路线").
        best = max(ev.own[id(p)] for p in candidates)
        if best < 2 and not _zone_name(body_place):
            return None
        # The most often named place; its descendants named less often are parts of it
        # ("红果子镇" in a district report), not the issuer.
        candidates = [p for p in candidates if ev.own[id(p)] == best]
    # A candidate whose descendant is also a candidate is a superior ("在中山市委…，港口镇…").
    candidates = [p for p in candidates if not any(p.is_ancestor_of(q) for q in candidates)]

    pick, ambiguous = _choose(candidates, ev, text + "\n" + title + "\n" + issuer)
    zone_text = "\n".join((title, issuer, head))
    if ambiguous:
        common = _common_ancestor(ambiguous)
        return Jurisdiction.of(common, ambiguous=True, candidates=ambiguous)

    # Descend when the text speaks as a lower level ("我镇") than the place found so far.
    level = _self_level(text)
    if level is not None and level > pick.level:
        deeper = [p for k, p in ev.places.items() if pick.is_ancestor_of(p) and p.level <= level]
        if deeper:
            best = max(ev.own[id(p)] for p in deeper)
            top = [p for p in deeper if ev.own[id(p)] == best]
            if len(top) == 1 and best >= 2:
                pick = top[0]

    zone = _zone_name(body_place)
    if zone and pick.level == CITY:
        # A development zone is no division of the data: it hangs under its city as a
        # county-level place of its own ("高新区" of 珠海市 → 珠海高新区).
        name = zone if zone.startswith((pick.name, pick.short)) or zone not in _GENERIC_ZONES \
            else pick.short + zone
        return Jurisdiction.of(Place(name, COUNTY, "", zone, pick))

    unresolved = ""
    if pick.level < TOWN:
        unresolved = _unresolved_name(zone_text, pick)
        if not unresolved and pick.level < COUNTY:
            anon = _ANON.search(text[:3000])
            unresolved = anon.group(0) if anon else ""
    return Jurisdiction.of(pick, unresolved=unresolved)


# ---------------------------------------------------------------------------------------------
# The voice of the text, when it names its issuer only in passing
# ---------------------------------------------------------------------------------------------

# Mandarin readings a mirror site put after characters: "内(nèi)蒙古".
_READING = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


def _plain(text: str) -> str:
    return _READING.sub("", text) if "(" in text else text


_NATIONAL_BODY = re.compile(r"^(?:中华人民共和国)?(?:国务院|全国人民代表大会)")


def _names_nation(line: str) -> bool:
    """A title or issuer line that starts with a national body ("国务院关于…", "中华人民共和国
    国务院"), or names one with no place before it."""
    flat = re.sub(r"\s+", "", line)
    if _NATIONAL_BODY.match(flat):
        return True
    m = _NATIONAL.search(flat)
    return bool(m) and not _scan(flat[:m.start()], shorts=True)


# A province speaking: "省政府", "全省", "我省"; an autonomous region: "自治区人民政府", "全区各级".
_PROVINCE_VOICE = re.compile(r"全省|我省|本省|省政府|省人民政府|自治区|全区各级")
_LOWER_VOICE = re.compile(
    r"全市|我市|本市|市政府|市人民政府|全县|我县|本县|县政府|县人民政府|我区|本区|区政府|区人民政府|"
    r"全镇|我镇|镇政府|全乡|我乡|乡政府|街道|管委会|我局|本局|我委|我厅")
# One-character names of provinces, read only in set phrases: "来陕考察", "豫政文〔2024〕".
_ONE_CHAR = {
    "京": "北京市", "津": "天津市", "冀": "河北省", "晋": "山西省", "蒙": "内蒙古自治区", "辽": "辽宁省",
    "吉": "吉林省", "黑": "黑龙江省", "沪": "上海市", "苏": "江苏省", "浙": "浙江省", "皖": "安徽省",
    "闽": "福建省", "赣": "江西省", "鲁": "山东省", "豫": "河南省", "鄂": "湖北省", "湘": "湖南省",
    "粤": "广东省", "桂": "广西壮族自治区", "琼": "海南省", "渝": "重庆市", "川": "四川省", "蜀": "四川省",
    "黔": "贵州省", "滇": "云南省", "藏": "西藏自治区", "陕": "陕西省", "甘": "甘肃省", "陇": "甘肃省",
    "青": "青海省", "宁": "宁夏回族自治区", "新": "新疆维吾尔自治区",
}
_ONE_CHARS = "".join(_ONE_CHAR)
_ONE_CHAR_PHRASE = re.compile(
    f"(?:来|到|赴|在)([{_ONE_CHARS}])(?:考察|视察|调研)|([{_ONE_CHARS}])政(?:办)?[发文函规]〔")


def _province_by_voice(text: str, ev: _Evidence) -> Place | None:
    """The province whose government speaks in a text that names it only in passing."""
    head = text[:4000]
    own = len(_PROVINCE_VOICE.findall(head))
    lower = len(_LOWER_VOICE.findall(head))
    if own < 3 or own <= 2 * lower:
        return None
    if any(p.level > PROVINCE and ev.tier[k] <= 1 for k, p in ev.places.items()):
        return None  # a lower place named in the title or the opening is the issuer
    g = load()
    provinces = _provinces()
    votes: Counter = Counter()
    for p in provinces.values():
        votes[id(p)] += 2 * head.count(p.name)
        if len(p.short) >= 2 and p.short not in _GENERIC_SHORTS:
            for mt in re.finditer(re.escape(p.short), head):
                if not head.startswith(p.name, mt.start()) and not _SHORT_STOP.match(head, mt.end()) \
                        and not head.startswith("市", mt.end()):  # 吉林市 is not 吉林省
                    votes[id(p)] += 1
    for m in _ONE_CHAR_PHRASE.finditer(head):
        name = _ONE_CHAR[m.group(1) or m.group(2)]
        for p in g.by_name.get(name, ()):
            if p.level == PROVINCE:
                votes[id(p)] += 1
    votes = +votes
    if not votes:
        return None
    (best, n1), *rest = votes.most_common(2)
    if rest and rest[0][1] * 2 > n1:
        return None  # two provinces named about as often: no guess
    return provinces[best]


_PROVINCES: dict[int, Place] = {}


def _provinces() -> dict[int, Place]:
    """id → province, built once (the gazetteer holds some 40,000 places)."""
    if not _PROVINCES:
        _PROVINCES.update((id(p), p) for p in load().places if p.level == PROVINCE)
    return _PROVINCES


_STREET_VOICE = re.compile(r"党工委|街道办|我街|全街|本街")


def _add_street_short(ev: _Evidence, text: str) -> None:
    """A 街道 calling itself "鹤龙街" (at least twice) is named: add it as opening evidence.
    Only in a text that speaks as a 街道: elsewhere "解放街" is a street."""
    if any(p.level == TOWN for p in ev.places.values()) or not _STREET_VOICE.search(text[:4000]):
        return
    streets = load().street_short
    counts: Counter = Counter()
    for m in re.finditer(r"([\u4e00-\u9fff]{2,4}街)(?![道路巷区口])", text[:4000]):
        for length in range(len(m.group(1)), 2, -1):
            name = m.group(1)[-length:]
            if name in streets:
                counts[name] += 1
                break
    for name, n in counts.items():
        if n >= 2:
            _add(ev, streets[name], 4.0 * n, 1)


_GENERIC_ZONES = ("高新区", "经开区", "开发区", "高新技术产业开发区", "经济技术开发区", "综合保税区", "保税区",
                  "合作区", "示范区", "自贸区")
_ZONE_RE = re.compile(r"(?:" + "|".join(sorted(_GENERIC_ZONES, key=len, reverse=True)) + r")$")


def _zone_name(name: str) -> str:
    """The development zone a reporting body's name ends in ("高新区", "珠海高新区"), or ''."""
    name = (name or "").strip()
    if not name or not _ZONE_RE.search(name) or load().by_name.get(name):
        return ""
    return name


def _choose(candidates: list[Place], ev: _Evidence, text: str) -> tuple[Place | None, list[Place]]:
    """One candidate, or (None, the tied candidates)."""
    if len(candidates) == 1:
        return candidates[0], []
    cache: dict[int, float] = {}
    scored = sorted(
        ((ev.own[id(p)] + 2.0 * _context(p, text, cache), p) for p in candidates),
        key=lambda t: (-t[0], t[1].level),
    )
    (s1, p1), (s2, p2) = scored[0], scored[1]
    own1, own2 = ev.own[id(p1)], ev.own[id(p2)]
    ctx1, ctx2 = s1 - own1, s2 - own2
    # Clearly ahead: better confirmed by the context, or (same name, same context) impossible to
    # separate.  Never guess: a lead must be real, not a rounding artefact.
    if s1 > s2 and (ctx1 >= 2 * ctx2 + 1 or own1 >= 2 * own2 + 1 and ctx1 >= ctx2):
        return p1, []
    tied = [p for s, p in scored if s >= s1 - max(1.0, 0.5 * s1) or s == s1]
    return None, tied if len(tied) > 1 else [p1, p2]
