"""Text similarity, character diffs, section alignment and copy detection (pure: no Django, no I/O).

All comparisons run on *folded* text (traditional → simplified, full-width → ASCII, see
``search.folding.fold``) with whitespace removed, so a traditional-script copy of a
simplified section scores as a copy.  ``char_diff`` is the exception: it is for display and
must reproduce both original texts exactly, so it diffs the originals.

Speed.  ``difflib.SequenceMatcher`` is quadratic in the worst case.  Texts are therefore
compared in two levels: sentences first (a SequenceMatcher over the sentence lists), then
characters inside the changed blocks only.  ``similarity`` first estimates the overlap from
character 3-gram sets (Dice coefficient, linear time); when that estimate is low the texts
are unrelated and the estimate is returned as is, otherwise the exact two-level ratio
``2·M/T`` (M = characters in equal runs, T = total length) is computed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Sequence

from compare.topics import strip_number
from search.folding import fold

__all__ = [
    "DiffOp",
    "Alignment",
    "SectionText",
    "similarity",
    "char_diff",
    "align_sections",
    "likely_copies",
]

# Below this combined length a plain character SequenceMatcher is cheap enough.
_DIRECT_LIMIT = 800
# 3-gram Dice below which two texts are treated as unrelated without an exact diff.
_PREFILTER = 0.3
# A changed block larger than this (characters on each side) is not diffed by character.
_BLOCK_LIMIT = 3000


@dataclass
class DiffOp:
    kind: str  # "equal" | "insert" | "delete"
    text: str


@dataclass
class Alignment:
    left: int | None
    right: int | None
    score: float


@dataclass
class SectionText:
    heading: str
    text: str
    topic: str = ""


# ---------------------------------------------------------------------------
# Normalisation and cheap profiles
# ---------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;\n]|$)")


def _norm(text: str) -> str:
    return _SPACE.sub("", fold(text or ""))


def _grams(s: str, n: int = 3) -> set[str]:
    if len(s) < n:
        return {s} if s else set()
    return {s[i:i + n] for i in range(len(s) - n + 1)}


def _dice(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def _sentences(s: str) -> list[str]:
    return [m.group(0) for m in _SENTENCE.finditer(s) if m.group(0)]


# ---------------------------------------------------------------------------
# Two-level opcodes
# ---------------------------------------------------------------------------


def _opcodes(a: str, b: str) -> list[tuple[str, str, str]]:
    """(tag, a_part, b_part) with tag equal/replace/delete/insert, sentence level then character."""
    if len(a) + len(b) <= _DIRECT_LIMIT:
        sm = SequenceMatcher(None, a, b, autojunk=False)
        return [(t, a[i1:i2], b[j1:j2]) for t, i1, i2, j1, j2 in sm.get_opcodes()]
    sa, sb = _sentences(a), _sentences(b)
    out: list[tuple[str, str, str]] = []
    sm = SequenceMatcher(None, sa, sb, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        pa, pb = "".join(sa[i1:i2]), "".join(sb[j1:j2])
        if tag == "replace" and i2 - i1 == j2 - j1 > 1:
            # As many sentences on both sides: each was edited in place; diffing them pairwise
            # is much cheaper than one quadratic diff of the whole block.
            for x, y in zip(sa[i1:i2], sb[j1:j2]):
                inner = SequenceMatcher(None, x, y, autojunk=False)
                out.extend((t, x[x1:x2], y[y1:y2]) for t, x1, x2, y1, y2 in inner.get_opcodes())
        elif tag == "replace" and len(pa) <= _BLOCK_LIMIT and len(pb) <= _BLOCK_LIMIT:
            inner = SequenceMatcher(None, pa, pb, autojunk=False)
            out.extend((t, pa[x1:x2], pb[y1:y2]) for t, x1, x2, y1, y2 in inner.get_opcodes())
        else:
            out.append((tag, pa, pb))
    return out


def _ratio(a: str, b: str) -> float:
    total = len(a) + len(b)
    if not total:
        return 1.0
    matched = sum(len(pa) for tag, pa, _ in _opcodes(a, b) if tag == "equal")
    return 2 * matched / total


def similarity(a: str, b: str) -> float:
    """0..1 character-level similarity of two texts, after folding and removing whitespace."""
    fa, fb = _norm(a), _norm(b)
    return _similarity_normed(fa, fb)


def _similarity_normed(fa: str, fb: str, ga: set[str] | None = None, gb: set[str] | None = None) -> float:
    if not fa and not fb:
        return 1.0
    if not fa or not fb:
        return 0.0
    if fa == fb:
        return 1.0
    if len(fa) + len(fb) > _DIRECT_LIMIT:
        estimate = _dice(ga if ga is not None else _grams(fa), gb if gb is not None else _grams(fb))
        if estimate < _PREFILTER:
            return estimate
    return _ratio(fa, fb)


# ---------------------------------------------------------------------------
# Display diff
# ---------------------------------------------------------------------------


def char_diff(old: str, new: str, *, merge_below: int = 2) -> list[DiffOp]:
    """Character-level diff of the original texts; ``equal`` + ``delete`` parts rebuild ``old``,
    ``equal`` + ``insert`` parts rebuild ``new``.

    An equal run of at most ``merge_below`` characters between two changes is folded into the
    change (shown deleted and re-inserted), so an edited phrase reads as one replacement rather
    than confetti.  Pass ``merge_below=0`` for the raw diff.
    """
    old, new = old or "", new or ""
    raw: list[tuple[str, str, str]] = _opcodes(old, new)
    # Group into alternating equal runs and change chunks (old_part, new_part).
    chunks: list[tuple[str, str, str]] = []  # ("equal", text, text) or ("change", old_part, new_part)
    for tag, pa, pb in raw:
        if tag == "equal":
            chunks.append(("equal", pa, pb))
        elif chunks and chunks[-1][0] == "change":
            _, oa, ob = chunks[-1]
            chunks[-1] = ("change", oa + pa, ob + pb)
        else:
            chunks.append(("change", pa, pb))
    if merge_below > 0:
        merged: list[tuple[str, str, str]] = []
        i = 0
        while i < len(chunks):
            kind, pa, pb = chunks[i]
            if (
                kind == "equal" and len(pa) <= merge_below and merged and merged[-1][0] == "change"
                and i + 1 < len(chunks) and chunks[i + 1][0] == "change"
            ):
                _, oa, ob = merged[-1]
                _, na, nb = chunks[i + 1]
                merged[-1] = ("change", oa + pa + na, ob + pb + nb)
                i += 2
                continue
            if kind == "change" and merged and merged[-1][0] == "change":
                _, oa, ob = merged[-1]
                merged[-1] = ("change", oa + pa, ob + pb)
            else:
                merged.append((kind, pa, pb))
            i += 1
        chunks = merged
    ops: list[DiffOp] = []
    for kind, pa, pb in chunks:
        if kind == "equal":
            if pa:
                ops.append(DiffOp("equal", pa))
        else:
            if pa:
                ops.append(DiffOp("delete", pa))
            if pb:
                ops.append(DiffOp("insert", pb))
    return ops


# ---------------------------------------------------------------------------
# Alignment of two reports' sections
# ---------------------------------------------------------------------------

TOPIC_WEIGHT = 0.25
HEADING_WEIGHT = 0.35
TEXT_WEIGHT = 0.4
MIN_ALIGN_SCORE = 0.3   # a pair scoring below this is never aligned
STRONG_ALIGN_SCORE = 0.6  # an out-of-order pair above this is still aligned ("moved")
_VAGUE_TOPICS = frozenset({"", "other", "overview"})


@dataclass
class _Prepared:
    head: str
    text: str
    grams: set[str]
    topic: str


def _prepare(s: SectionText | str) -> _Prepared:
    if isinstance(s, str):
        s = SectionText("", s, "")
    text = _norm(s.text)
    return _Prepared(_norm(strip_number(fold(s.heading or ""))), text, _grams(text), s.topic or "")


def _pair_score(a: _Prepared, b: _Prepared) -> float:
    topic = 1.0 if a.topic and a.topic == b.topic else 0.0
    if a.topic in _VAGUE_TOPICS or b.topic in _VAGUE_TOPICS:
        topic *= 0.5
    if a.head or b.head:
        head = SequenceMatcher(None, a.head, b.head, autojunk=False).ratio()
        weights = (TOPIC_WEIGHT, HEADING_WEIGHT, TEXT_WEIGHT)
    else:
        head = 0.0
        weights = (TOPIC_WEIGHT, 0.0, TEXT_WEIGHT + HEADING_WEIGHT)
    # Text: the cheap 3-gram Dice is enough to rank candidates for alignment.
    text = _dice(a.grams, b.grams) if (a.text or b.text) else 0.0
    return weights[0] * topic + weights[1] * head + weights[2] * text


def align_sections(left: Sequence[SectionText], right: Sequence[SectionText]) -> list[Alignment]:
    """Align the sections of two reports (typically one jurisdiction, two years).

    Pair score = 0.25·same topic (halved for overview/other) + 0.35·heading similarity +
    0.4·text 3-gram Dice.  A dynamic programme picks the order-preserving set of pairs
    (each ≥ ``MIN_ALIGN_SCORE``) with the highest total; then sections left over on both sides
    are paired greedily when their score reaches ``STRONG_ALIGN_SCORE`` even though that
    crosses the order (a chapter moved).  Every section appears exactly once: unmatched ones
    are aligned to ``None``.  The result follows the right-hand (newer) report's order, with
    left-only sections placed just before the next aligned pair (deletions before insertions).
    """
    lp = [_prepare(s) for s in left]
    rp = [_prepare(s) for s in right]
    n, m = len(lp), len(rp)
    score = [[_pair_score(a, b) for b in rp] for a in lp]

    # best[i][j]: best total aligning lp[i:], rp[j:].
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, nxt = best[i], best[i + 1]
        for j in range(m - 1, -1, -1):
            cand = max(nxt[j], row[j + 1])
            s = score[i][j]
            if s >= MIN_ALIGN_SCORE:
                cand = max(cand, s + nxt[j + 1])
            row[j] = cand
    pairs: dict[int, tuple[int, float]] = {}
    i = j = 0
    while i < n and j < m:
        s = score[i][j]
        if s >= MIN_ALIGN_SCORE and abs(best[i][j] - (s + best[i + 1][j + 1])) < 1e-12:
            pairs[i] = (j, s)
            i += 1
            j += 1
        elif abs(best[i][j] - best[i + 1][j]) < 1e-12:
            i += 1
        else:
            j += 1

    # Moved sections: strong out-of-order pairs among the leftovers.
    used_right = {j for j, _ in pairs.values()}
    leftovers = sorted(
        ((score[i][j], i, j) for i in range(n) if i not in pairs for j in range(m) if j not in used_right
         and score[i][j] >= STRONG_ALIGN_SCORE),
        reverse=True,
    )
    for s, i, j in leftovers:
        if i not in pairs and j not in used_right:
            pairs[i] = (j, s)
            used_right.add(j)

    # Output: right order; a left-only section goes after the previous left section's slot.
    right_to_left = {j: (i, s) for i, (j, s) in pairs.items()}
    out: list[Alignment] = []
    left_done: set[int] = set()

    def flush_left_until(limit: int) -> None:
        for k in range(limit):
            if k not in left_done and k not in pairs:
                out.append(Alignment(k, None, 0.0))
                left_done.add(k)

    # For each right position, the left index of the next aligned pair (left-only sections
    # before it are emitted first, so deletions precede insertions as in a usual diff).
    next_left = [n] * (m + 1)
    for j in range(m - 1, -1, -1):
        next_left[j] = right_to_left[j][0] if j in right_to_left else next_left[j + 1]
    for j in range(m):
        flush_left_until(next_left[j])
        if j in right_to_left:
            i, s = right_to_left[j]
            flush_left_until(i)
            out.append(Alignment(i, j, round(s, 4)))
            left_done.add(i)
        else:
            out.append(Alignment(None, j, 0.0))
    flush_left_until(n)
    return out


# ---------------------------------------------------------------------------
# Copies across jurisdictions (横向移植)
# ---------------------------------------------------------------------------


def likely_copies(
    sections_a: Sequence[SectionText | str],
    sections_b: Sequence[SectionText | str],
    *,
    threshold: float = 0.8,
    min_chars: int = 60,
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, score) of near-identical sections, best first.

    Texts are folded and whitespace-free, and every run of digits is replaced by one ``#``
    before comparing: a copied paragraph keeps its wording while its figures and dates change.
    Sections shorter than ``min_chars`` (after that normalisation) are ignored, since short
    boilerplate ("认真做好行政应诉工作。") matches everywhere.  A 3-gram containment prefilter
    skips pairs that cannot reach ``threshold``.
    """

    def prep(s: SectionText | str) -> tuple[str, set[str]]:
        text = s if isinstance(s, str) else s.text
        t = _DIGITS.sub("#", _norm(text))
        return t, _grams(t)

    pa = [prep(s) for s in sections_a]
    pb = [prep(s) for s in sections_b]
    found: list[tuple[int, int, float]] = []
    for i, (ta, ga) in enumerate(pa):
        if len(ta) < min_chars:
            continue
        for j, (tb, gb) in enumerate(pb):
            if len(tb) < min_chars:
                continue
            # ratio ≤ 2·min(len)/(len sum): a much shorter text cannot be a copy.
            if 2 * min(len(ta), len(tb)) / (len(ta) + len(tb)) < threshold:
                continue
            shared = len(ga & gb)
            if not shared or shared / min(len(ga), len(gb)) < threshold * 0.5:
                continue
            s = _similarity_normed(ta, tb, ga, gb)
            if s >= threshold:
                found.append((i, j, round(s, 4)))
    found.sort(key=lambda t: (-t[2], t[0], t[1]))
    return found
