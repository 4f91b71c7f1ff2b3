"""Pure text analysis for the archive's full-text search.

This module is pickled by reference into the Whoosh index schema (the
``ArchiveAnalyzer`` class): it must import neither Django nor haystack, and the
class must never be moved or renamed, or existing indexes stop loading.

Pipeline, shared by indexing and querying so that both sides agree:

1. ``fold``: traditional -> simplified (OpenCC ``t2s``), full-width ASCII ->
   ASCII, ideographic space -> space, CJK compatibility ideographs -> unified,
   Latin lowercased.  Strictly length-preserving (``len(fold(s)) == len(s)``),
   so character offsets computed on the folded text are valid in the original.
2. ``segment``: jieba (one module-owned ``jieba.Tokenizer``, HMM off so that a
   string is segmented the same way whatever the process has seen before)
   over the folded text.  Each main word gets the next consecutive *word*
   position; its dictionary sub-words (from jieba's DAG, what
   ``cut_for_search`` would add) and its single characters are emitted at the
   SAME position.  Whitespace/punctuation tokens are dropped and do not
   consume a position.
3. ``query_terms``: a query word is folded and segmented the same way, main
   words only, and searched as a phrase of consecutive positions.

Trade-off (see ``search/measure_precision.py`` for numbers): sub-words and
characters at the same position make a query that falls *inside* one indexed
word (应诉 in 出庭应诉率, or 县 in 县政府) match, at the price of a larger
index (roughly 2x postings).  A multi-word query whose words straddle a word
boundary differently from the in-context segmentation can still miss; a
query can also match "across" sub-words (its first word the start of one
indexed word), which costs a little precision.
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile
import unicodedata
from pathlib import Path
from typing import Iterator, NamedTuple

import jieba
from whoosh.analysis import Composable
from whoosh.analysis import Token as WhooshToken

from search.folding import fold

__all__ = [
    "USER_DICTIONARY",
    "Token",
    "fold",
    "segment",
    "query_terms",
    "query_alternatives",
    "suffix_term",
    "prefix_term",
    "whole_term",
    "build_whoosh_query",
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


def _is_indexable(word: str) -> bool:
    for ch in word:
        cat = unicodedata.category(ch)
        if cat[0] in "LN":
            return True
    return False


# Punctuation that separates clauses: a phrase never matches across it, so it
# leaves a one-position gap.  (Connectors inside terms such as '.', '-', '+',
# '/', '%' and whitespace -- often layout noise in Chinese text -- do not.)
# Full-width forms are folded to ASCII before this is consulted.
GAP_PUNCTUATION = frozenset(
    ",;:!?()[]{}<>\"'\n\r"
    "。、；：？！“”‘’「」『』（）《》〈〉【】〔〕〖〗…—·"
)


def _words(folded: str) -> Iterator[tuple[str, int, int, bool]]:
    """Yield (word, start, end, gap_before) for jieba's words of ``folded``.

    Whitespace and punctuation are dropped; ``gap_before`` says clause
    punctuation was skipped since the previous word.
    """
    offset = 0
    gap = False
    for word in _TOKENIZER.cut(folded, HMM=False):
        start = offset
        offset += len(word)
        if _is_indexable(word) and not word.isspace():
            yield word, start, offset, gap
            gap = False
        elif not gap and any(ch in GAP_PUNCTUATION for ch in word):
            gap = True


def _main_words(folded: str) -> Iterator[tuple[str, int, int]]:
    """Yield (word, start, end) for jieba's words of ``folded``; drops punctuation."""
    for word, start, end, _gap in _words(folded):
        yield word, start, end


SUFFIX_MARK = "<"
PREFIX_MARK = ">"
WHOLE_MARK = "="
# Words longer than this get no affix terms (long numbers, URLs, run-on Latin).
MAX_AFFIX_WORD = 16
# Words up to this length also index every inner substring (庭应 in 出庭应诉).
MAX_INFIX_WORD = 12
# Longest first/last query piece tried against a neighbouring indexed word.
MAX_EDGE = 4


def suffix_term(fragment: str) -> str:
    """Index term meaning "an indexed word that ends with ``fragment``" (proper suffix)."""
    return SUFFIX_MARK + fragment


def prefix_term(fragment: str) -> str:
    """Index term meaning "an indexed word that starts with ``fragment``" (proper prefix)."""
    return fragment + PREFIX_MARK


def whole_term(word: str) -> str:
    """Index term meaning "exactly this indexed word" (not a sub-word of a longer one)."""
    return WHOLE_MARK + word


@functools.lru_cache(maxsize=200_000)
def _sub_words(word: str) -> tuple[tuple[str, int, int], ...]:
    """Extra terms emitted at a main word's position (offsets relative to the word).

    * ``=word``: the word itself, tagged as whole (phrase middles use it, so a
      sub-word never stands in for a whole word inside a phrase);
    * dictionary sub-words (jieba DAG, what cut_for_search adds), single
      characters and, for short words, every inner substring, as plain
      terms: a query found inside a longer indexed word (应诉 in 出庭应诉率,
      县 in 县政府);
    * every proper suffix as ``<suffix`` and prefix as ``prefix>``: a query
      whose first piece ends an indexed word and last piece starts one
      (政府建设 over 法治政府建设/工作) still matches as a phrase, and only at
      a real substring occurrence.

    The markers never occur in a real token: jieba never puts '<', '>' or '='
    inside a word, and alone they are punctuation and dropped.
    """
    n = len(word)
    out: dict[str, tuple[int, int]] = {whole_term(word): (0, n)}
    if n < 2:
        return tuple((frag, s, e) for frag, (s, e) in out.items())
    if not word.isascii():  # never split Latin words / numbers into letters
        dag = _TOKENIZER.get_DAG(word)
        for k, ends in dag.items():
            for i in ends:
                frag = word[k : i + 1]
                if frag != word and frag not in out and _is_indexable(frag):
                    out[frag] = (k, i + 1)
        for k, ch in enumerate(word):
            if ch not in out and _is_indexable(ch):
                out[ch] = (k, k + 1)
        if n <= MAX_INFIX_WORD:
            for k in range(n):
                for e in range(k + 2, n + 1):
                    frag = word[k:e]
                    if frag != word and frag not in out:
                        out[frag] = (k, e)
    if n <= MAX_AFFIX_WORD:
        for k in range(1, n):
            out[suffix_term(word[k:])] = (k, n)
            out[prefix_term(word[:k])] = (0, k)
    return tuple((frag, s, e) for frag, (s, e) in out.items())


def segment(text: str, *, subwords: bool = True) -> list[Token]:
    """Tokens of ``text`` with word positions from 0.

    Positions are consecutive integers, one per word, except that clause
    punctuation (``GAP_PUNCTUATION``) leaves a gap of one position so that a
    phrase never matches across 。，、 etc.  start/end are character offsets
    into ``text`` (valid in the original because folding preserves length).
    With ``subwords`` (the default, as indexed) each main word is followed by
    its extra terms (``_sub_words``) at the same position.
    """
    folded = fold(text)
    tokens: list[Token] = []
    pos = -1
    for word, start, end, gap in _words(folded):
        pos += 2 if gap and pos >= 0 else 1
        tokens.append(Token(word, pos, start, end))
        if subwords:
            for frag, s, e in _sub_words(word):
                tokens.append(Token(frag, pos, start + s, start + e))
    return tokens


def _edge_phrase(pieces: list[str]) -> list[list[str]]:
    """Phrase positions for pieces where the first may end, the last may start, an indexed word."""
    if len(pieces) == 1:
        w = pieces[0]
        return [[w, suffix_term(w), prefix_term(w)]]
    out = [[whole_term(w)] for w in pieces]
    out[0].append(suffix_term(pieces[0]))
    out[-1].append(prefix_term(pieces[-1]))
    return out


def query_terms(word: str) -> list[list[str]]:
    """The phrase a query word is searched as: one list of alternatives per position.

    Folded and segmented exactly like indexed text (main words only).  One
    word: ``[[w, "<w", "w>"]]`` (the word, or inside / at the end / at the
    start of a longer indexed word).  Several: ``=w`` (whole indexed word) at
    every position, the first also ``<w`` (end of an indexed word), the last
    also ``w>`` (start of one).  Any match is a real substring occurrence.
    ``[]`` when the word has nothing searchable (punctuation only).
    """
    words = [w for w, _s, _e in _main_words(fold(word))]
    return _edge_phrase(words) if words else []


def query_alternatives(word: str) -> list[list[list[str]]]:
    """All phrases (each as ``query_terms`` returns) a query word may match; OR them.

    The index segments a string in context, which can move word boundaries
    near the query's edges (负责人出庭应诉/率 vs the query 出庭应诉率), so
    besides ``query_terms(word)`` every split ``x + middle + y`` with
    ``len(x), len(y) <= MAX_EDGE`` is tried: x ends an indexed word, the
    middle is segmented like indexed text, y starts an indexed word.  The
    whole word as a single (plain / suffix / prefix) term covers a query
    inside one indexed word.  All alternatives are precise; together they
    bring recall close to substring search.
    """
    words = [w for w, _s, _e in _main_words(fold(word))]
    if not words:
        return []
    core = "".join(words)
    n = len(core)
    seen: set[tuple[tuple[str, ...], ...]] = set()
    out: list[list[list[str]]] = []

    def add(phrase: list[list[str]]) -> None:
        key = tuple(tuple(p) for p in phrase)
        if key not in seen:
            seen.add(key)
            out.append(phrase)

    add(_edge_phrase(words))
    add(_edge_phrase([core]))
    for i in range(1, min(MAX_EDGE, n - 1) + 1):
        for j in range(1, min(MAX_EDGE, n - i) + 1):
            middle = core[i : n - j]
            mid_words = [w for w, _s, _e in _main_words(middle)] if middle else []
            add(_edge_phrase([core[:i], *mid_words, core[n - j :]]))
    return out


def build_whoosh_query(fieldname: str, word: str, *, boost: float = 1.0):
    """A ``whoosh.query`` object matching ``word`` in ``fieldname`` (or ``NullQuery``).

    Single term -> Term; alternatives -> Or; phrases -> Sequence of
    consecutive positions (whoosh's Phrase takes no alternatives).
    """
    from whoosh import query as wq

    def position(alts: list[str]):
        if len(alts) == 1:
            return wq.Term(fieldname, alts[0])
        return wq.Or([wq.Term(fieldname, a) for a in alts])

    phrases = []
    for phrase in query_alternatives(word):
        if len(phrase) == 1:
            phrases.append(position(phrase[0]))
        elif all(len(a) == 1 for a in phrase):
            phrases.append(wq.Phrase(fieldname, [a[0] for a in phrase]))
        else:
            phrases.append(wq.Sequence([position(a) for a in phrase], slop=1, ordered=True))
    if not phrases:
        return wq.NullQuery
    q = phrases[0] if len(phrases) == 1 else wq.Or(phrases)
    if boost != 1.0:
        q.boost = boost
    return q


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
        with_sub = self.subwords and mode != "query"
        # Inlined segment(): no intermediate Token objects (hot path when indexing).
        pos = start_pos - 1
        first = True
        for word, start, end, gap in _words(fold(value)):
            pos += 2 if gap and not first else 1
            first = False
            t.boost = 1.0
            t.stopped = False
            t.text = word
            if keeporiginal:
                t.original = value[start:end]
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t
            if with_sub:
                for frag, s, e in _sub_words(word):
                    t.text = frag
                    if keeporiginal:
                        t.original = value[start + s : start + e]
                    if chars:
                        t.startchar = start_char + start + s
                        t.endchar = start_char + start + e
                    yield t


def archive_analyzer() -> ArchiveAnalyzer:
    """Factory used in the Whoosh/haystack schema."""
    return ArchiveAnalyzer()
