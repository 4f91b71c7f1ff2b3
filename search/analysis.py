"""Pure text analysis for the archive's full-text search.

This module is pickled by reference into the Whoosh index schema (the
``ArchiveAnalyzer`` class): it must import neither Django nor haystack, and the
class must never be moved or renamed, or existing indexes stop loading.

Pipeline, shared by indexing and querying so that both sides agree:

1. ``fold`` (search/folding.py): traditional -> simplified (OpenCC ``t2s``),
   full-width -> ASCII, Latin lowercased.  Strictly length-preserving, so
   character offsets computed on the folded text are valid in the original.
2. ``segment``: jieba (one module-owned ``jieba.Tokenizer`` with our user
   dictionary, HMM off so a string is always segmented the same way) over the
   folded text.  A token's *position is its character offset*.  Besides each
   main word, its dictionary sub-words are emitted at their own offsets
   (应诉 inside 出庭应诉率, what ``cut_for_search`` adds) and so are dictionary
   words spanning adjacent main words (社会主义核心价值观 where jieba cut
   社会主义 / 核心价值观): about 0.55 tokens per character in all.
3. Queries: ``query_alternatives`` gives the segmentations of a query word to
   OR together, each a list of (word, relative offset).  A phrase matches only
   where its words stand at exactly those offsets, so every match is a real
   substring of the folded text: 出庭应诉率 never matches 出庭 … 应诉 … 率, and
   nothing matches across punctuation or whitespace (they occupy offsets too).

Why character offsets rather than word ordinals: with ordinals, a sub-word
shares its main word's position and a phrase over sub-words cannot be exact;
emitting every marked prefix/suffix instead (tried first) cost 2.6 tokens per
character and made indexing 10x slower.  See ``search/measure_precision.py``.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import NamedTuple

import jieba
from whoosh.analysis import Composable
from whoosh.analysis import Token as WhooshToken

from search.folding import fold

__all__ = [
    "USER_DICTIONARY",
    "Token",
    "fold",
    "segment",
    "index_terms",
    "query_terms",
    "query_alternatives",
    "ArchiveAnalyzer",
    "archive_analyzer",
]

USER_DICTIONARY: Path = Path(__file__).resolve().parent / "dictionaries" / "fazhi_terms.txt"

# ---------------------------------------------------------------------------
# jieba tokenizer owned by this module
# ---------------------------------------------------------------------------


def _cache_dir() -> str:
    # Same default as config/settings.py (BASE_DIR / "var"), without importing Django.
    base = os.environ.get("ARCHIVE_DATA_DIR") or Path(__file__).resolve().parent.parent / "var"
    path = Path(base) / "jieba"
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-probe"
        probe.touch()
        probe.unlink()
        return str(path)
    except OSError:
        return tempfile.mkdtemp(prefix="fazhi-jieba-")


jieba.setLogLevel(logging.WARNING)
_TOKENIZER = jieba.Tokenizer()
_TOKENIZER.tmp_dir = _cache_dir()
_TOKENIZER.cache_file = "fazhi-jieba.cache"
_TOKENIZER.initialize()
if USER_DICTIONARY.exists():
    _TOKENIZER.load_userdict(str(USER_DICTIONARY))


class Token(NamedTuple):
    text: str
    pos: int
    start: int
    end: int


# ---------------------------------------------------------------------------
# jieba's HMM-free segmentation, computed in one pass
# ---------------------------------------------------------------------------
#
# ``_main_words`` yields exactly what ``_TOKENIZER.cut(text, HMM=False)`` yields (same
# dictionary, same DAG, same maximum-probability route, same tie-breaking, same merging of
# single Latin letters and digits): tests/search/test_analysis.py checks that over every seed
# and corpus text.  It is computed differently because segmentation is most of the cost of
# indexing: jieba builds a DAG dict, then takes ``max`` over a generator calling ``log`` for
# every candidate word; here each word's log-probability is looked up pre-computed, in the
# same dictionary probe that walks the prefix tree, and the route is taken in the same
# backwards loop.  Measured on the corpus (make bench): 1.7-1.8x jieba's own ``cut``.

# What jieba.cut splits text into: runs of these characters are segmented with the dictionary,
# every other character is a word of its own (jieba's re_han_default / re_eng).
_HAN_RUN = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)")
_LATIN_OR_DIGIT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
# The only characters of a run that are neither letters nor digits: a word made of these
# alone is not indexed.
_RUN_SYMBOL_CHARS = "+#&._%-"
_RUN_SYMBOLS = frozenset(_RUN_SYMBOL_CHARS)
_NOT_A_PREFIX = object()


def _prefix_log_probabilities(tokenizer: jieba.Tokenizer) -> dict[str, float | None]:
    """jieba's prefix dictionary with each word's log-probability (None: a prefix only).

    ``log(freq) - log(total)`` evaluated as jieba's ``calc`` evaluates it, so routes and ties
    come out bit-for-bit the same.
    """
    logtotal = math.log(tokenizer.total)
    return {w: (math.log(f) - logtotal if f else None) for w, f in tokenizer.FREQ.items()}


_LOGP = _prefix_log_probabilities(_TOKENIZER)
# A character that starts no dictionary word: jieba scores it as frequency 1.
_UNKNOWN_LOGP = math.log(1) - math.log(_TOKENIZER.total)


def _cut_run(run: str, base: int, out: list) -> None:
    """Append (word, start, end) for jieba's words of one run of dictionary characters."""
    n = len(run)
    logp = _LOGP
    not_prefix = _NOT_A_PREFIX
    unknown = _UNKNOWN_LOGP
    score = [0.0] * (n + 1)
    best_end = [0] * n
    for k in range(n - 1, -1, -1):
        best = None
        end = k + 1
        frag = run[k]
        while True:
            lp = logp.get(frag, not_prefix)
            if lp is not_prefix:
                break
            if lp is not None:
                s = lp + score[end]
                if best is None or s >= best:  # ties go to the longer word, as in jieba
                    best, best_at = s, end
            if end == n:
                break
            end += 1
            frag = run[k:end]
        if best is None:  # no dictionary word starts here: the character alone
            best, best_at = unknown + score[k + 1], k + 1
        score[k] = best
        best_end[k] = best_at
    x = 0
    latin_from = -1  # single Latin letters/digits in a row are merged into one word
    latin = _LATIN_OR_DIGIT
    symbols = _RUN_SYMBOLS
    while x < n:
        y = best_end[x]
        if y - x == 1 and run[x] in latin:
            if latin_from < 0:
                latin_from = x
        else:
            if latin_from >= 0:
                out.append((run[latin_from:x], base + latin_from, base + x))
                latin_from = -1
            word = run[x:y]
            if word[0] not in symbols or word.strip(_RUN_SYMBOL_CHARS):
                out.append((word, base + x, base + y))
        x = y
    if latin_from >= 0:
        out.append((run[latin_from:n], base + latin_from, base + n))


def _main_words(folded: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of jieba's words of ``folded``, without whitespace and punctuation."""
    out: list[tuple[str, int, int]] = []
    offset = 0
    for i, piece in enumerate(_HAN_RUN.split(folded)):
        if i % 2:  # split() with a group: odd pieces are the runs
            _cut_run(piece, offset, out)
        else:
            for j, ch in enumerate(piece):
                if unicodedata.category(ch)[0] in "LN":
                    out.append((ch, offset + j, offset + j + 1))
        offset += len(piece)
    return out


# Longest sub-word considered inside a main word, and the most query segmentations tried.
MAX_SUBWORD = 8
MAX_SEGMENTATIONS = 5


@functools.lru_cache(maxsize=200_000)
def _sub_words(word: str) -> tuple[tuple[str, int, int], ...]:
    """Dictionary words inside a main word, with their offsets relative to the word.

    What jieba's ``cut_for_search`` adds (应诉 and 出庭 inside 负责人出庭应诉), but every
    fragment found in the prefix dictionary's DAG, not only 2- and 3-grams.  Each is emitted
    at its own character offset, so phrases over sub-words stay exact.
    """
    n = len(word)
    if n < 3 or word.isascii():  # never split Latin words / numbers
        return ()
    freq = _TOKENIZER.FREQ
    out = []
    for k in range(n):
        for e in range(k + 2, min(n, k + MAX_SUBWORD) + 1):
            if e - k == n:
                continue
            frag = word[k:e]
            if freq.get(frag):
                out.append((frag, k, e))
    return tuple(out)


def segment(text: str, *, subwords: bool = True) -> list[Token]:
    """Tokens of ``text``: jieba words (and, when indexing, their dictionary sub-words).

    A token's position IS its character offset in the text (folding preserves length, so it
    is valid in the original).  A query phrase is a list of (word, offset) pairs that must
    occur at exactly those relative offsets: matches are real substrings, never scattered
    characters, and never across punctuation (which occupies offsets of its own).
    """
    folded = fold(text)
    if not subwords:
        return [Token(w, s, s, e) for w, s, e in _main_words(folded)]
    return [Token(w, s, s, e) for w, s, e in _index_terms(folded)]


def index_terms(text: str) -> list[tuple[str, int]]:
    """(term, character offset) of everything indexed for ``text``, in text order."""
    return [(word, start) for word, start, _end in _index_terms(fold(text))]


# Longest dictionary word made of adjacent main words that is indexed as a word of its own.
MAX_SPAN_WORD = 12


def _index_terms(folded: str) -> list[tuple[str, int, int]]:
    """Everything indexed for ``folded``: (term, start, end) in text order.

    * each main word, and its dictionary sub-words (应诉 inside 出庭应诉率);
    * dictionary words made of 2–3 adjacent main words (人民代表 + 大会 → 人民代表大会), or
      starting with a dictionary word that ends a main word (深化改革 + 开放 → 改革开放): in
      context jieba often cuts a word it keeps whole alone, so a query for that word is
      still found as one term instead of a phrase to verify.
    """
    words = _main_words(folded)
    freq_get = _TOKENIZER.FREQ.get
    out: list[tuple[str, int, int]] = []
    emit = out.append
    last = len(words) - 1
    for i, entry in enumerate(words):
        emit(entry)
        word, start, end = entry
        heads = ((word, start),)
        if len(word) > 2:
            subs = _sub_words(word)
            if subs:
                heads = [(word, start)]
                n = len(word)
                for frag, s, e in subs:
                    emit((frag, start + s, start + e))
                    if e == n:  # a dictionary word ending this one may go on into the next
                        heads.append((frag, start + s))
        if i == last:
            break
        nxt, nxt_start, nxt_end = words[i + 1]
        if nxt_start != end:  # punctuation or space between: no span word
            continue
        for head, head_start in heads:
            span = head + nxt
            if len(span) > MAX_SPAN_WORD:
                continue
            freq = freq_get(span)
            if freq is None:  # not even the prefix of a dictionary word
                continue
            if freq:
                emit((span, head_start, nxt_end))
            if i + 2 <= last:
                third, third_start, third_end = words[i + 2]
                if third_start == nxt_end and len(span) + len(third) <= MAX_SPAN_WORD:
                    span += third
                    if freq_get(span):
                        emit((span, head_start, third_end))
    return out


def query_terms(word: str) -> list[tuple[str, int]]:
    """The query word as jieba segments it: (word, offset relative to the first word)."""
    pieces = list(_main_words(fold(word)))
    if not pieces:
        return []
    base = pieces[0][1]
    return [(w, s - base) for w, s, _e in pieces]


def query_alternatives(word: str) -> list[list[tuple[str, int]]]:
    """Segmentations of a query word to OR together; each is exact (a real substring).

    The index segments a string in context, which can move word boundaries (the query
    出庭应诉率 is one dictionary word, but 负责人出庭应诉率 is cut 负责人出庭应诉 / 率), so besides
    jieba's own segmentation of the query, other splits into dictionary words and single
    characters are tried, fewest pieces first (出庭应诉 / 率 finds the example above through
    the sub-word 出庭应诉).  A single piece is later widened to indexed words containing it.
    """
    main = query_terms(word)
    if not main:
        return []
    out = [main]
    if len(main) == 1:
        # A word jieba keeps whole is indexed whole wherever it stands on word boundaries,
        # also when the text cut it into 2-3 words (span words, see _index_terms), and is
        # found inside longer words through the lexicon; only an occurrence straddling a
        # word boundary at its edge is missed (measured: search/measure_precision.py).
        return out
    core = "".join(w for w, _ in main)
    if len(main) > 1 and main[-1][1] + len(main[-1][0]) != len(core):
        return out  # the query has inner spaces or punctuation: keep it literal
    seen = {tuple(main)}
    for pieces in _dictionary_splits(core):
        offsets, at = [], 0
        for piece in pieces:
            offsets.append((piece, at))
            at += len(piece)
        key = tuple(offsets)
        if key not in seen:
            seen.add(key)
            out.append(offsets)
        if len(out) >= MAX_SEGMENTATIONS:
            break
    return out


def _dictionary_splits(core: str) -> list[list[str]]:
    """Splits of ``core`` into dictionary words (single characters at the edges), fewest first."""
    n = len(core)
    if n > 24:
        return [[core]]
    freq = _TOKENIZER.FREQ
    found: list[list[str]] = []
    budget = [200]

    def walk(at: int, acc: list[str]) -> None:
        if budget[0] <= 0 or len(acc) > 6:
            return
        budget[0] -= 1
        if at == n:
            found.append(list(acc))
            return
        for end in range(n, at, -1):
            piece = core[at:end]
            # A lone character can only stand at an edge: inside, it would be a split no
            # in-context segmentation makes, and each alternative costs query time.
            edge_char = end - at == 1 and (at == 0 or end == n)
            if edge_char or (end - at > 1 and freq.get(piece)) or (at == 0 and end == n):
                acc.append(piece)
                walk(end, acc)
                acc.pop()

    walk(0, [])
    found.sort(key=len)
    return found


# ---------------------------------------------------------------------------
# Whoosh analyzer
# ---------------------------------------------------------------------------


class ArchiveAnalyzer(Composable):
    """Whoosh analyzer: fold + jieba word positions + same-position sub-words.

    ``mode="query"`` emits main words only (what a phrase query needs); any
    other mode emits sub-words too (indexing).  ``tokenize=False`` emits the
    whole folded value as a single token.
    """

    def __init__(self, subwords: bool = True):
        self.subwords = subwords

    def __eq__(self, other):
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __hash__(self):
        return hash((type(self).__name__, self.subwords))

    def __repr__(self):
        return f"{type(self).__name__}(subwords={self.subwords!r})"

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        if value is None:
            value = ""
        if not isinstance(value, str):
            value = str(value)
        t = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = fold(value)
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return
        folded = fold(value)
        terms = _index_terms(folded) if self.subwords and mode != "query" else _main_words(folded)
        # No intermediate Token objects: this is the hot path when indexing.
        for word, start, end in terms:
            t.boost = 1.0
            t.stopped = False
            t.text = word
            if keeporiginal:
                t.original = value[start:end]
            if positions:
                t.pos = start_pos + start
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t


def archive_analyzer() -> ArchiveAnalyzer:
    """Factory used in the Whoosh/haystack schema."""
    return ArchiveAnalyzer()
