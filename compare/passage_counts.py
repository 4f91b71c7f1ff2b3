"""How many bodies in the archive hold each passage (the rarity behind copy flags).

One pass over the sections of the newest ``MAX_REPORTS`` reports, each report's passages
keyed with its own place names masked (compare.copying), counted once per reporting body (a
jurisdiction; a report without one is its own body).  Only digests held by two or more
are kept (the rest are the vast majority and mean "held by this body alone"); the result
is cached per archive state, and each report's digests under its own change stamp, so after an
import only the new report's sections are read.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache

from compare.copying import passages
from reports.models import Region, Report, Section
from research.stamp import stamp_key

MAX_REPORTS = 5000
BATCH = 500
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


def _report_key(pk: int, region_id, updated_at) -> str:
    stamp = updated_at.strftime("%Y%m%dT%H%M%S%f") if updated_at else "0"
    return f"compare:passages:{pk}:{region_id or 0}:{stamp}"


def _digests_of(report_ids: list[int], region_of: dict[int, int | None]) -> dict[int, bytes]:
    """Each report's distinct passage digests (packed 8-byte ints), read from its sections."""
    masks = masks_for({region_of[pk] for pk in report_ids if region_of[pk]})
    out: dict[int, set[int]] = {pk: set() for pk in report_ids}
    rows = (
        Section.objects.filter(report_id__in=report_ids).order_by("report_id", "order")
        .values_list("report_id", "text").iterator(chunk_size=2000)
    )
    for report_id, text in rows:
        out[report_id].update(p.digest for p in passages(text, masks.get(region_of[report_id], [])))
    return {pk: array("Q", sorted(d)).tobytes() for pk, d in out.items()}


def archive_counts() -> PassageCounts:
    """Bodies holding each passage.  Each report's digests are cached under its own change
    stamp, so after an import only the new or changed reports are read again."""
    key = stamp_key("passage-counts", MAX_REPORTS)
    cached = cache.get(key)
    if cached is not None:
        return cached
    reports = list(Report.objects.order_by("-pk").values_list("pk", "region_id", "updated_at")[:MAX_REPORTS])
    region_of = {pk: region for pk, region, _ in reports}
    keys = {pk: _report_key(pk, region, changed) for pk, region, changed in reports}
    packed: dict[int, bytes] = {}
    for i in range(0, len(reports), BATCH):
        chunk = {keys[pk]: pk for pk, _, _ in reports[i:i + BATCH]}
        packed.update({chunk[k]: v for k, v in cache.get_many(list(chunk)).items()})
    missing = [pk for pk, _, _ in reports if pk not in packed]
    for i in range(0, len(missing), BATCH):
        fresh = _digests_of(missing[i:i + BATCH], region_of)
        cache.set_many({keys[pk]: v for pk, v in fresh.items()}, 7 * 24 * 3600)
        packed.update(fresh)
    # Count each body's distinct digests once, so a county repeating its own sentence every
    # year does not make the sentence common.
    def body(pk: int) -> str:
        return str(region_of[pk]) if region_of[pk] else f"report-{pk}"

    counter: Counter[int] = Counter()
    current, digests = None, set()
    for pk in sorted(packed, key=lambda pk: (body(pk), pk)):
        if body(pk) != current:
            counter.update(digests)
            current, digests = body(pk), set()
        digests.update(array("Q", packed[pk]))
    counter.update(digests)
    bodies = len({body(pk) for pk in region_of})
    result = PassageCounts({d: n for d, n in counter.items() if n >= 2}, bodies)
    cache.set(key, result, 3600)
    return result


__all__ = ["PassageCounts", "archive_counts", "masks_for", "names_of", "report_mask"]
