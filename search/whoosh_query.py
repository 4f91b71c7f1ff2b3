"""Matching user words against the Whoosh index: exact substrings at character offsets.

search/analysis.py indexes every token at its character offset.  A user word is the OR of
its segmentations (``analysis.query_alternatives``); a segmentation matches a document only
where all its words stand at exactly their relative offsets -- a real substring of the
folded text.  A one-word segmentation is widened to the indexed words that contain it
(行政复议 also finds 行政复议法 when jieba keeps that whole), through the index's lexicon.

Matching is done on document-number sets read straight from the postings (fast, C-backed
arrays), not with Whoosh's per-document matcher objects: an alternative's positions are
read only in documents no earlier alternative matched, so the rarely needed
re-segmentations cost little.  Relevance ranking then scores only the page's top hits with
an OR of the plain terms (see backends.search_reports).

Whoosh-specific: only search/ imports this.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import accumulate
from pickle import loads

from whoosh.formats import Positions
from whoosh.system import _INT_SIZE

from search import analysis

# A one-word query is widened to at most this many indexed words containing it, most
# frequent first (a single character is contained in thousands of words).
MAX_CONTAINING_TERMS = 200
# Document sets of recently used terms kept per index generation (a common word's set is
# read from every block of its postings; researchers repeat the same words).
TERM_DOCS_CACHE = 256


@dataclass
class TermPostings:
    ids: tuple[int, ...] = ()
    freqs: tuple[float, ...] = ()

    @functools.cached_property
    def docs(self) -> frozenset[int]:
        return frozenset(self.ids)


@dataclass
class WordMatch:
    """The documents a user word matches, and the plain index terms that score it."""

    docs: set[int] = field(default_factory=set)
    terms: list[str] = field(default_factory=list)


class Lexicon:
    """The words of one field of one index generation: substring look-ups, document sets."""

    def __init__(self, reader, fieldname: str):
        self.reader = reader  # held so the id() used as cache key stays unique
        self.fieldname = fieldname
        words = [t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon(fieldname)]
        self._blob = "\n" + "\n".join(words) + "\n"
        self._postings: OrderedDict[str, TermPostings] = OrderedDict()
        self._postings_lock = threading.Lock()

    def postings(self, term: str) -> TermPostings:
        """Document numbers (deleted ones included) and frequencies of ``term``, cached."""
        with self._postings_lock:
            found = self._postings.get(term)
            if found is not None:
                self._postings.move_to_end(term)
                return found
        found = _read_postings(self.reader, self.fieldname, term)
        with self._postings_lock:
            self._postings[term] = found
            if len(self._postings) > TERM_DOCS_CACHE:
                self._postings.popitem(last=False)
        return found

    def docs(self, term: str) -> frozenset[int]:
        return self.postings(term).docs

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


def lexicon_for(reader, fieldname: str) -> Lexicon:
    """The lexicon of a reader (one index generation), built once per process."""
    key = (id(reader), fieldname)
    lexicon = _LEXICONS.get(key)
    if lexicon is None:
        with _LEXICON_LOCK:
            lexicon = _LEXICONS.get(key)
            if lexicon is None:
                _LEXICONS.clear()  # one generation at a time
                lexicon = _LEXICONS[key] = Lexicon(reader, fieldname)
    return lexicon


def term_docs(reader, fieldname: str, term: str) -> frozenset[int]:
    return lexicon_for(reader, fieldname).docs(term)


def term_postings(reader, fieldname: str, term: str) -> TermPostings:
    return lexicon_for(reader, fieldname).postings(term)


def _read_postings(reader, fieldname: str, term: str) -> TermPostings:
    """Document numbers and term frequencies in ``term``'s postings, a whole block at a time.

    Whoosh's generic ``all_ids()`` walks posting by posting through three method calls each;
    reading each block's arrays at once is several times faster.  Deleted documents are not
    filtered here: callers intersect with the live documents.
    """
    ids: list[int] = []
    freqs: list[float] = []
    key = (fieldname, term)
    leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
    for leaf, offset in leaves:
        if key not in leaf:
            continue
        m = leaf.postings(fieldname, term)
        m = getattr(m, "child", m)  # unwrap the deleted-documents filter
        if not hasattr(m, "_read_ids"):  # not Whoosh's own codec: the generic way
            for d, w in m.items_as("weight"):
                ids.append(d + offset)
                freqs.append(w)
            continue
        while m.is_active():
            if m._ids is None:
                m._read_ids()
            if m._weights is None:
                m._read_weights()
            ids.extend(d + offset for d in m._ids[m._i :])
            freqs.extend(m._weights[m._i :])
            if m._lastblock:
                break
            m._goto(m._nextoffset)
    return TermPostings(tuple(ids), tuple(freqs))


def word_match(reader, fieldname: str, word: str, within: set[int] | None = None) -> WordMatch:
    """Documents containing ``word`` (a user word or quoted phrase) as a substring.

    ``within`` limits the phrase checks (the expensive part) to documents that pass the
    search's filters; documents outside it may or may not be in the result.
    """
    match = WordMatch()
    for pieces in analysis.query_alternatives(word):
        if len(pieces) == 1:
            term = pieces[0][0]
            words = [term, *lexicon_for(reader, fieldname).containing(term)]
            for w in words:
                docs = term_docs(reader, fieldname, w)
                if docs:
                    match.docs |= docs
                    match.terms.append(w)
            continue
        candidates = None
        for piece, _ in sorted(pieces, key=lambda p: reader.doc_frequency(fieldname, p[0])):
            docs = term_docs(reader, fieldname, piece)
            candidates = docs if candidates is None else candidates & docs
            if not candidates:
                break
        candidates = set(candidates or ()) - match.docs
        if within is not None:
            candidates &= within
        if candidates:
            match.docs |= _phrase_docs(reader, fieldname, sorted(candidates), pieces)
            match.terms.extend(p for p, _ in pieces if p not in match.terms)
    return match


def _phrase_docs(reader, fieldname: str, docnums: list[int], pieces) -> set[int]:
    """Of ``docnums`` (sorted, all containing every piece), those with the pieces aligned."""
    positions = [_positions_in(reader, fieldname, piece, docnums) for piece, _ in pieces]
    found = set()
    for d in docnums:
        starts = None
        for (_, offset), per_doc in zip(pieces, positions):
            found_here = per_doc.get(d, ())
            here = set(found_here) if not offset else {p - offset for p in found_here}
            starts = here if starts is None else starts & here
            if not starts:
                break
        if starts:
            found.add(d)
    return found


def _decode_positions(value: bytes) -> list[int]:
    """``Positions.decode_positions`` with the delta sum done in C (this is the hot loop)."""
    if not value.endswith(b"."):
        value += b"."
    return list(accumulate(loads(value[_INT_SIZE:])))


def _positions_in(reader, fieldname: str, term: str, docnums: list[int]) -> dict[int, list[int]]:
    """Positions of ``term`` in each of ``docnums`` (sorted global numbers).

    Walks the postings block by block: a block whose highest document is below the next
    wanted one is skipped unread, and a block's positions are decoded only for the wanted
    documents in it (Whoosh's matcher would go posting by posting).
    """
    out: dict[int, list[int]] = {}
    key = (fieldname, term)
    leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
    for leaf, offset in leaves:
        if key not in leaf:
            continue
        size = leaf.doc_count_all()
        wanted = [d - offset for d in docnums if offset <= d < offset + size]
        if not wanted:
            continue
        m = leaf.postings(fieldname, term)
        m = getattr(m, "child", m)  # unwrap the deleted-documents filter
        if not hasattr(m, "_read_ids"):  # not Whoosh's own codec: the generic way
            for d in wanted:
                m.skip_to(d)
                if m.is_active() and m.id() == d:
                    out[d + offset] = list(m.value_as("positions"))
            continue
        decode = _decode_positions if type(m.format) is Positions else m.format.decoder("positions")
        j, n = 0, len(wanted)
        while m.is_active() and j < n:
            if m._maxid >= wanted[j]:
                if m._ids is None:
                    m._read_ids()
                values = None
                for i, d in enumerate(m._ids):
                    while j < n and wanted[j] < d:
                        j += 1
                    if j == n:
                        break
                    if wanted[j] == d:
                        if values is None:
                            m._read_values()
                            values = m._values
                        out[d + offset] = decode(values[i])
                        j += 1
            if m._lastblock:
                break
            m._goto(m._nextoffset)
    return out


def occurrences(reader, fieldname: str, docnums: list[int], word: str) -> dict[int, list[int]]:
    """Character offsets where ``word`` occurs, for each of ``docnums``."""
    docnums = sorted(docnums)
    starts: dict[int, set[int]] = {d: set() for d in docnums}
    for pieces in analysis.query_alternatives(word):
        # A later segmentation is only needed where the earlier ones found nothing.
        docnums = [d for d in docnums if not starts[d]]
        if not docnums:
            break
        if len(pieces) == 1:
            term = pieces[0][0]
            lexicon = lexicon_for(reader, fieldname)
            wanted = set(docnums)
            for candidate in [term, *lexicon.containing(term)]:
                # The document sets are cached from matching: positions are read only for the
                # words that occur in these documents (a widened word has up to 200 others,
                # and opening each one's postings in every segment cost more than the search).
                here = sorted(lexicon.docs(candidate) & wanted)
                if not here:
                    continue
                for d, found in _positions_in(reader, fieldname, candidate, here).items():
                    starts[d].update(found)
            continue
        positions = [_positions_in(reader, fieldname, piece, docnums) for piece, _ in pieces]
        for d in docnums:
            here = None
            for (_, offset), per_doc in zip(pieces, positions):
                shifted = {p - offset for p in per_doc.get(d, ())}
                here = shifted if here is None else here & shifted
                if not here:
                    break
            starts[d].update(here or ())
    return {d: sorted(found) for d, found in starts.items()}
