"""Drill-down facets from the engine's reports-per-region-path counts.

The engines count matches per region path ("00000003/00000017/"); this module folds them into
the children of the selected region (provinces and the national root when none is selected,
cities under a province, counties under a city …) and into counts per administrative level.
Levels are generic: the national root (level 0) is one more root beside the provinces.
Work is bounded by the number of distinct regions among the matches (one query each).
Who reports (a government or one of its departments) is counted by the engine per body kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.models import BodyKind, Region, RegionLevel

LEVEL_LABELS = dict(RegionLevel.choices)
BODY_KIND_LABELS = dict(BodyKind.choices)


@dataclass
class RegionCount:
    region: Region
    count: int


@dataclass
class LevelCount:
    level: int
    label: str
    count: int


@dataclass
class BodyKindCount:
    value: str  # "gov" / "dept"
    label: str  # 政府 / 部门
    count: int


def body_kind_counts(raw: dict[str, int]) -> list[BodyKindCount]:
    """Matches per body kind, governments first; kinds without matches left out."""
    return [BodyKindCount(value, label, raw[value]) for value, label in BODY_KIND_LABELS.items() if raw.get(value)]


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.split("/") if part.isdigit()]


def drill_down(paths: dict[str, int], selected: Region | None) -> tuple[list[RegionCount], int]:
    """(children of ``selected`` with their match counts, matches at ``selected`` itself)."""
    prefix = selected.tree_path if selected is not None else ""
    counts: dict[int, int] = {}
    own = 0
    for path, n in paths.items():
        if not path.startswith(prefix):
            continue
        rest = _path_ids(path[len(prefix):])
        if rest:
            counts[rest[0]] = counts.get(rest[0], 0) + n
        else:
            own += n
    regions = Region.objects.in_bulk(list(counts))
    rows = [RegionCount(regions[pk], n) for pk, n in counts.items() if pk in regions]
    rows.sort(key=lambda row: (row.region.level, -row.count, row.region.name))
    return rows, own


def level_counts(paths: dict[str, int]) -> list[LevelCount]:
    """Matches per administrative level of each report's own region, national first."""
    leaves: dict[int, int] = {}
    for path, n in paths.items():
        ids = _path_ids(path)
        if ids:
            leaves[ids[-1]] = leaves.get(ids[-1], 0) + n
    by_level: dict[int, int] = {}
    for pk, level in Region.objects.filter(pk__in=list(leaves)).values_list("pk", "level"):
        by_level[level] = by_level.get(level, 0) + leaves[pk]
    return level_rows(by_level)


def level_rows(by_level: dict[int, int]) -> list[LevelCount]:
    """``level_counts`` from counts per level the engine already has (no region query)."""
    return [
        LevelCount(level, LEVEL_LABELS.get(level, str(level)), n) for level, n in sorted(by_level.items()) if n
    ]
