"""Coverage: which reports the archive holds, region × year, so gaps show at a glance.

Rows are the regions at the chosen level (province or city); a row counts every report in
that region or below it (a city row includes its counties and towns).  Columns run over
every year from the earliest to the latest report year, so a missing year is an empty cell.
Reports without a year or a region are counted separately (``undated``/``unplaced``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from reports.models import Region, RegionLevel, Report, ReportKind

LEVELS = {"province": RegionLevel.PROVINCE, "city": RegionLevel.CITY}
KIND_LABELS = dict(ReportKind.choices)
PATH_STEP = 9  # tree_path segments are "%08d/"


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

    @property
    def year_totals(self) -> list[int]:
        return [sum(row.cells[i].count for row in self.rows) for i in range(len(self.years))]


def coverage_matrix(*, level: str = "province", kind: str = "") -> Coverage:
    level = level if level in LEVELS else "province"
    kind = kind if kind in ReportKind.values else ""
    reports = Report.objects.all()
    if kind:
        reports = reports.of_kind(kind)
    counts = list(reports.values_list("region__tree_path", "year", "kind").annotate(n=Count("pk")).order_by())
    regions = list(Region.objects.filter(level=LEVELS[level]).select_related("parent__parent"))
    by_path = {r.tree_path: r for r in regions}
    years_seen = sorted({y for _, y, _, _ in counts if y})
    years = list(range(years_seen[0], years_seen[-1] + 1)) if years_seen else []
    column = {y: i for i, y in enumerate(years)}
    cells = {r.pk: [CoverageCell(y) for y in years] for r in regions}
    result = Coverage(level=level, kind=kind, years=years, rows=[])
    for tree_path, year, report_kind, n in counts:
        if not year:
            result.undated += n
            continue
        row_region = None
        path = tree_path or ""
        for end in range(PATH_STEP, len(path) + 1, PATH_STEP):
            row_region = by_path.get(path[:end])
            if row_region is not None:
                break
        if row_region is None:
            result.unplaced += n
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
