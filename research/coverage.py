"""Coverage: which reports the archive holds, region × year, so gaps show at a glance.

Rows are the regions at the chosen level (province or city); a row counts every report in
that region or below it (a city row includes its counties and towns).  Columns run over
every year of a window, so a missing year is an empty cell.  The default window is where the
archive's reports are: back from the latest year until it holds ``DEFAULT_SHARE`` of the dated
reports the rows count (a handful of old reports would otherwise open the page on decades of
empty cells); ``year_from``/``year_to`` choose any other window, and ``years_held`` tells the
page the full span so it can offer it.
Reports without a year or a region are counted separately (``undated``/``unplaced``); reports
outside the window are counted in ``outside``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from reports.models import Region, RegionLevel, Report, ReportKind

LEVELS = {"province": RegionLevel.PROVINCE, "city": RegionLevel.CITY}
KIND_LABELS = dict(ReportKind.choices)
PATH_STEP = 9  # tree_path segments are "%08d/"
DEFAULT_SHARE = 0.9


@dataclass
class CoverageCell:
    year: int
    count: int = 0
    kinds: dict[str, int] = field(default_factory=dict)  # kind value -> count

    @property
    def kind_labels(self) -> list[str]:
        return [f"{KIND_LABELS.get(k, k)} {n}" for k, n in sorted(self.kinds.items())]


@dataclass
class CoverageRow:
    region: Region
    label: str
    cells: list[CoverageCell]

    @property
    def total(self) -> int:
        return sum(c.count for c in self.cells)

    @property
    def years_covered(self) -> int:
        return sum(1 for c in self.cells if c.count)


@dataclass
class Coverage:
    level: str
    kind: str
    years: list[int]
    rows: list[CoverageRow]
    undated: int = 0
    unplaced: int = 0  # no region, or above the chosen level (a province's own report in city view)
    outside: int = 0  # placed and dated, but outside the years shown
    years_held: tuple[int, int] | None = None  # earliest and latest year the rows hold
    default_window: bool = True  # the years shown were chosen by DEFAULT_SHARE, not by the reader

    @property
    def year_totals(self) -> list[int]:
        return [sum(row.cells[i].count for row in self.rows) for i in range(len(self.years))]


def default_window(per_year: dict[int, int], share: float = DEFAULT_SHARE) -> tuple[int, int] | None:
    """(first, last) year: back from the latest year until ``share`` of the reports is inside."""
    if not per_year:
        return None
    total = sum(per_year.values())
    held = 0
    last = max(per_year)
    for year in sorted(per_year, reverse=True):
        held += per_year[year]
        if held >= share * total:
            return (year, last)
    return (min(per_year), last)


def coverage_matrix(
    *, level: str = "province", kind: str = "", year_from: int | None = None, year_to: int | None = None
) -> Coverage:
    level = level if level in LEVELS else "province"
    kind = kind if kind in ReportKind.values else ""
    reports = Report.objects.all()
    if kind:
        reports = reports.of_kind(kind)
    counts = list(reports.values_list("region__tree_path", "year", "kind").annotate(n=Count("pk")).order_by())
    regions = list(Region.objects.filter(level=LEVELS[level]).select_related("parent__parent"))
    by_path = {r.tree_path: r for r in regions}

    def row_of(tree_path: str | None) -> Region | None:
        path = tree_path or ""
        for end in range(PATH_STEP, len(path) + 1, PATH_STEP):
            found = by_path.get(path[:end])
            if found is not None:
                return found
        return None

    placed = []
    result = Coverage(level=level, kind=kind, years=[], rows=[])
    for tree_path, year, report_kind, n in counts:
        if not year:
            result.undated += n
            continue
        row_region = row_of(tree_path)
        if row_region is None:
            result.unplaced += n
            continue
        placed.append((row_region, year, report_kind, n))
    per_year: dict[int, int] = {}
    for _, year, _, n in placed:
        per_year[year] = per_year.get(year, 0) + n
    if per_year:
        result.years_held = (min(per_year), max(per_year))
    window = default_window(per_year)
    if window is not None and (year_from or year_to):
        result.default_window = False
        first, last = year_from or result.years_held[0], year_to or result.years_held[1]
        window = (min(first, last), max(first, last))
    years = list(range(window[0], window[1] + 1)) if window else []
    result.years = years
    column = {y: i for i, y in enumerate(years)}
    cells = {r.pk: [CoverageCell(y) for y in years] for r in regions}
    for row_region, year, report_kind, n in placed:
        if year not in column:
            result.outside += n
            continue
        cell = cells[row_region.pk][column[year]]
        cell.count += n
        cell.kinds[report_kind] = cell.kinds.get(report_kind, 0) + n

    def label(region: Region) -> str:
        if level == "city" and region.parent_id:
            return f"{region.parent.name} · {region.name}"
        return region.name

    result.rows = [CoverageRow(r, label(r), cells[r.pk]) for r in regions]
    # Regions ordered by tree (province, then its cities), which keeps provinces together.
    return result
