"""Highlight query terms in the ORIGINAL text (original script kept).

Matching runs on ``fold(original)`` against ``fold(term)``; folding is
length-preserving, so spans found there are valid in the original: 广州
marks 廣州 and the reverse.  Whitespace inside the text is tolerated between
the characters of a term (the index ignores it too: 工作 marks 工 作).

All output is HTML-escaped segment by segment; only our own ``<mark>`` tags
are unescaped.  No Django, no haystack.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

from search.analysis import fold

__all__ = ["find_matches", "highlight_html", "snippet_html", "snippets_html"]

MAX_TERMS = 50
MAX_TERM_CHARS = 200
ELLIPSIS = "…"
MAX_WINDOWS = 40


def _pieces(terms) -> list[str]:
    out: list[str] = []
    for term in list(terms or [])[:MAX_TERMS]:
        if not isinstance(term, str):
            continue
        for piece in fold(term).split():
            piece = piece[:MAX_TERM_CHARS]
            if any(unicodedata.category(ch)[0] in "LN" for ch in piece) and piece not in out:
                out.append(piece)
    return out


@functools.lru_cache(maxsize=512)
def _pattern(piece: str) -> re.Pattern:
    # No look-ahead: a pattern that starts with a literal is found by re's fast scan.
    # Overlapping matches are found by searching again from the next character.
    return re.compile(r"\s*".join(re.escape(ch) for ch in piece))


def find_matches(original: str, terms: list[str]) -> list[tuple[int, int]]:
    """Sorted, merged, non-overlapping (start, end) spans of ``original`` matching a term."""
    if not original or not terms:
        return []
    return _find(fold(original), _pieces(terms))


def _find(folded: str, pieces: list[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for piece in pieces:
        search = _pattern(piece).search
        m = search(folded)
        while m is not None:
            spans.append(m.span())
            m = search(folded, m.start() + 1)
    if not spans:
        return []
    spans.sort()
    merged = [spans[0]]
    for s, e in spans[1:]:
        ls, le = merged[-1]
        if s <= le:
            merged[-1] = (ls, max(le, e))
        else:
            merged.append((s, e))
    return merged


def _render(text: str, spans: list[tuple[int, int]], lo: int, hi: int) -> str:
    parts: list[str] = []
    cur = lo
    for s, e in spans:
        if e <= lo or s >= hi:
            continue
        s, e = max(s, lo), min(e, hi)
        parts.append(html.escape(text[cur:s]))
        parts.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        cur = e
    parts.append(html.escape(text[cur:hi]))
    return "".join(parts)


def highlight_html(original: str, terms: list[str]) -> str:
    """The whole text, HTML-escaped, with ``<mark>…</mark>`` around matches."""
    if not original:
        return ""
    return _render(original, find_matches(original, terms), 0, len(original))


# Where folding may start or stop without changing the result: OpenCC's phrases never
# contain these (checked over the whole corpus: tests/search/test_highlight.py).
_CHUNK_EDGES = "\n。，；：！？、"
# How far a folded region reaches past a match offset, before and after (in widths).
_NEAR_BEFORE, _NEAR_AFTER = 1, 2
_EDGE_SEARCH = 64


def _near_regions(original: str, offsets, width: int) -> list[tuple[int, int]]:
    """Disjoint (lo, hi) regions around ``offsets`` that fold exactly as in ``fold(original)``.

    Each reaches ``_NEAR_BEFORE`` widths before and ``_NEAR_AFTER`` widths (plus the longest
    term) after its offset, then out to a chunk edge (newline or Chinese punctuation) where
    one is near: folding is chunk-local, so inside a region this is exactly ``fold``.
    """
    n = len(original)
    regions: list[list[int]] = []
    for offset in sorted(offsets):
        lo = max(0, offset - _NEAR_BEFORE * width)
        hi = min(n, offset + _NEAR_AFTER * width + MAX_TERM_CHARS)
        if regions and lo <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], hi)
        else:
            regions.append([lo, hi])
    out: list[tuple[int, int]] = []
    cur = 0
    for lo, hi in regions:
        if lo > 0:
            edge = max(original.rfind(ch, max(0, lo - _EDGE_SEARCH), lo) for ch in _CHUNK_EDGES)
            if edge >= cur:
                lo = edge + 1  # a chunk starts after its predecessor's edge character
        lo = max(lo, cur)
        if hi < n:
            edges = [original.find(ch, hi, hi + _EDGE_SEARCH) for ch in _CHUNK_EDGES]
            edges = [e for e in edges if e != -1]
            if edges:
                hi = min(edges) + 1
        if hi > lo:
            out.append((lo, hi))
        cur = max(cur, hi)
    return out


def fold_near(original: str, offsets, width: int) -> str:
    """``original`` with only the text around ``offsets`` folded (the rest as it is).

    Inside each region (``_near_regions``) this is exactly ``fold(original)``; outside them,
    text that is already simplified, narrow and lower case (nearly all of it) is its own fold.
    """
    parts: list[str] = []
    cur = 0
    for lo, hi in _near_regions(original, offsets, width):
        parts.append(original[cur:lo])
        parts.append(fold(original[lo:hi]))
        cur = hi
    parts.append(original[cur:])
    return "".join(parts)


class _NearText:
    """The folded text of a few regions of a long text: what a snippet reads near the matches.

    Spans are found only inside the regions (folded one by one, never the whole text), so a
    snippet costs the same for a 200-character section and a 50,000-character one.
    """

    def __init__(self, regions: list[tuple[int, int, str]]):
        self.regions = regions  # (lo, hi, fold(original[lo:hi])), disjoint, in text order

    @classmethod
    def of(cls, original: str, offsets, width: int) -> _NearText:
        return cls([(lo, hi, fold(original[lo:hi])) for lo, hi in _near_regions(original, offsets, width)])

    def find(self, pieces: list[str]) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for lo, _, folded in self.regions:
            spans.extend((s + lo, e + lo) for s, e in _find(folded, pieces))
        return spans  # regions are disjoint and in order, each one's spans merged: all sorted

    def __getitem__(self, window: slice) -> str:
        for lo, hi, folded in self.regions:
            if lo <= window.start < hi:
                return folded[window.start - lo : window.stop - lo]
        return ""


def snippets_html(items, terms: list[str], *, width: int = 160, max_fragments: int = 2) -> list[str]:
    """``snippet_html(original, terms, near=near)`` for each (original, near) of ``items``.

    The same snippets, but the regions of all the texts (those with ``near``) are folded in
    ONE ``fold`` call, joined by newlines: folding is chunk-local and a newline is a chunk
    edge, so each region folds as on its own (tested), and a search result page pays one
    fold call instead of one per region of each of its 60 sections.
    """
    width = max(int(width or 0), 10)
    items = list(items)
    spans_of: list[list[tuple[int, int]] | None] = []
    pieces: list[str] = []
    for original, near in items:
        if original and near is not None:
            spans_of.append(_near_regions(original, sorted(near)[:MAX_WINDOWS], width))
            pieces.extend(original[lo:hi] for lo, hi in spans_of[-1])
        else:
            spans_of.append(None)
    folded_all = fold("\n".join(pieces)) if pieces else ""
    out: list[str] = []
    at = 0
    for (original, near), regions in zip(items, spans_of):
        if regions is None:
            out.append(snippet_html(original, terms, width=width, max_fragments=max_fragments, near=near))
            continue
        folded = []
        for lo, hi in regions:
            folded.append((lo, hi, folded_all[at : at + hi - lo]))
            at += hi - lo + 1
        out.append(_snippet(original, terms, width, max_fragments, _NearText(folded)))
    return out


def snippet_html(
    original: str, terms: list[str], *, width: int = 160, max_fragments: int = 2, near=None
) -> str:
    """Up to ``max_fragments`` windows of about ``width`` chars around the best matches.

    Windows are picked greedily by the number of distinct terms, then of
    matches, they cover; shown in text order, joined and cut with "…".  A mark
    is never cut by a window edge (the window grows to contain it).  No
    match: the beginning of the text.

    ``near``: character offsets where the search index found the words (search results).
    Then only the regions around the first ``MAX_WINDOWS`` of them are folded and searched
    (``_NearText``), never the whole text: the cost no longer grows with the section's
    length.  Windows lie inside those regions, so the snippet is the one the whole text
    gives (tested) when the offsets are every match.
    """
    if not original:
        return ""
    width = max(int(width or 0), 10)
    if near is None:
        return _snippet(original, terms, width, max_fragments, None)
    # Windows are chosen among the first MAX_WINDOWS matches: only those regions are read.
    return _snippet(original, terms, width, max_fragments, _NearText.of(original, sorted(near)[:MAX_WINDOWS], width))


def _snippet(original: str, terms: list[str], width: int, max_fragments: int, near: _NearText | None) -> str:
    if not original:
        return ""
    max_fragments = max(int(max_fragments or 0), 1)
    n = len(original)
    pieces = _pieces(terms)
    if near is None:
        folded = fold(original)
        spans = _find(folded, pieces) if pieces else []
    else:
        folded = near
        spans = near.find(pieces) if pieces else []
    if not spans:
        end = min(n, width)
        return html.escape(original[:end]) + (ELLIPSIS if end < n else "")

    def window_for(span: tuple[int, int]) -> tuple[int, int]:
        s, e = span
        lo = max(0, s - width // 4)
        hi = min(n, lo + width)
        lo = max(0, min(lo, hi - width))
        # never cut a mark
        for ms, me in spans:
            if ms < lo < me:
                lo = ms
            if ms < hi < me:
                hi = me
        return lo, max(hi, e)

    def score(lo: int, hi: int) -> tuple[int, int, int]:
        window = folded[lo:hi]
        distinct = sum(1 for p in pieces if p in window)
        count = sum(1 for s, e in spans if s >= lo and e <= hi)
        return distinct, count, -lo

    # A long section can match hundreds of times; the first matches are enough to choose from.
    candidates = sorted({window_for(sp) for sp in spans[:MAX_WINDOWS]}, key=lambda w: score(*w), reverse=True)
    chosen: list[tuple[int, int]] = []
    for lo, hi in candidates:
        if len(chosen) >= max_fragments:
            break
        if any(lo < chi and clo < hi for clo, chi in chosen):
            continue
        chosen.append((lo, hi))
    chosen.sort()
    out: list[str] = []
    for k, (lo, hi) in enumerate(chosen):
        if lo > 0 and (k == 0 or chosen[k - 1][1] < lo):
            out.append(ELLIPSIS)
        out.append(_render(original, spans, lo, hi))
    if chosen[-1][1] < n:
        out.append(ELLIPSIS)
    return "".join(out)
