"""How many bodies in the archive hold each passage (the rarity behind copy flags).

One pass over the sections of the newest ``MAX_REPORTS`` reports, each report's passages
keyed with its own place names masked (compare.copying), counted once per reporting body (a
jurisdiction; a report without one is its own body).  Only digests held by two or more
are kept (the rest are the vast majority and mean "held by this body alone"); the result
is cached per archive state, so the pass runs once after each change to the archive.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache

from compare.copying import passages
from reports.models import Region, Report, Section
from research.stamp import stamp_key

MAX_REPORTS = 5000
_SUFFIX = re.compile(
    r"(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|地区|新区|省|市|县|区|旗|盟|州|镇|乡|街道)$"
)


@dataclass(frozen=True)
class PassageCounts:
    held_by: dict[int, int]  # digest → bodies holding it (absent: one)
    bodies: int


def names_of(regions: list[Region]) -> list[str]:
    """Each name and its short form (甲县 → 甲), for masking a body's own place names."""
    out: list[str] = []
    for region in regions:
        out.append(region.name)
        short = _SUFFIX.sub("", region.name)
        if len(short) >= 2 and short != region.name:
            out.append(short)
    return out


def _ancestor_ids(tree_path: str) -> list[int]:
    return [int(p) for p in tree_path.split("/") if p]


def masks_for(region_ids: set[int]) -> dict[int, list[str]]:
    """region id → the names of the region and its ancestors (two queries)."""
    paths = dict(Region.objects.filter(pk__in=region_ids).values_list("pk", "tree_path"))
    ids = {a for path in paths.values() for a in _ancestor_ids(path)} | set(paths)
    by_id = {r.pk: r for r in Region.objects.filter(pk__in=ids).only("pk", "name")}
    return {
        rid: names_of([by_id[a] for a in _ancestor_ids(path) if a in by_id] or
                      ([by_id[rid]] if rid in by_id else []))
        for rid, path in paths.items()
    }


def report_mask(report: Report) -> list[str]:
    return masks_for({report.region_id}).get(report.region_id, []) if report.region_id else []


def archive_counts() -> PassageCounts:
    key = stamp_key("passage-counts", MAX_REPORTS)
    cached = cache.get(key)
    if cached is not None:
        return cached
    reports = list(Report.objects.order_by("-pk").values_list("pk", "region_id")[:MAX_REPORTS])
    region_of = dict(reports)
    masks = masks_for({r for r in region_of.values() if r})
    counter: Counter[int] = Counter()
    rows = (
        Section.objects.filter(report_id__in=list(region_of))
        .order_by("report__region_id", "report_id", "order")
        .values_list("report_id", "text").iterator(chunk_size=2000)
    )
    # Rows come body by body: count a body's distinct digests once all its reports are read,
    # so a county repeating its own sentence every year does not make the sentence common.
    current, digests = None, set()
    for report_id, text in rows:
        body = region_of[report_id] or f"report-{report_id}"
        if body != current:
            counter.update(digests)
            current, digests = body, set()
        digests.update(p.digest for p in passages(text, masks.get(region_of[report_id], [])))
    counter.update(digests)
    bodies = len({r or f"report-{pk}" for pk, r in reports})
    result = PassageCounts({d: n for d, n in counter.items() if n >= 2}, bodies)
    cache.set(key, result, 3600)
    return result


__all__ = ["PassageCounts", "archive_counts", "masks_for", "names_of", "report_mask"]
