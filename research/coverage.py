"""Coverage with absences: the bodies expected to report in a region, against those held.

The expectation comes from the gazetteer (``reports.gazetteer``, every division of the
country), not from the Region table (which only has rows where the archive holds reports).
For a chosen scope the expected units are the scope's own government (本级) and every division
below it down to ``depth`` levels: a province expects its cities (and the county-level units
hanging directly under it, such as 济源市, or a municipality's districts), a city its counties
and districts (or, for 中山市/东莞市, its towns), a county its towns and streets.  The whole
country (no scope) expects the 31 mainland provinces (Taiwan, Hong Kong and Macau are outside
the rule).  Departments have no gazetteer: with ``departments`` on, a department that reported
in any year of the range is expected in every year of the range (its gaps are absences).

A unit counts as held in a year when the archive has a report of the chosen kind *by that
body* for that year: a government report (body kind 政府) whose jurisdiction is exactly the
unit.  Reports of bodies below a unit are counted beside it (``below``) but never make it
held.  Reports placed in a division the gazetteer does not know (an admin typed a name) get a
row of their own marked 名录外, outside the rates.

公开率 (publication rate) per year = held expected units / expected units; overall = held
unit-years / expected unit-years.  Work is bounded: at most ``MAX_UNITS`` rows and
``MAX_YEARS`` columns per page.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.db.models import Max, Min

from reports import gazetteer
from reports.gazetteer import Place
from reports.models import BodyKind, Region, Report, ReportKind

MAX_UNITS = 1500
MAX_YEARS = 30
MAX_INPUT = 100
DEPTHS = {1: "下一级", 2: "下两级", 3: "下三级"}
LEVEL_NAMES = {0: "国家级", 1: "省级", 2: "地级", 3: "县级", 4: "乡级"}
OUTSIDE_RULE = {"台湾省", "香港特别行政区", "澳门特别行政区"}
_SEPARATORS = re.compile(r"[>＞/／\\|｜·•›»→,，、;；\s]+")
_SUFFIXES = ("省", "市", "自治区", "区", "县", "自治县", "旗", "镇", "乡", "街道", "自治州", "州", "盟", "地区")


# -- the gazetteer as a tree ----------------------------------------------------------------


@cache
def _children() -> dict[int, list[Place]]:
    """Children of every place (id of the parent → places), in division-code order; the
    provinces under key 0."""
    out: dict[int, list[Place]] = defaultdict(list)
    for place in gazetteer.load().places:
        if place.parent is None:
            if place.name not in OUTSIDE_RULE:
                out[0].append(place)
        else:
            out[id(place.parent)].append(place)
    for places in out.values():
        places.sort(key=lambda p: (p.code or "999999999999", p.name))
    return dict(out)


def children_of(place: Place | None) -> list[Place]:
    return _children().get(0 if place is None else id(place), [])


def _chain(place: Place) -> tuple[str, ...]:
    return tuple(p.name for p in place.chain())


def place_for_chain(names: tuple[str, ...]) -> Place | None:
    """The gazetteer place whose chain of names is exactly ``names`` (province first)."""
    if not names:
        return None
    for place in gazetteer.load().by_name.get(names[-1], []):
        if _chain(place) == names:
            return place
    return None


# -- what the reader asked for ------------------------------------------------------------


@dataclass
class Scope:
    """The region whose expected units are listed; ``place`` None is the whole country."""

    query: str = ""
    place: Place | None = None
    candidates: list[Place] = field(default_factory=list)
    message: str = ""

    @property
    def label(self) -> str:
        return self.place.full_name if self.place else "全国"

    @property
    def chain(self) -> list[Place]:
        return self.place.chain() if self.place else []


def _matches(part: str, place: Place) -> bool:
    return part in (place.name, place.short) or place.name.startswith(part)


def _named(part: str) -> list[Place]:
    g = gazetteer.load()
    found = list(g.by_name.get(part, []))
    for suffix in _SUFFIXES:
        found += g.by_name.get(part + suffix, [])
    found += g.by_short.get(part, [])
    unique: dict[int, Place] = {}
    for place in found:
        unique.setdefault(id(place), place)
    return list(unique.values())


def resolve_scope(value: str) -> Scope:
    """A region typed by a reader: a name (苏州, 苏州市), a path (江苏>苏州, 江苏省苏州市 with a
    separator), a division code (320500) or an archive region id.  Several fitting places are
    offered as a choice, never silently narrowed."""
    text = gazetteer.to_simplified((value or "").strip())[:MAX_INPUT]
    scope = Scope(query=text)
    if not text or text in ("全国", "中国"):
        scope.query = ""
        return scope
    if text.isdigit():
        code = text[:6] if len(text) >= 6 else ""
        places = [p for p in gazetteer.load().places if code and p.code[:6] == code and p.level <= 3]
        if not places and len(text) < 6:
            region = Region.objects.filter(pk=int(text)).first()
            if region is not None:
                place = place_for_chain(tuple(r.name for r in region.ancestors()))
                places = [place] if place else []
        if len(places) == 1:
            scope.place = places[0]
        else:
            scope.candidates = places[:12]
            scope.message = "" if places else f"未找到区划“{text}”。"
        return scope
    parts = [p for p in _SEPARATORS.split(text) if p]
    candidates = _named(parts[-1])
    for earlier in parts[:-1]:
        candidates = [c for c in candidates if any(_matches(earlier, a) for a in c.chain()[:-1])]
    candidates = [c for c in candidates if c.chain()[0].name not in OUTSIDE_RULE]
    if len(candidates) == 1:
        scope.place = candidates[0]
    elif candidates:
        top = min(c.level for c in candidates)
        shallow = [c for c in candidates if c.level == top]
        if len(shallow) == 1 and all(c is shallow[0] or shallow[0].is_ancestor_of(c) for c in candidates):
            scope.place = shallow[0]
        else:
            scope.candidates = sorted(candidates, key=lambda c: (c.level, c.code))[:12]
            scope.message = f"“{text}”对应多个区划，请选择一个。"
    else:
        scope.message = f"未找到区划“{text}”，已显示全国。"
    return scope


@dataclass
class Params:
    scope: Scope
    kind: str = ReportKind.RULE_OF_LAW
    first: int | None = None
    last: int | None = None
    depth: int = 1
    departments: bool = False
    warnings: list[str] = field(default_factory=list)


def _year(value: str, warnings: list[str], label: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit() and 1949 <= int(value) <= 2100:
        return int(value)
    warnings.append(f"{label}“{value[:20]}”无效，应为 1949–2100 之间的年份，已使用默认值。")
    return None


def params_from_querydict(query) -> Params:
    warnings: list[str] = []
    scope = resolve_scope(query.get("region", ""))
    if scope.message:
        warnings.append(scope.message)
    kind = query.get("kind", ReportKind.RULE_OF_LAW)
    if kind not in ReportKind.values:
        if kind:
            warnings.append("报告类型无效，已使用法治政府建设年度报告。")
        kind = ReportKind.RULE_OF_LAW
    depth = query.get("depth", "1")
    depth = int(depth) if depth in ("1", "2", "3") else 1
    first = _year(query.get("from", ""), warnings, "起始年份")
    last = _year(query.get("to", ""), warnings, "截止年份")
    if first and last and first > last:
        first, last = last, first
        warnings.append("起始年份晚于截止年份，已对调。")
    return Params(scope=scope, kind=kind, first=first, last=last, depth=depth,
                  departments=query.get("departments") == "1", warnings=warnings)


# -- the table ------------------------------------------------------------------------------


@dataclass
class HeldReport:
    pk: int
    title: str


@dataclass
class UnitCell:
    year: int
    own: list[HeldReport] = field(default_factory=list)  # the body's own reports that year
    below: int = 0  # reports of bodies below this unit (and its departments) that year

    @property
    def held(self) -> bool:
        return bool(self.own)


@dataclass
class Unit:
    """One expected reporting body: a government (from the gazetteer) or a department."""

    names: tuple[str, ...]  # jurisdiction chain, province first
    level: int
    depth: int  # 0 = the scope's own government
    cells: list[UnitCell]
    department: str = ""
    code: str = ""
    listed: bool = True  # False: a jurisdiction the gazetteer does not know (名录外)
    region_id: int | None = None  # the archive's Region row, when any report created it
    expandable: bool = False  # has divisions below (a drill-down link)

    @property
    def name(self) -> str:
        body = self.names[-1] if self.names else "全国"
        return f"{body}{self.department}" if self.department else body

    @property
    def full_name(self) -> str:
        return "".join(self.names) + self.department

    @property
    def path_text(self) -> str:
        return ">".join(self.names)

    @property
    def level_label(self) -> str:
        return "部门" if self.department else LEVEL_NAMES.get(self.level, "")

    @property
    def years_held(self) -> int:
        return sum(1 for c in self.cells if c.held)

    @property
    def counted(self) -> bool:
        """Counted in the 公开率 (a listed government or an expected department)."""
        return self.listed


@dataclass
class YearRate:
    year: int
    expected: int
    held: int

    @property
    def percent(self) -> float:
        return round(100 * self.held / self.expected, 1) if self.expected else 0.0


@dataclass
class CoverageTable:
    params: Params
    years: list[int]
    units: list[Unit]
    truncated: int = 0  # expected units left off (over MAX_UNITS)
    archive_years: tuple[int, int] | None = None

    @property
    def counted_units(self) -> list[Unit]:
        return [u for u in self.units if u.counted]

    @property
    def year_rates(self) -> list[YearRate]:
        counted = self.counted_units
        return [YearRate(y, len(counted), sum(1 for u in counted if u.cells[i].held))
                for i, y in enumerate(self.years)]

    @property
    def expected_total(self) -> int:
        return len(self.counted_units) * len(self.years)

    @property
    def held_total(self) -> int:
        return sum(u.years_held for u in self.counted_units)

    @property
    def percent(self) -> float:
        return round(100 * self.held_total / self.expected_total, 1) if self.expected_total else 0.0

    def missing(self, year: int) -> list[Unit]:
        if year not in self.years:
            return []
        i = self.years.index(year)
        return [u for u in self.counted_units if not u.cells[i].held]


def archive_years(kind: str) -> tuple[int, int] | None:
    span = Report.objects.of_kind(kind).exclude(year=None).aggregate(first=Min("year"), last=Max("year"))
    return (span["first"], span["last"]) if span["first"] else None


def _expected_places(scope: Place | None, depth: int) -> list[tuple[Place, int]]:
    """(place, depth below the scope) in tree order: each unit followed by its own divisions."""
    out: list[tuple[Place, int]] = []

    def walk(place: Place | None, d: int) -> None:
        for child in children_of(place):
            out.append((child, d))
            if d < depth:
                walk(child, d + 1)

    if scope is not None:
        out.append((scope, 0))
    walk(scope, 1)
    return out


def _scope_regions(scope: Place | None) -> dict[int, tuple[tuple[str, ...], int]]:
    """Region id → (chain of names, level) for the archive's regions inside the scope."""
    regions = Region.objects.all()
    if scope is not None:
        root = None
        for name in _chain(scope):
            root = Region.objects.filter(parent=root, name=name).first()
            if root is None:
                return {}
        regions = regions.within(root)
    rows = list(regions.values_list("pk", "name", "parent_id", "level"))
    parents = {pk: (name, parent) for pk, name, parent, _ in rows}
    if scope is not None and scope.parent is not None:  # ancestors outside the subtree
        for r in Region.objects.filter(pk__in={p for _, _, p, _ in rows if p not in parents and p}):
            for a in r.ancestors():
                parents[a.pk] = (a.name, a.parent_id)
    out: dict[int, tuple[tuple[str, ...], int]] = {}
    for pk, _name, _parent, level in rows:
        names, node = [], pk
        while node is not None and node in parents:
            name, node = parents[node]
            names.append(name)
        out[pk] = (tuple(reversed(names)), level)
    return out


def coverage_table(params: Params) -> CoverageTable:
    span = archive_years(params.kind)
    first = params.first or (span[0] if span else None)
    last = params.last or (span[1] if span else None)
    if first and not last:
        last = first
    if last and not first:
        first = last
    years = list(range(first, last + 1)) if first and last else []
    if len(years) > MAX_YEARS:
        params.warnings.append(f"年份跨度过大，只显示最近 {MAX_YEARS} 年。")
        years = years[-MAX_YEARS:]
    scope = params.scope.place
    column = {y: i for i, y in enumerate(years)}

    expected = _expected_places(scope, params.depth)
    truncated = max(0, len(expected) - MAX_UNITS)
    expected = expected[:MAX_UNITS]
    units: dict[tuple, Unit] = {}
    order: list[tuple] = []
    for place, d in expected:
        key = (_chain(place), "")
        units[key] = Unit(names=key[0], level=place.level, depth=d, code=place.code,
                          cells=[UnitCell(y) for y in years], expandable=bool(children_of(place)))
        order.append(key)

    regions = _scope_regions(scope)
    scope_names = _chain(scope) if scope else ()
    deepest = len(scope_names) + params.depth
    reports = (Report.objects.of_kind(params.kind).for_years(years[0] if years else None,
                                                            years[-1] if years else None)
               .filter(region_id__in=list(regions))
               .values_list("pk", "title", "year", "region_id", "body_kind", "department")
               .order_by("year", "pk"))
    extra: dict[tuple, Unit] = {}
    for pk, title, year, region_id, body_kind, department in reports.iterator() if years else []:
        if year not in column:
            continue
        names, level = regions[region_id]
        i = column[year]
        is_dept = body_kind == BodyKind.DEPARTMENT
        # Every displayed government above the report's body counts it as "below".
        for end in range(len(scope_names) or 1, len(names) + (0 if not is_dept else 1)):
            unit = units.get((names[:end], ""))
            if unit is not None:
                unit.cells[i].below += 1
        if is_dept:
            if not params.departments or len(names) > deepest:
                continue
            key = (names, department or "部门")
            unit = units.get(key) or extra.get(key)
            if unit is None:
                gov = units.get((names, ""))
                unit = Unit(names=names, level=level, depth=(gov.depth if gov else len(names) - len(scope_names)),
                            cells=[UnitCell(y) for y in years], department=department or "部门")
                extra[key] = unit
            unit.cells[i].own.append(HeldReport(pk, title))
            continue
        unit = units.get((names, ""))
        if unit is None:
            if len(names) > deepest:
                continue  # a body below the depth shown: counted as "below" only
            unit = extra.get((names, ""))
            if unit is None:
                unit = Unit(names=names, level=level, depth=len(names) - len(scope_names),
                            cells=[UnitCell(y) for y in years], listed=False)
                extra[(names, "")] = unit
        unit.cells[i].own.append(HeldReport(pk, title))

    by_chain = {names: pk for pk, (names, _) in regions.items()}
    # Departments and unlisted bodies go right after their government (or at the end).
    placed: dict[tuple, list[tuple]] = defaultdict(list)
    for key in sorted(extra, key=lambda k: (k[0], k[1])):
        anchor = (key[0], "") if (key[0], "") in units else None
        if anchor is None:
            for end in range(len(key[0]) - 1, 0, -1):
                if (key[0][:end], "") in units:
                    anchor = (key[0][:end], "")
                    break
        placed[anchor].append(key)
    final: list[Unit] = []
    everything = {**units, **extra}
    for key in order:
        final.append(units[key])
        final.extend(everything[k] for k in placed.get(key, []))
    final.extend(everything[k] for k in placed.get(None, []))
    for unit in final:
        unit.region_id = by_chain.get(unit.names)
    return CoverageTable(params=params, years=years, units=final, truncated=truncated, archive_years=span)


CSV_FIELDS = ["unit", "jurisdiction", "level", "department", "code", "listed", "year", "held", "report_ids",
              "reports_below"]


def csv_rows(table: CoverageTable):
    """One row per unit and year: held or missing, the reports that make it held."""
    for unit in table.units:
        for cell in unit.cells:
            yield {
                "unit": unit.name, "jurisdiction": unit.path_text, "level": unit.level_label,
                "department": unit.department, "code": unit.code, "listed": int(unit.listed),
                "year": cell.year, "held": int(cell.held), "report_ids": " ".join(str(r.pk) for r in cell.own),
                "reports_below": cell.below,
            }
