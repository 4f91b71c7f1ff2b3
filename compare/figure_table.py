"""One figure across jurisdictions and years: bodies × years, from the stored figures.

For a chosen indicator, region (its whole subtree) and year range, one row per reporting body
(jurisdiction, and department for a department's report) and one column per year; a cell is
the figure the body's rule-of-law report for that year states (an admin's correction if there
is one, compare.models.FigureCorrection).  For a rate the report does not state, the cell is
the rate computed from its parts stated in one section (compare.figures.rates) and says so;
where the report states a rate *and* its parts, a disagreement is flagged.  Several reports
of one body and year (rare: a re-issued report) give the figure of the first, and the cell
says how many there were.  Bounded: at most ``MAX_REPORTS`` reports per table.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from compare.charts import LineChart, line_chart
from compare.figures import INDICATOR_GROUPS, INDICATOR_KEYS, INDICATOR_UNITS, RATE_KEYS, derive_rates
from compare.figures.rates import FORMULAS
from compare.models import Indicator, format_value
from reports.models import BodyKind, Region, Report, ReportKind
from reports.region_lookup import lookup_region

MAX_REPORTS = 3000
MAX_CHARTS = 12
DEFAULT_KEY = "admin_litigation_cases"
_YEAR = re.compile(r"^\s*(\d{4})\s*$")


@dataclass
class TableParams:
    key: str = DEFAULT_KEY
    region: Region | None = None
    region_input: str = ""
    first: int | None = None
    last: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return INDICATOR_KEYS[self.key]

    @property
    def unit(self) -> str:
        return INDICATOR_UNITS[self.key]


def _year(value: str, warnings: list[str], what: str) -> int | None:
    if not value:
        return None
    m = _YEAR.match(value)
    if not m or not 1949 <= int(m.group(1)) <= 2100:
        warnings.append(f"{what}“{value[:10]}”无效，已忽略（请填四位年份，如 2021）。")
        return None
    return int(m.group(1))


def params_from_querydict(query) -> TableParams:
    warnings: list[str] = []
    key = query.get("indicator", "") or DEFAULT_KEY
    if key not in INDICATOR_KEYS:
        warnings.append("指标无效，已改为“行政诉讼（应诉）案件”。")
        key = DEFAULT_KEY
    region_input = str(query.get("region", "")).strip()
    lookup = lookup_region(region_input)
    if lookup.message:
        warnings.append(lookup.message)
    first = _year(query.get("from", ""), warnings, "起始年份")
    last = _year(query.get("to", ""), warnings, "截止年份")
    if first and last and first > last:
        first, last = last, first
        warnings.append("起始年份晚于截止年份，已对调。")
    return TableParams(key, lookup.region, region_input, first, last, warnings)


@dataclass
class TableCell:
    year: int
    value: float
    source: str  # stated | computed | corrected
    report: Report
    section_url: str
    sentence: str
    formula: str = ""  # for a computed rate, "败诉 9 / 案件 27"
    computed: float | None = None  # the rate from its parts, when the report also states it
    mismatch: bool = False  # stated rate and its parts disagree, or a part exceeds its whole
    reports: int = 1  # reports of this body and year

    @property
    def display(self) -> str:
        return format_value(self.value)


@dataclass
class TableRow:
    label: str
    region: Region | None
    cells: list[TableCell | None]

    @property
    def stated(self) -> int:
        return sum(1 for c in self.cells if c is not None)


@dataclass
class CrossTable:
    params: TableParams
    years: list[int]
    rows: list[TableRow]
    reports_read: int
    truncated: bool
    charts: list[tuple[str, LineChart]] = field(default_factory=list)

    @property
    def filled(self) -> int:
        return sum(r.stated for r in self.rows)

    @property
    def mismatches(self) -> list[TableCell]:
        return [c for r in self.rows for c in r.cells if c is not None and c.mismatch]


def _body(report: Report) -> tuple:
    department = report.department if report.body_kind == BodyKind.DEPARTMENT else ""
    return (report.region_id or 0, department, "" if report.region_id else report.reporting_body)


def _body_label(report: Report) -> str:
    name = report.jurisdiction_name or report.reporting_body or "地区未定"
    if report.body_kind == BodyKind.DEPARTMENT:
        name += report.department or "（部门）"
    return name


def _formula(d) -> str:
    return d.explained


def _cell_for(report: Report, rows: list[Indicator], key: str, year: int) -> TableCell | None:
    """The report's figure for ``key``: stated (or corrected), else computed from its parts."""
    stated = next((i for i in rows if i.key == key), None)
    derived = []
    if key in RATE_KEYS and key in FORMULAS:
        derived = [d for d in derive_rates((i.key, i.value, i.section_id) for i in rows) if d.key == key]
    if stated is not None:
        same_place = next((d for d in derived if d.group == stated.section_id), None)
        source = "corrected" if stated.correction_id else "stated"
        return TableCell(year, float(stated.value), source, report, stated.section.get_absolute_url(),
                         stated.sentence, _formula(same_place) if same_place else "",
                         same_place.value if same_place else None, bool(same_place and same_place.mismatch))
    if derived:
        d = derived[0]
        part = next(i for i in rows if i.section_id == d.group and i.key == d.numerator[0])
        return TableCell(year, d.value, "computed", report, part.section.get_absolute_url(), part.sentence,
                         _formula(d), mismatch=d.mismatch)
    return None


def _row_order(label_and_region: tuple[str, Region | None]) -> tuple:
    """Regions in tree order (a province's cities together, parents first), then by name."""
    label, region = label_and_region
    return (region is None, region.tree_path if region else "", label)


def _needed_keys(key: str) -> set[str]:
    if key in FORMULAS:
        numerator, denominators = FORMULAS[key]
        return {key, numerator, *denominators}
    return {key}


def cross_table(params: TableParams) -> CrossTable:
    reports = Report.objects.of_kind(ReportKind.RULE_OF_LAW).with_region().filter(year__isnull=False)
    if params.region is not None:
        reports = reports.in_region(params.region)
    reports = reports.for_years(params.first, params.last)
    reports_with_figures = reports.filter(indicators__key__in=_needed_keys(params.key)).distinct()
    chosen = list(reports_with_figures.order_by("year", "pk")[: MAX_REPORTS + 1])
    truncated = len(chosen) > MAX_REPORTS
    chosen = chosen[:MAX_REPORTS]
    figures: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in (
        Indicator.objects.for_reports(r.pk for r in chosen).filter(key__in=_needed_keys(params.key))
        .with_section().order_by("report_id", "section__order", "start")
    ):
        figures[indicator.report_id].append(indicator)

    by_body: dict[tuple, dict[int, TableCell]] = defaultdict(dict)
    labels: dict[tuple, tuple[str, Region | None]] = {}
    for report in chosen:
        body = _body(report)
        labels.setdefault(body, (_body_label(report), report.region))
        held = by_body[body].get(report.year)
        if held is not None:
            held.reports += 1
            continue
        cell = _cell_for(report, figures[report.pk], params.key, report.year)
        if cell is not None:
            by_body[body][report.year] = cell
    cells_by_body = {b: cells for b, cells in by_body.items() if cells}
    years = sorted({y for cells in cells_by_body.values() for y in cells})
    if years and (params.first or params.last):
        years = list(range(params.first or years[0], (params.last or years[-1]) + 1))
    rows = [
        TableRow(labels[b][0], labels[b][1], [cells.get(y) for y in years])
        for b, cells in sorted(cells_by_body.items(), key=lambda kv: _row_order(labels[kv[0]]))
    ]
    table = CrossTable(params, years, rows, len(chosen), truncated)
    for row in rows:
        data = [(c.year, c.value, c.section_url, c.sentence) for c in row.cells if c is not None]
        chart = line_chart(f"{params.key}-{len(table.charts)}", row.label, params.unit, data)
        if chart is not None:
            table.charts.append((row.label, chart))
        if len(table.charts) >= MAX_CHARTS:
            break
    return table


def indicator_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Indicators grouped for a <select> (行政复议, 行政诉讼, …), in display order."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for key, label in INDICATOR_KEYS.items():
        groups.setdefault(INDICATOR_GROUPS[key], []).append((key, label))
    return list(groups.items())


CSV_FIELDS = ["body", "year", "indicator", "label", "value", "unit", "source", "computed", "mismatch", "formula",
              "report_id", "report_title", "section_url", "sentence"]


def csv_rows(table: CrossTable, absolute) -> list[dict]:
    out = []
    for row in table.rows:
        for cell in row.cells:
            if cell is None:
                continue
            out.append({
                "body": row.label, "year": cell.year, "indicator": table.params.key, "label": table.params.label,
                "value": cell.display, "unit": table.params.unit, "source": cell.source,
                "computed": "" if cell.computed is None else format_value(cell.computed),
                "mismatch": int(cell.mismatch), "formula": cell.formula, "report_id": cell.report.pk,
                "report_title": cell.report.title, "section_url": absolute(cell.section_url),
                "sentence": cell.sentence,
            })
    return out


__all__ = ["CrossTable", "TableCell", "TableParams", "cross_table", "csv_rows", "indicator_choices",
           "params_from_querydict"]
