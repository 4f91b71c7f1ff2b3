"""The archive's haystack engine: Whoosh, tuned for report-level search of Chinese text.

Only this module knows that the engine is Whoosh.  What differs from stock haystack:

* **One index document per report** (Whoosh index ``report`` under ``PATH``).  Its ``text``
  field holds the title and every section, analysed ONCE by ``search.analysis``; the report
  document stores a small *section map* (section id -> first word position) so that the
  sections matching a query on the current page are found from the report's own postings,
  without a second (section-level) index.  That halves indexing time (the analyser is the
  bottleneck, see ``search/bench.py``).
* **One searcher per process**, refreshed only when the index's generation changed
  (``Searcher.up_to_date`` / ``refresh``), instead of a fresh searcher per query.  Column
  values (year, province, level, kind, region path, report id) are read once per searcher
  generation into Python lists; facets and filters are list look-ups over the matched
  document numbers, never a loop over stored fields.
* **Writes never fail silently.**  Every write takes an exclusive ``fcntl.flock`` on
  ``PATH/archive-writer.lock`` (waiting up to ``WRITE_LOCK_TIMEOUT`` seconds) and then the
  Whoosh write lock; a write that cannot get them raises ``IndexLocked`` so the caller (the
  queue in ``search/indexing.py``) retries it.  ``remove()`` raises instead of logging.
* **Bulk writes use both cores**: large ``update()`` batches are analysed and written by
  forked workers, each producing its own segment; the parent adds the segments to the index
  in one commit (what ``whoosh.multiproc.MpWriter(multisegment=True)`` does, without
  pickling documents through a queue).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import heapq
import logging
import math
import multiprocessing
import os
import threading
import time
from dataclasses import dataclass, field

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError
from haystack.utils import get_identifier
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID as WHOOSH_ID
from whoosh.fields import NUMERIC, STORED, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import QueryParser
from whoosh.util.filelock import try_for
from whoosh.writing import NO_MERGE

from search.querysyntax import positive_leaves
from search.sections import offsets_in_sections, rank_sections
from search.segment_writing import GroupingSegmentWriter, merge_small_segments
from search.whoosh_fields import Analyzed, ArchiveText  # noqa: F401  (Analyzed: search_indexes)
from search.whoosh_query import occurrences, term_postings, word_match

log = logging.getLogger(__name__)

REPORT_INDEX = "report"
WRITER_LOCK_FILE = "archive-writer.lock"
WRITE_LOCK_TIMEOUT = 60.0


def index_storage(path: str) -> FileStorage:
    """The index directory, read without mmap.

    Whoosh 2.7 opens each file inside a memory-mapped compound segment as a BytesIO *copy*:
    every process held the whole index in private memory (2.8 GB resident after opening a
    searcher on 10,000 reports, in each gunicorn worker; 0.9 s to open it).  Without mmap the
    files are read in place through the segment's one open file handle (148 MB, 0.00 s), the
    OS page cache shared by all workers.  Measured against separate, non-compound files: the
    same memory and query times, but those are opened lazily, so a reader could find one
    deleted by a concurrent merge.
    """
    return FileStorage(path, supports_mmap=False)


def index_codec() -> W3Codec:
    """Whoosh's codec without zlib on posting blocks.

    Measured on the corpus: writing 55 % faster and reading a block (the cost of phrase checks)
    faster, for an index 60 % larger.  Indexing speed is what limits the archive's growth;
    disk is cheap.
    """
    return W3Codec(compression=0)


# BM25 parameters (Whoosh's defaults).
BM25_K1 = 1.2
BM25_B = 0.75

# update() batches at least this large are written as new segments by GroupingSegmentWriter
# (in forked workers, one per core); smaller ones go through Whoosh's own writer.
BULK_MIN_DOCS = 64
# A bulk writer starts a new segment after this many postings, which bounds its memory
# (~65 bytes a posting held until the segment is written) to about 600 MB.
MAX_SEGMENT_POSTINGS = 10_000_000


class IndexLocked(SearchBackendError):
    """Another process holds the index write lock for longer than we are willing to wait."""


# ---------------------------------------------------------------------------
# Fields and pre-analysed values
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# Query building (from search.querysyntax's AST)
# ---------------------------------------------------------------------------


def match_node(node, reader, fieldname: str, universe: set[int]) -> tuple[set[int], list[str]]:
    """Documents of ``universe`` matching a ``search.querysyntax`` node, and the terms that rank them.

    ``universe`` is the live documents that pass the search's filters: phrase checks run
    only there.

    Set algebra over the postings (see search/whoosh_query.py): AND intersects, OR unites,
    NOT subtracts; a query that is only a NOT means everything but it.
    """
    kind = type(node).__name__
    if kind == "Term":
        match = word_match(reader, fieldname, node.text, within=universe)
        # Ranking uses each word's main term only: scoring every widened or re-segmented
        # term over thousands of documents would cost more than all the matching.
        return match.docs, match.terms[:1]
    if kind == "Not":
        inner, _ = match_node(node.node, reader, fieldname, universe)
        return universe - inner, []
    if kind not in ("And", "Or"):
        raise ValueError(f"unknown query node {kind}")
    positive = [n for n in node.nodes if type(n).__name__ != "Not"]
    negative = [n.node for n in node.nodes if type(n).__name__ == "Not"]
    terms: list[str] = []
    if kind == "Or":
        # An OR item that is only an exclusion is meaningless here; drop it.
        docs: set[int] = set()
        for child in positive or node.nodes:
            child_docs, child_terms = match_node(child, reader, fieldname, universe)
            docs |= child_docs
            terms += child_terms
        return docs, terms
    docs = None
    for child in positive:
        child_docs, child_terms = match_node(child, reader, fieldname, universe)
        docs = child_docs if docs is None else docs & child_docs
        terms += child_terms
    if docs is None:
        docs = set(universe)
    for child in negative:
        if not docs:
            break
        docs -= match_node(child, reader, fieldname, universe)[0]
    return docs, terms


# ---------------------------------------------------------------------------
# Searcher cache and column data
# ---------------------------------------------------------------------------


@dataclass
class Columns:
    """Per-document column values of one searcher generation, indexed by document number."""

    generation: int
    report_id: list[int]
    year: list[int]
    level: list[int]
    kind: list[str]
    body_kind: list[str]  # "gov" / "dept" ("gov" in indexes built before the field existed)
    province: list[str]
    tree_path: list[str]
    title: list[str]
    live: list[int] = field(default_factory=list)  # non-deleted document numbers
    live_set: set[int] = field(default_factory=set)
    length: list[int] = field(default_factory=list)  # words in the text field, for BM25
    avg_length: float = 0.0
    by_report: dict[int, int] = field(default_factory=dict)


@dataclass
class ReportMatches:
    count: int
    hits: list[tuple[int, float]]  # (report id, score) for the requested slice
    facets: dict[str, dict]


_PROCESS_LOCK = threading.RLock()
_SEARCHERS: dict[str, object] = {}
_COLUMNS: dict[str, Columns] = {}


def reset_searchers(path: str | None = None) -> None:
    """Close and forget cached searchers (all, or the one for ``path``)."""
    with _PROCESS_LOCK:
        for key in [k for k in _SEARCHERS if path is None or k == path]:
            with contextlib.suppress(Exception):
                _SEARCHERS[key].close()
            del _SEARCHERS[key]
        for key in [k for k in _COLUMNS if path is None or k == path]:
            del _COLUMNS[key]


# ---------------------------------------------------------------------------
# Write lock
# ---------------------------------------------------------------------------


_HELD = threading.local()


@contextlib.contextmanager
def writer_lock(path: str, timeout: float = WRITE_LOCK_TIMEOUT, blocking: bool = True):
    """Exclusive cross-process lock (``fcntl.flock``) for every write to the index directory.

    Re-entrant within a thread.  Yields True when acquired; with ``blocking=False`` yields
    False at once if another process (or thread) holds it.  Raises ``IndexLocked`` when a
    blocking wait times out.
    """
    held = getattr(_HELD, "paths", None)
    if held is None:
        held = _HELD.paths = {}
    key = os.path.abspath(path)
    if held.get(key):
        held[key] += 1
        try:
            yield True
        finally:
            held[key] -= 1
        return
    os.makedirs(path, exist_ok=True)
    fd = os.open(os.path.join(path, WRITER_LOCK_FILE), os.O_RDWR | os.O_CREAT, 0o644)
    acquired = False
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                acquired = True
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if not blocking:
                    break
                if time.monotonic() >= deadline:
                    raise IndexLocked(f"index write lock busy for {timeout:.0f}s") from exc
                time.sleep(0.05)
        if acquired:
            held[key] = 1
        try:
            yield acquired
        finally:
            if acquired:
                held[key] = 0
    finally:
        if acquired:
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


# ---------------------------------------------------------------------------
# Backend
# ---------------------------------------------------------------------------


class ArchiveWhooshSearchBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.silently_fail = False
        self.procs = int(connection_options.get("PROCS", os.cpu_count() or 1))
        self._lock = _PROCESS_LOCK

    # -- setup ------------------------------------------------------------

    def setup(self):
        from haystack import connections

        if not self.use_file_storage:
            raise SearchBackendError("ArchiveWhooshEngine needs file storage (PATH).")
        os.makedirs(self.path, exist_ok=True)
        if not os.access(self.path, os.W_OK):
            raise OSError(f"The Whoosh index directory {self.path!r} is not writable.")
        self.storage = index_storage(self.path)
        unified = connections[self.connection_alias].get_unified_index()
        self.content_field_name, self.schema = self.build_schema(unified.all_searchfields())
        self.parser = QueryParser(self.content_field_name, schema=self.schema)
        if whoosh_index.exists(self.storage, indexname=REPORT_INDEX):
            self.index = self.storage.open_index(indexname=REPORT_INDEX)
        else:
            with writer_lock(self.path):
                if whoosh_index.exists(self.storage, indexname=REPORT_INDEX):
                    self.index = self.storage.open_index(indexname=REPORT_INDEX)
                else:
                    self.index = self.storage.create_index(self.schema, indexname=REPORT_INDEX)
        self.setup_complete = True

    def build_schema(self, fields):
        schema_fields = {
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True),
        }
        content_field_name = ""
        for _, f in fields.items():
            name = f.index_fieldname
            if not f.indexed:
                schema_fields[name] = STORED()
            elif f.field_type == "integer":
                schema_fields[name] = NUMERIC(int, bits=64, stored=f.stored, sortable=True)
            elif f.field_type in ("string", "edge_ngram", "ngram") and f.analyzer is not None:
                schema_fields[name] = ArchiveText(
                    analyzer=f.analyzer, stored=f.stored, phrase=True, field_boost=f.boost
                )
            else:
                # Filter/facet/sort values are single, untokenised terms: 江苏省 stays whole.
                schema_fields[name] = WHOOSH_ID(stored=f.stored, sortable=True)
            if f.document:
                content_field_name = name
        if len(schema_fields) <= 3:
            raise SearchBackendError("No fields were found in any search_indexes.")
        return content_field_name, Schema(**schema_fields)

    def _ensure(self):
        if not self.setup_complete:
            self.setup()

    # -- reading ------------------------------------------------------------

    def searcher(self):
        """The process-wide searcher for this index directory, refreshed only on change.

        haystack keeps one backend per thread; the searcher is shared by all of them.
        """
        self._ensure()
        with self._lock:
            s = _SEARCHERS.get(self.path)
            if s is None:
                self.index = self.storage.open_index(indexname=REPORT_INDEX)
                s = self.index.searcher()
            elif not s.up_to_date():
                s = s.refresh()
            _SEARCHERS[self.path] = s
            return s

    def warm_up(self) -> None:
        """Open this process's searcher and build its per-generation caches.

        Called once per gunicorn worker after it starts, so the first search a worker serves
        does not pay for reading the columns and the lexicon.
        """
        from search.whoosh_query import lexicon_for

        s = self.searcher()
        self.columns(s)
        lexicon_for(s.reader(), self.content_field_name or "text")

    def health_probe(self) -> int:
        """Live documents of the index, from segment metadata (no count query): for /healthz.

        Opens (or refreshes) the process's searcher and reads one term's document frequency,
        so unreadable segment files fail here.
        """
        s = self.searcher()
        reader = s.reader()
        reader.doc_frequency(self.content_field_name or "text", "法治")
        return s.doc_count()

    def reset(self):
        """Forget the cached searcher (tests; after the index directory was replaced)."""
        reset_searchers(self.path)
        self.setup_complete = False

    def columns(self, searcher) -> Columns:
        generation = searcher.reader().generation()
        cols = _COLUMNS.get(self.path)
        if cols is not None and cols.generation == generation:
            return cols
        reader = searcher.reader()

        def col(name, default):
            if reader.has_column(name):
                return list(reader.column_reader(name))
            return [default] * reader.doc_count_all()

        cols = Columns(
            generation=generation,
            report_id=col("report_id", 0),
            year=col("year", 0),
            level=col("level", 0),
            kind=col("kind", ""),
            body_kind=col("body_kind", "gov"),
            province=col("province", ""),
            tree_path=col("tree_path", ""),
            title=col("sort_title", ""),
            live=list(reader.all_doc_ids()),
        )
        cols.by_report = {cols.report_id[d]: d for d in cols.live}
        cols.live_set = set(cols.live)
        text_field = self.content_field_name or "text"
        cols.length = [0] * reader.doc_count_all()
        for d in cols.live:
            cols.length[d] = reader.doc_field_length(d, text_field, 0)
        cols.avg_length = sum(cols.length) / max(len(cols.live), 1)
        with self._lock:
            _COLUMNS[self.path] = cols
        return cols

    def indexed_stamps(self) -> dict[int, str]:
        """report id -> the ``updated`` stamp stored in the index (for check_index)."""
        s = self.searcher()
        reader = s.reader()
        cols = self.columns(s)
        stamps = (
            list(reader.column_reader("updated"))
            if reader.has_column("updated")
            else [""] * reader.doc_count_all()
        )
        return {cols.report_id[d]: stamps[d] for d in cols.live}

    def search_reports(
        self,
        node,
        *,
        years: tuple[int | None, int | None] = (None, None),
        year: int | None = None,
        kind: str = "",
        tree_path: str = "",
        level: int | None = None,
        sort: str = "relevance",
        start: int = 0,
        stop: int = 20,
        body_kind: str = "",
    ) -> ReportMatches:
        """Reports matching ``node`` (None: every report) and the filters.

        Count and facets cover every match; only the slice [start:stop] is returned.
        ``level`` 0 is the national level: a region path tells it from "no region" (also 0).
        """
        s = self.searcher()
        cols = self.columns(s)

        def allowed(d):
            if year is not None and cols.year[d] != year:
                return False
            if years[0] is not None and cols.year[d] < years[0]:
                return False
            if years[1] is not None and cols.year[d] > years[1]:
                return False
            if kind and cols.kind[d] != kind:
                return False
            if body_kind and cols.body_kind[d] != body_kind:
                return False
            if tree_path and not cols.tree_path[d].startswith(tree_path):
                return False
            if level is not None and (cols.level[d] != level or not cols.tree_path[d]):
                return False
            return True

        filtering = (
            year is not None or any(v is not None for v in years) or kind or body_kind or tree_path
            or level is not None
        )
        fieldname = self.content_field_name or "text"
        terms: list[str] = []
        if node is None:
            docs = [d for d in cols.live if allowed(d)] if filtering else list(cols.live)
            if sort == "relevance":
                sort = "-year"
        else:
            universe = {d for d in cols.live if allowed(d)} if filtering else cols.live_set
            matched, terms = match_node(node, s.reader(), fieldname, universe)
            docs = sorted(matched & universe)

        if sort == "relevance":
            ranked = self._rank(s, fieldname, terms, docs, stop)[start:stop]
        else:
            year_col, title_col = cols.year, cols.title
            # Newest first (or oldest first); ties alphabetically by title.
            ordered = sorted(docs, key=lambda d: title_col[d])
            ordered.sort(key=lambda d: year_col[d], reverse=(sort == "-year"))
            ranked = [(d, 0.0) for d in ordered[start:stop]]
        page = [(cols.report_id[d], float(score)) for d, score in ranked]
        return ReportMatches(len(docs), page, _facets(cols, docs))

    def _rank(self, s, fieldname: str, terms: list[str], docs: list[int], stop: int) -> list[tuple[int, float]]:
        """The best ``stop`` of ``docs`` by BM25 over each query word's main term (top-k).

        Computed from the cached postings and the per-generation length column rather than
        with Whoosh's collector, which would read and score every posting block again.
        Documents matched only through a re-segmented phrase carry none of the main terms;
        they follow, newest first.
        """
        if not docs:
            return []
        cols = self.columns(s)
        reader = s.reader()
        allow = set(docs)
        n_docs = max(len(cols.live), 1)
        avg = cols.avg_length or 1.0
        lengths = cols.length
        scores: dict[int, float] = {}
        for term in dict.fromkeys(terms):
            postings = term_postings(reader, fieldname, term)
            df = len(postings.ids)
            if not df:
                continue
            idf = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
            for d, tf in zip(postings.ids, postings.freqs):
                if d in allow:
                    norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[d] / avg)
                    scores[d] = scores.get(d, 0.0) + idf * tf * (BM25_K1 + 1) / (tf + norm)
        ranked = heapq.nlargest(stop, scores.items(), key=lambda kv: (kv[1], -kv[0]))
        if len(ranked) < stop:
            year_col = cols.year
            rest = sorted((d for d in docs if d not in scores), key=lambda d: -year_col[d])
            ranked += [(d, 0.0) for d in rest[: stop - len(ranked)]]
        return ranked

    def matching_sections(self, node, report_ids: list[int], per_report: int = 3) -> dict[int, list[int]]:
        """For each report on the page: ids of its sections with the most query matches."""
        found = self.matching_section_offsets(node, report_ids, per_report)
        return {rid: [sid for sid, _ in sections] for rid, sections in found.items()}

    def matching_section_offsets(
        self, node, report_ids: list[int], per_report: int = 3
    ) -> dict[int, list[tuple[int, list[int]]]]:
        """``matching_sections`` with, for each section, where the words matched in it.

        Offsets are characters from the section's start (its heading, then its text): the
        snippet builder folds only the text around them instead of whole sections.
        """
        leaves = positive_leaves(node)
        if not leaves or not report_ids:
            return {}
        s = self.searcher()
        cols = self.columns(s)
        reader = s.reader()
        fieldname = self.content_field_name or "text"
        docnums = [cols.by_report[rid] for rid in report_ids if rid in cols.by_report]
        found = [occurrences(reader, fieldname, docnums, leaf) for leaf in leaves]
        out: dict[int, list[tuple[int, list[int]]]] = {}
        for docnum in docnums:
            rid = cols.report_id[docnum]
            smap = (reader.stored_fields(docnum) or {}).get("section_map") or []
            if not smap:
                continue
            per_word = [per_doc.get(docnum, ()) for per_doc in found]
            best = rank_sections(smap, per_word, per_report)
            where = offsets_in_sections(smap, per_word, best)
            out[rid] = [(sid, where.get(sid, [])) for sid in best]
        return out

    # -- writing ------------------------------------------------------------

    def _writer(self, ix, **kwargs):
        # Whoosh's lock is taken here, not inside SegmentWriter: a writer whose constructor
        # fails after locking (a read-only disk refuses its first file) would otherwise keep
        # the lock, unreachable, until the process exits.
        lock = ix.lock("WRITELOCK")
        if not try_for(lock.acquire, timeout=WRITE_LOCK_TIMEOUT, delay=0.05):
            raise IndexLocked("Whoosh write lock busy")
        try:
            writer = ix.writer(_lk=False, codec=index_codec(), **kwargs)
        except BaseException:
            lock.release()
            raise
        writer.writelock = lock  # released by commit() and cancel() (SegmentWriter._finish)
        return writer

    def update(self, index, iterable, commit=True):
        """Index (or re-index) reports.  Raises on any failure: the queue retries."""
        self._ensure()
        objs = list(iterable)
        if not objs:
            return
        prepare = getattr(index, "prepare_document", None) or index.full_prepare
        with writer_lock(self.path):
            ix = self.storage.open_index(indexname=REPORT_INDEX)
            writer = self._writer(ix)
            try:
                _delete_documents(writer, [get_identifier(obj) for obj in objs])
                if len(objs) >= BULK_MIN_DOCS:
                    segments = _bulk_segments(ix, prepare, objs, self.procs)
                    # Existing segments stay as they are, except those now wholly deleted.
                    kept = [seg for seg in writer._merge_segments(NO_MERGE, None, None) if seg.doc_count()]
                    # Repeated bulk updates: their small segments are merged into one.
                    final = merge_small_segments(ix, kept + segments, index_codec())
                    writer._close_segment()
                    writer._commit_toc(final)
                    writer._finish()
                else:
                    for obj in objs:
                        writer.add_document(**_whoosh_doc(prepare(obj)))
                    writer.commit()
            except BaseException:
                _abandon_writer(writer)
                raise
        self.index = ix

    def remove(self, obj_or_string, commit=True):
        """Delete one report's document.  Raises on failure (stock haystack only logs)."""
        self.remove_many([get_identifier(obj_or_string)])

    def remove_many(self, identifiers: list[str]):
        self._ensure()
        if not identifiers:
            return
        with writer_lock(self.path):
            ix = self.storage.open_index(indexname=REPORT_INDEX)
            writer = self._writer(ix)
            try:
                _delete_documents(writer, identifiers)
                writer.commit()
            except BaseException:
                _abandon_writer(writer)
                raise

    def clear(self, models=None, commit=True):
        """Empty the index (haystack's clear_index / rebuild_index)."""
        self._ensure()
        with writer_lock(self.path):
            ix = self.storage.open_index(indexname=REPORT_INDEX)
            writer = self._writer(ix)
            try:
                if models is None:
                    writer.delete_by_query(wq.Every())
                else:
                    from haystack.utils import get_model_ct

                    for model in models:
                        writer.delete_by_term(DJANGO_CT, get_model_ct(model))
                writer.commit(optimize=True)
            except BaseException:
                _abandon_writer(writer)
                raise

    def delete_index(self):
        self.clear()

    def optimize(self):
        self._ensure()
        with writer_lock(self.path):
            ix = self.storage.open_index(indexname=REPORT_INDEX)
            writer = self._writer(ix)
            writer.commit(optimize=True)


def _abandon_writer(writer) -> None:
    """Cancel a failed writer and ALWAYS let go of Whoosh's write lock.

    On a read-only or full disk ``cancel()`` itself can fail half-way (closing files of a
    segment it could not write) before it releases the lock, and the next writer of this
    process then waited the whole lock timeout inside the request."""
    try:
        if not writer.is_closed:
            writer.cancel()
    except Exception:
        log.warning("search index: cancelling a failed writer failed", exc_info=True)
    finally:
        lock = getattr(writer, "writelock", None)
        if lock is not None and getattr(lock, "fd", None) is not None:
            with contextlib.suppress(Exception):
                lock.release()
        writer.is_closed = True


def _delete_documents(writer, identifiers: list[str]) -> None:
    """Mark the documents with these haystack ids deleted, through one searcher.

    ``delete_by_term`` without a searcher opens a new one -- every segment's term file --
    for each call: re-indexing 1,000 reports into a 10,000-report index spent minutes there.
    """
    with writer.searcher() as searcher:
        for ident in identifiers:
            writer.delete_by_term(ID, ident, searcher=searcher)


def _facets(cols: Columns, docs) -> dict[str, dict]:
    years: dict[int, int] = {}
    provinces: dict[str, int] = {}
    levels: dict[int, int] = {}
    bodies: dict[str, int] = {}
    # Reports per region path: the service folds these into drill-down counts at any depth.
    paths: dict[str, int] = {}
    # Per level of the report's own region, the national level (0) included: a region path
    # tells it from "no region".  Saves the service a region query per search.
    region_levels: dict[int, int] = {}
    ycol, pcol, lcol, tcol, bcol = cols.year, cols.province, cols.level, cols.tree_path, cols.body_kind
    for d in docs:
        b = bcol[d]
        bodies[b] = bodies.get(b, 0) + 1
        t = tcol[d]
        if t:
            paths[t] = paths.get(t, 0) + 1
            region_levels[lcol[d]] = region_levels.get(lcol[d], 0) + 1
        y = ycol[d]
        if y:
            years[y] = years.get(y, 0) + 1
        p = pcol[d]
        if p:
            provinces[p] = provinces.get(p, 0) + 1
        lv = lcol[d]
        if lv:
            levels[lv] = levels.get(lv, 0) + 1
    return {
        "year": years, "province": provinces, "level": levels, "path": paths,
        "region_level": region_levels, "body_kind": bodies,
    }


def _whoosh_doc(doc: dict) -> dict:
    out = {}
    for key, value in doc.items():
        if key == "boost" or value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        out[key] = value
    return out


def _bulk_segments(ix, prepare, objs: list, procs: int) -> list:
    """Analyse and write ``objs`` as new segments, in ``procs`` forked workers if > 1.

    Workers inherit ``objs`` (already loaded, sections prefetched) and never touch the
    database; they write segments without taking the lock (the parent holds it and commits).
    """
    if procs <= 1:
        return _write_segments(ix.storage, ix.indexname, prepare, objs)
    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    workers = []
    for k in range(procs):
        p = ctx.Process(target=_segment_worker, args=(ix.storage, ix.indexname, prepare, objs[k::procs], results))
        p.start()
        workers.append(p)
    segments, errors = [], []
    for _ in workers:
        kind, payload = results.get()
        if kind == "ok":
            segments.extend(payload)
        else:
            errors.append(payload)
    for p in workers:
        p.join()
    if errors:
        raise SearchBackendError("parallel indexing failed: " + "; ".join(errors))
    return segments


def _segment_worker(storage, indexname, prepare, objs, results):
    try:
        results.put(("ok", _write_segments(storage, indexname, prepare, objs)))
    except BaseException as exc:  # report to the parent, never hang it
        results.put(("error", f"{type(exc).__name__}: {exc}"))


def _write_segments(storage, indexname, prepare, objs) -> list:
    ix = storage.open_index(indexname=indexname)
    segments = []
    writer = GroupingSegmentWriter(ix, _lk=False, codec=index_codec())
    try:
        for obj in objs:
            writer.add_document(**_whoosh_doc(prepare(obj)))
            if writer.pending_postings >= MAX_SEGMENT_POSTINGS:
                segments.append(writer.write_segment())
                writer = GroupingSegmentWriter(ix, _lk=False, codec=index_codec())
        segment = writer.write_segment()
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    if segment is not None:
        segments.append(segment)
    return segments


class ArchiveWhooshSearchQuery(WhooshSearchQuery):
    pass


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshSearchBackend
    query = ArchiveWhooshSearchQuery


def get_backend(using: str = "default") -> ArchiveWhooshSearchBackend:
    from haystack import connections

    return connections[using].get_backend()
