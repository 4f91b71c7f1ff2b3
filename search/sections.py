"""Which sections of a matching report to show: shared by both search engines (pure)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable


def rank_sections(
    section_map: list, offsets_per_word: list[Iterable[int]], per_report: int
) -> list[int]:
    """Ids of the sections with the most query matches, best first.

    ``section_map`` is [(section id, first character offset)] in document order, as stored
    with each report document; ``offsets_per_word`` holds, for each positive query word, the
    character offsets where it occurs.  Distinct words in a section dominate, then the number
    of matches; ties keep document order.  Matches before the first section (the title) are
    no section's.
    """
    if not section_map:
        return []
    starts = [p for _, p in section_map]
    scores: dict[int, float] = {}
    for offsets in offsets_per_word:
        seen_here: set[int] = set()
        for offset in offsets:
            k = bisect.bisect_right(starts, offset) - 1
            if k < 0:
                continue
            sid = section_map[k][0]
            bonus = 1000.0 if sid not in seen_here else 0.0
            seen_here.add(sid)
            scores[sid] = scores.get(sid, 0.0) + bonus + 1.0
    best = sorted(scores.items(), key=lambda kv: -kv[1])[:per_report]
    order = {sid: i for i, (sid, _) in enumerate(section_map)}
    return sorted((sid for sid, _ in best), key=lambda sid: -scores[sid] * 1e6 + order[sid])


def offsets_in_sections(
    section_map: list, offsets_per_word: list[Iterable[int]], section_ids: Iterable[int]
) -> dict[int, list[int]]:
    """For each of ``section_ids``: the match offsets inside it, relative to its first character.

    Same inputs as ``rank_sections``.  The snippet builder folds only the text around these
    offsets (``search.highlight.snippet_html(near=...)``).
    """
    wanted = set(section_ids)
    if not section_map or not wanted:
        return {}
    starts = [p for _, p in section_map]
    out: dict[int, set[int]] = {sid: set() for sid in wanted}
    for offsets in offsets_per_word:
        for offset in offsets:
            k = bisect.bisect_right(starts, offset) - 1
            if k < 0:
                continue
            sid, start = section_map[k]
            if sid in wanted:
                out[sid].add(offset - start)
    return {sid: sorted(found) for sid, found in out.items()}
