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
        for m in _scan(text, shorts=shorts):
            share = weight / len(m.places)
            for p in m.places:
                key = id(p)
                ev.places[key] = p
                ev.own[key] = ev.own.get(key, 0.0) + share
                ev.tier[key] = min(ev.tier.get(key, 9), tier)
    return ev


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


def resolve(*, title: str | None, text: str, issuer: str | None = None) -> Jurisdiction | None:
    """The jurisdiction that issues a report, from its title, issuer and text.

    Returns None when no place at all can be found (national reports, texts without names).
    """
    title = to_simplified(title or "")
    issuer = to_simplified(issuer or "")
    text = to_simplified(text or "")
    if _NATIONAL.search(title) or _NATIONAL.search(issuer):
        return None
    head, tail = text[:_HEAD_CHARS], _signature_zone(text)
    ev = _collect([
        (title, 0, 10.0, True),
        (issuer, 0, 10.0, True),
        (head, 1, 4.0, False),  # short names in running text: "隆重庆祝" is not 重庆
        (tail, 1, 2.0, False),
        (text, 2, 1.0, False),
    ])
    top_tier = min(ev.tier.values()) if ev.places else 9
    if top_tier >= 1 and _NATIONAL_VOICE.search(text[:_HEAD_CHARS]):
        return None  # a national report: the places it names are not its issuer
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
        # once in passing is no evidence of the issuer.
        best = max(ev.own[id(p)] for p in candidates)
        if best < 2:
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

    unresolved = ""
    if pick.level < TOWN:
        unresolved = _unresolved_name(zone_text, pick)
        if not unresolved and pick.level < COUNTY:
            anon = _ANON.search(text[:3000])
            unresolved = anon.group(0) if anon else ""
    return Jurisdiction.of(pick, unresolved=unresolved)


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
