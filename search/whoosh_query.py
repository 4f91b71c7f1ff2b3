"""Whoosh queries for the archive's analysis: exact phrases at character offsets.

search/analysis.py indexes every token at its character offset.  A query word becomes the OR
of its segmentations (``analysis.query_alternatives``); each segmentation is an
``OffsetPhrase`` that matches only where all its words stand at exactly their relative
offsets -- a real substring of the folded text.  A one-word segmentation is widened to the
indexed words that contain it (行政复议 also finds 行政复议法 when jieba keeps that whole),
through the index's own lexicon.

Whoosh-specific: only search/ imports this.
"""

from __future__ import annotations

import bisect
import threading

from whoosh import matching
from whoosh import query as wq
from whoosh.query.spans import Span, SpanWrappingMatcher

from search import analysis

# A one-word query is widened to at most this many indexed words containing it, most
# frequent first (a single character is contained in thousands of words).
MAX_CONTAINING_TERMS = 200


class OffsetPhrase(wq.Query):
    """Words at fixed relative character offsets: ``[("出庭应诉", 0), ("率", 4)]``."""

    def __init__(self, fieldname: str, pieces: list[tuple[str, int]], boost: float = 1.0):
        self.fieldname = fieldname
        self.pieces = list(pieces)
        self.boost = boost

    def __eq__(self, other):
        return (
            type(other) is type(self)
            and self.fieldname == other.fieldname
            and self.pieces == other.pieces
            and self.boost == other.boost
        )

    def __hash__(self):
        return hash((self.fieldname, tuple(self.pieces), self.boost))

    def __repr__(self):
        return f"OffsetPhrase({self.fieldname!r}, {self.pieces!r})"

    def has_terms(self):
        return True

    def terms(self, phrases=False):
        for word, _ in self.pieces:
            yield (self.fieldname, word)

    def _and_query(self):
        return wq.And([wq.Term(self.fieldname, w) for w, _ in self.pieces])

    def estimate_size(self, ixreader):
        return self._and_query().estimate_size(ixreader)

    def estimate_min_size(self, ixreader):
        return self._and_query().estimate_min_size(ixreader)

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        if len(self.pieces) == 1:
            return wq.Term(self.fieldname, self.pieces[0][0], boost=self.boost).matcher(searcher, context)
        matchers = []
        for word, _ in self.pieces:
            if (self.fieldname, word) not in reader:
                return matching.NullMatcher()
            matchers.append(wq.Term(self.fieldname, word).matcher(searcher, context))
        offsets = [offset for _, offset in self.pieces]
        m = OffsetPhraseMatcher(matchers, offsets)
        if self.boost != 1.0:
            m = matching.WrappingMatcher(m, boost=self.boost)
        return m


class OffsetPhraseMatcher(SpanWrappingMatcher):
    """Documents where every term has a position equal to start + its offset."""

    def __init__(self, matchers, offsets):
        self.ms = matchers
        self.offsets = offsets
        isect = matching.IntersectionMatcher(matchers[0], matchers[1])
        for m in matchers[2:]:
            isect = matching.IntersectionMatcher(isect, m)
        super().__init__(isect)

    def copy(self):
        return self.__class__([m.copy() for m in self.ms], self.offsets)

    def replace(self, minquality=0):
        return self if self.is_active() else matching.NullMatcher()

    def _get_spans(self):
        starts = None
        # Rarest first would be cheaper, but the sets are small: a report has at most a few
        # hundred occurrences of a word.
        for m, offset in zip(self.ms, self.offsets):
            here = {p - offset for p in m.value_as("positions")}
            starts = here if starts is None else starts & here
            if not starts:
                return []
        return [Span(s) for s in sorted(starts)]


class Lexicon:
    """The words of one field of one index generation, for substring look-ups."""

    def __init__(self, reader, fieldname: str):
        self.reader = reader
        self.fieldname = fieldname
        words = [t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon(fieldname)]
        self._blob = "\n" + "\n".join(words) + "\n"

    def containing(self, fragment: str, limit: int = MAX_CONTAINING_TERMS) -> list[str]:
        """Indexed words that contain ``fragment`` (itself excluded), most frequent first."""
        if not fragment or "\n" in fragment:
            return []
        blob = self._blob
        found: list[str] = []
        at = blob.find(fragment)
        while at != -1:
            start = blob.rfind("\n", 0, at) + 1
            end = blob.find("\n", at)
            word = blob[start:end]
            if word != fragment:
                found.append(word)
            at = blob.find(fragment, end)
        if len(found) > limit:
            df = self.reader.doc_frequency
            found.sort(key=lambda w: -df(self.fieldname, w))
            found = found[:limit]
        return found


_LEXICONS: dict[tuple[int, str], Lexicon] = {}
_LEXICON_LOCK = threading.Lock()


def lexicon_for(searcher, fieldname: str) -> Lexicon:
    """The lexicon of the searcher's generation, built once per process and generation."""
    reader = searcher.reader()
    key = (id(reader), fieldname)
    lexicon = _LEXICONS.get(key)
    if lexicon is None:
        with _LEXICON_LOCK:
            lexicon = _LEXICONS.get(key)
            if lexicon is None:
                _LEXICONS.clear()  # one generation at a time
                lexicon = _LEXICONS[key] = Lexicon(reader, fieldname)
    return lexicon


def word_query(searcher, fieldname: str, word: str) -> wq.Query | None:
    """The query for one user word or quoted phrase, or None when nothing is searchable."""
    alternatives = analysis.query_alternatives(word)
    if not alternatives:
        return None
    reader = searcher.reader()
    parts: list[wq.Query] = []
    for pieces in alternatives:
        if len(pieces) == 1:
            term = pieces[0][0]
            words = [term] if (fieldname, term) in reader else []
            words += lexicon_for(searcher, fieldname).containing(term)
            parts.extend(wq.Term(fieldname, w) for w in words)
        elif all((fieldname, w) in reader for w, _ in pieces):
            parts.append(OffsetPhrase(fieldname, pieces))
    if not parts:
        return wq.NullQuery
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def occurrences(searcher, fieldname: str, docnum: int, word: str) -> list[int]:
    """Character offsets in document ``docnum`` where ``word`` (a user word) occurs."""
    reader = searcher.reader()
    starts: set[int] = set()
    for pieces in analysis.query_alternatives(word):
        if len(pieces) == 1:
            term = pieces[0][0]
            candidates = [term, *lexicon_for(searcher, fieldname).containing(term)]
            for candidate in candidates:
                starts.update(_positions(reader, fieldname, docnum, candidate))
            continue
        found = None
        for piece, offset in pieces:
            here = {p - offset for p in _positions(reader, fieldname, docnum, piece)}
            found = here if found is None else found & here
            if not found:
                break
        starts.update(found or ())
    return sorted(starts)


def _positions(reader, fieldname: str, docnum: int, word: str) -> list[int]:
    if (fieldname, word) not in reader:
        return []
    m = reader.postings(fieldname, word)
    m.skip_to(docnum)
    if m.is_active() and m.id() == docnum:
        return list(m.value_as("positions"))
    return []


def section_at(section_starts: list[int], offset: int) -> int | None:
    """Index of the section whose text contains ``offset`` (None before the first)."""
    k = bisect.bisect_right(section_starts, offset) - 1
    return k if k >= 0 else None
