"""A gazetteer of China's administrative divisions and jurisdiction resolution for reports.

Data: ``jionlp/dictionary/china_location.zip`` shipped by the pinned ``jionlp`` package (a
maintained snapshot of the official division codes, down to villages).  The file is read
directly; ``jionlp`` itself is never imported (it is slow to import and pulls numpy).

The tree in the file is ``province / city / county / town / village`` with tab indentation.
Quirks of the data that are normalised here:

* Municipalities (北京市, 天津市, 上海市, 重庆市) repeat themselves as their own "city"; the
  repeat is dropped, so their districts hang directly under the province (``city`` is None).
* "省直辖行政区划" pseudo-cities (济源市, 仙桃市, 石河子市 …) are dropped: those county-level
  cities hang directly under the province.
* "市直辖行政区划" pseudo-counties (中山市, 东莞市, 儋州市, 嘉峪关市) are dropped: their towns
  hang directly under the city.
* Some towns are prefixed with their county ("济源市下冶镇"); the prefix is removed.
* Only towns, townships, streets and sumu are kept at level 4 (not farms, prisons, parks …).
* Villages are skipped.  Taiwan, Hong Kong and Macau are kept as provinces only: no report of
  this archive comes from below them, and their district names would only add homonyms.
* Counties renamed after 2002 are also known by their old names ("徐水县" → 徐水区), from
  ``china_location_change.txt`` and from the common 县改区 / 县改市 pattern.

Resolution (``resolve_jurisdiction``) works on evidence tiers: names in the title and issuer
first, then the opening (and the closing signature) of the text, then the body.  Candidates
come from the highest tier that names any place; ancestors of a candidate mentioned anywhere
in the text (full or short names: "中山", "广东") confirm it.  When homonyms cannot be told
apart the result is marked ambiguous and nothing below their common ancestor is picked.
"""

from __future__ import annotations

import importlib.util
import re
import threading
import time
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from reports.folding import is_traditional, traditional_share
from reports.folding import simplify_if_traditional as to_simplified

__all__ = [
    "NATION",
    "Jurisdiction",
    "Place",
    "find_places",
    "load",
    "load_stats",
    "place_for_code",
    "resolve_jurisdiction",
    "to_simplified",
    "is_traditional",
    "traditional_share",
]

NATIONAL, PROVINCE, CITY, COUNTY, TOWN = 0, 1, 2, 3, 4
_LEVEL_FIELD = {NATIONAL: "national", PROVINCE: "province", CITY: "city", COUNTY: "county", TOWN: "town"}


# ---------------------------------------------------------------------------------------------
# Data model
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class Place:
    """One administrative division.  Instances are unique per process: identity is equality."""

    name: str  # full official name, e.g. "港口镇", "中山市", "广东省"
    level: int  # 0 national, 1 province, 2 prefecture-level city, 3 county/district, 4 town/street
    code: str  # division code from the data ("" for towns, which have none there)
    short: str  # short name from the data or derived ("广东", "中山")
    parent: Place | None = field(default=None, repr=False)

    def chain(self) -> list[Place]:
        """From the province down to this place itself."""
        out: list[Place] = []
        node: Place | None = self
        while node is not None:
            out.append(node)
            node = node.parent
        out.reverse()
        return out

    @property
    def full_name(self) -> str:
        return "".join(p.name for p in self.chain())

    def is_ancestor_of(self, other: Place) -> bool:
        node = other.parent
        while node is not None:
            if node is self:
                return True
            node = node.parent
        return False

    def __repr__(self) -> str:  # compact: Place(广东省/中山市/港口镇)
        return f"Place({'/'.join(p.name for p in self.chain())})"


@dataclass
class Jurisdiction:
    province: Place | None = None
    city: Place | None = None
    county: Place | None = None
    town: Place | None = None
    ambiguous: bool = False  # several places fit equally well
    candidates: list[Place] = field(default_factory=list)  # the alternatives when ambiguous
    unresolved: str = ""  # a name in the text we could not place ("XX区", "城乡一体化示范区")
    # The national level (国务院 and its departments): a root beside the provinces, never one
    # of the four names below (a ministry's report has no province).
    national: Place | None = None

    @property
    def deepest(self) -> Place | None:
        for place in (self.town, self.county, self.city, self.province, self.national):
            if place is not None:
                return place
        return None

    @property
    def is_national(self) -> bool:
        return self.national is not None

    def names(self) -> dict[str, str]:
        return {
            "province": self.province.name if self.province else "",
            "city": self.city.name if self.city else "",
            "county": self.county.name if self.county else "",
            "town": self.town.name if self.town else "",
        }

    @classmethod
    def of(cls, place: Place | None, **kwargs) -> Jurisdiction:
        j = cls(**kwargs)
        if place is not None:
            for p in place.chain():
                setattr(j, _LEVEL_FIELD[p.level], p)
        return j


# The national root: 国务院 and the departments under it.  Code 100000 is the national code of
# GB/T 2260; a 统一社会信用代码 of a central organ carries it ("11100000…").
NATION = Place("国务院", NATIONAL, "100000", "国务院")


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------

_TOWN_SUFFIXES = ("镇", "乡", "街道", "苏木", "街道办事处", "办事处")
_SKIP_BELOW_PROVINCE = {"台湾省", "香港特别行政区", "澳门特别行政区", "香港", "澳门"}
_MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
# Short names that name many places or a common word: never matched on their own.
_GENERIC_SHORTS = {
    "市直辖", "省直辖", "高新区", "经开区", "示范区", "管理区", "产业园", "临港区", "新区",
    "城区", "郊区", "矿区", "东区", "西区", "南区", "北区", "市中", "城关", "城中",
}
# Full names that are also common words: matched only right after their parent's name.
_NEEDS_PARENT = {"城区", "郊区", "矿区", "东区", "西区", "南区", "北区", "新区", "市中区", "新城区"}


class _Gazetteer:
    def __init__(self) -> None:
        self.places: list[Place] = []
        self.by_name: dict[str, list[Place]] = defaultdict(list)  # full names and old names
        self.by_short: dict[str, list[Place]] = defaultdict(list)  # province, city, county shorts
        self.children_short: dict[tuple[int, str], Place] = {}  # (id(parent), short) -> county
        self.by_code: dict[str, Place] = {}  # 6-digit division code -> province, city or county
        self.street_short: dict[str, list[Place]] = defaultdict(list)  # "鹤龙街" -> 鹤龙街道
        self.name_lengths: list[int] = []
        self.end_chars: frozenset[str] = frozenset()
        self.load_seconds = 0.0
        self.counts: Counter = Counter()


def _data_path() -> Path:
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("jionlp is not installed: the gazetteer needs its china_location data")
    return Path(list(spec.submodule_search_locations)[0]) / "dictionary"


def _town_short(name: str) -> str:
    for suffix in ("街道办事处", "办事处", "街道", "苏木", "镇", "乡"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


_NON_VILLAGE_LINE = re.compile(r"^\t{0,3}[^\t\r\n][^\r\n]*", re.M)


def _build() -> _Gazetteer:
    started = time.perf_counter()
    g = _Gazetteer()
    folder = _data_path()
    with zipfile.ZipFile(folder / "china_location.zip") as zf:
        raw = zf.read("china_location.txt").decode("utf-8")
    raw = raw.replace("\r", "") if "\r" in raw[:2000] else raw

    province: Place | None = None
    city: Place | None = None  # None under pseudo-cities and in municipalities
    county: Place | None = None  # None under pseudo-counties
    county_parent: Place | None = None
    town_parent: Place | None = None
    skip_subtree = False
    places = g.places
    # Villages (four tabs) are never materialised: iterate over the other lines only.
    for match in _NON_VILLAGE_LINE.finditer(raw):
        line = match.group(0)
        if line[0] != "\t":
            parts = line.rstrip("\r").split("\t")
            name = parts[0]
            province = Place(name, PROVINCE, parts[1] if len(parts) > 1 else "",
                             parts[2] if len(parts) > 2 else name)
            places.append(province)
            skip_subtree = name in _SKIP_BELOW_PROVINCE
            city = county = None
            county_parent = town_parent = province
            continue
        if skip_subtree:
            continue
        if line[1] != "\t":
            parts = line[1:].rstrip("\r").split("\t")
            name = parts[0]
            if name.startswith(("省直辖", "自治区直辖")) or name == province.name:
                city = None
                county_parent = province
            else:
                short = parts[2] if len(parts) > 2 else name
                city = Place(name, CITY, parts[1] if len(parts) > 1 else "", short.split("/")[0], province)
                places.append(city)
                county_parent = city
            town_parent = county_parent
            continue
        if line[2] != "\t":
            parts = line[2:].rstrip("\r").split("\t")
            name = parts[0]
            if name.startswith("市直辖"):
                town_parent = county_parent
                county = None
                continue
            county = Place(name, COUNTY, parts[1] if len(parts) > 1 else "",
                           parts[2] if len(parts) > 2 else name, county_parent)
            places.append(county)
            town_parent = county
            continue
        name = line[3:].rstrip("\r")
        if not name.endswith(_TOWN_SUFFIXES):
            continue
        if name.startswith(town_parent.name) and len(name) - len(town_parent.name) >= 2 \
                and name[len(town_parent.name):] not in _TOWN_SUFFIXES:  # "七星区街道" stays whole
            name = name[len(town_parent.name):]
        if name in _TOWN_SUFFIXES:
            continue  # a bare "街道" in the data names no place
        places.append(Place(name, TOWN, "", _town_short(name), town_parent))

    by_name, by_short = g.by_name, g.by_short
    for p in places:
        by_name[p.name].append(p)
        g.counts[p.level] += 1
        if p.code:
            g.by_code.setdefault(p.code[:6], p)
        elif p.level == TOWN and p.name.endswith("街道") and len(p.name) >= 4:
            g.street_short[p.name[:-1]].append(p)  # a 街道 calls itself "XX街"
        if p.level <= COUNTY and p.short and p.short != p.name:
            by_short[p.short].append(p)
            if p.level == COUNTY and p.parent is not None:
                g.children_short[(id(p.parent), p.short)] = p

    _add_old_names(g, folder)

    g.name_lengths = sorted({len(n) for n in by_name}, reverse=True)
    g.end_chars = frozenset(n[-1] for n in by_name)
    g.by_name = dict(by_name)
    g.by_short = dict(by_short)
    g.street_short = dict(g.street_short)
    g.load_seconds = time.perf_counter() - started
    return g


def _add_old_names(g: _Gazetteer, folder: Path) -> None:
    """Old names of renamed counties and cities, pointing at today's place."""
    aliases: dict[str, set[int]] = defaultdict(set)
    by_id = {}

    def add(old: str, place: Place) -> None:
        if old and old not in g.by_name:
            aliases[old].add(id(place))
            by_id[id(place)] = place

    # 1. The change list shipped with the data:
    #    "date kind prov short city short [county short]=>prov city [county]"
    try:
        text = (folder / "china_location_change.txt").read_text("utf-8")
    except OSError:
        text = ""
    for line in text.splitlines():
        if "=>" not in line:
            continue
        left, right = line.split("=>", 1)
        old = [x for x in left.split("\t")[2:] if x]
        new = [x for x in right.split("\t") if x]
        if len(old) < 2 or not new:
            continue
        target = None
        for cand in g.by_name.get(new[-1], []):
            if len(new) < 2 or any(a.name == new[-2] for a in cand.chain()[:-1]) or cand.level == PROVINCE:
                target = cand
                break
        if target is None:
            continue
        old_name = old[-2] if len(old) % 2 == 0 else old[-1]
        add(old_name, target)
    # 2. 县改区 / 县改市: "徐水区" was "徐水县" before 2015.
    for p in g.places:
        if p.level == COUNTY and p.name.endswith(("区", "市")) and len(p.short) >= 2 \
                and p.short not in _GENERIC_SHORTS and p.name == p.short + p.name[-1]:
            add(p.short + "县", p)
    for old, ids in aliases.items():
        g.by_name.setdefault(old, []).extend(by_id[i] for i in ids)


_LOCK = threading.Lock()
_DATA: _Gazetteer | None = None


def load() -> _Gazetteer:
    """The process-wide gazetteer, built on first use."""
    global _DATA
    if _DATA is None:
        with _LOCK:
            if _DATA is None:
                _DATA = _build()
    return _DATA


def load_stats() -> dict[str, float | int]:
    g = load()
    return {
        "seconds": round(g.load_seconds, 3),
        "provinces": g.counts[PROVINCE],
        "cities": g.counts[CITY],
        "counties": g.counts[COUNTY],
        "towns": g.counts[TOWN],
        "names": len(g.by_name),
    }


def place_for_code(code: str) -> Place | None:
    """The place of a 6-digit division code ("320500" → 苏州市, "100000" → the national root)."""
    if code == NATION.code:
        return NATION
    return load().by_code.get(code)


def find_places(name: str) -> list[Place]:
    """Places whose full name (or old name) is ``name``; else the place with that short name
    when only one place has it (at the highest level sharing it)."""
    name = to_simplified((name or "").strip())
    if not name:
        return []
    g = load()
    if name in g.by_name:
        return list(g.by_name[name])
    shorts = g.by_short.get(name, [])
    if shorts:
        top = min(p.level for p in shorts)
        shorts = [p for p in shorts if p.level == top]
        if len(shorts) == 1:
            return shorts
    return []


# ---------------------------------------------------------------------------------------------
# Mention scanning
# ---------------------------------------------------------------------------------------------

# A short name followed by one of these is a street, school, park … not the place.
_SHORT_STOP = re.compile(
    r"(?:大学|学院|学校|中学|小学|医院|路|街|大道|巷|公园|广场|大桥|桥|站|机场|码头|纪念|陵|舰|号|先生|思想|装"
    r"|集团|股份|有限)")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# A 2-character county name ("易县", "和县", "新县") is only a name when it stands alone or is
# followed by an organ of government; "各乡镇和县直部门" and "建设新县城" are not places.
_TWO_CHAR_OK_AFTER = re.compile(
    r"(?:人民|政府|县委|委员|人大|政协|县长|区长|市长|\d|[0-9０-９]|年|，|,|。|、|\s|$)")
_TWO_CHAR_OK_BEFORE = set("年在于是的为对和与及将从到至向、，,。：:;；（(《“\"' \t\n　")
_ORGAN_AFTER = re.compile(
    r"(?:人民政府|政府|县委|区委|市委|镇委|党委|人大|政协|县长|区长|市长|镇长|乡长|管委会)")
_TOWN_OK_AFTER = re.compile(r"(?:人民政府|政府|党委|镇委|乡委|镇长|乡长|街道办|办事处|\d|[0-9０-９]|年)")


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    places: list[Place]
    short: bool = False


def _scan(text: str, *, shorts: bool) -> list[_Mention]:
    """Place names in ``text``: longest non-overlapping full-name matches, plus county short
    names right after their parent ("保定市徐水"), plus province/city short names if ``shorts``."""
    g = load()
    by_name = g.by_name
    lengths = g.name_lengths
    n = len(text)
    found: list[_Mention] = []
    end_chars = g.end_chars
    for j in range(n):
        if text[j] not in end_chars:
            continue
        end = j + 1
        for length in lengths:
            if length > end:
                continue
            places = by_name.get(text[end - length:end])
            if places:
                found.append(_Mention(end - length, end, places))
                break  # the longest name ending here
    if shorts:
        for short, places in _short_candidates(text):
            found.append(_Mention(short[0], short[1], places, short=True))
    # Longest first, then leftmost; drop anything overlapping an accepted mention.
    found.sort(key=lambda m: (-(m.end - m.start), m.start))
    taken = bytearray(n + 1)
    accepted: list[_Mention] = []
    for m in found:
        if any(taken[m.start:m.end]):
            continue
        if not _plausible(text, m):
            continue
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
        accepted.append(m)
    accepted.sort(key=lambda m: m.start)
    # County short names right after their parent: "保定市徐水2011年".
    extra: list[_Mention] = []
    for m in accepted:
        if m.places[0].level > CITY or m.end >= n:
            continue
        for length in (4, 3, 2):
            piece = text[m.end:m.end + length]
            if len(piece) < length or any(taken[m.end:m.end + length]):
                continue
            hits = [g.children_short.get((id(p), piece)) for p in m.places]
            hits = [h for h in hits if h is not None]
            if hits and not _SHORT_STOP.match(text, m.end + length):
                extra.append(_Mention(m.end, m.end + length, hits, short=True))
                break
    if extra:
        accepted = sorted(accepted + extra, key=lambda m: m.start)
    return [m for m in accepted if _keep_generic(text, m, accepted)]


def _short_candidates(text: str):
    g = load()
    for length in (3, 2):
        for i in range(len(text) - length + 1):
            piece = text[i:i + length]
            places = g.by_short.get(piece)
            if not places or piece in _GENERIC_SHORTS:
                continue
            places = [p for p in places if p.level <= CITY]
            if not places:
                continue
            top = min(p.level for p in places)
            yield (i, i + length), [p for p in places if p.level == top]


def _plausible(text: str, m: _Mention) -> bool:
    name_len = m.end - m.start
    if m.short:
        return not _SHORT_STOP.match(text, m.end)
    if text.startswith("域", m.end) and text[m.end - 1] == "区":  # "杏花岭区域" is a region, not the district
        return False
    before = text[m.start - 1] if m.start else ""
    boundary_before = not before or before in _TWO_CHAR_OK_BEFORE or not _HAN.match(before)
    if name_len == 2:
        return bool(_ORGAN_AFTER.match(text, m.end)) or (
            boundary_before and bool(_TWO_CHAR_OK_AFTER.match(text, m.end)))
    if all(p.level == TOWN for p in m.places):
        # Town names hide in common words ("提高城乡" → 高城乡, "小城镇"): a town counts when it
        # stands at a boundary, is followed by an organ or a year, or follows its parent.
        return boundary_before or bool(_TOWN_OK_AFTER.match(text, m.end)) or any(
            p.parent is not None and text.endswith((p.parent.name, p.parent.short), 0, m.start)
            for p in m.places)
    return True


def _keep_generic(text: str, m: _Mention, accepted: list[_Mention]) -> bool:
    """Generic-word names ("城区", "市中区") count only right after their parent's name."""
    name = text[m.start:m.end]
    if m.short or name not in _NEEDS_PARENT:
        return True
    for other in accepted:
        if other.end == m.start:
            parents = {id(p) for p in other.places}
            m.places = [p for p in m.places if p.parent is not None and id(p.parent) in parents]
            return bool(m.places)
    return False


def resolve_jurisdiction(*, title: str | None, text: str, issuer: str | None = None, **hints) -> Jurisdiction | None:
    """The jurisdiction that issues a report (``reports.jurisdiction`` holds the rules)."""
    from reports.jurisdiction import resolve

    return resolve(title=title, text=text, issuer=issuer, **hints)
