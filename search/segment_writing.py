"""Writing Whoosh segments from postings grouped by term, for bulk indexing.

Whoosh's ``SegmentWriter`` pushes every posting, as a (field, term, docnum, weight, value)
tuple, into a ``PostingPool``; at the end it sorts the whole pool and then, posting by posting,
reads the document's length back from the column it has just written and hands the posting to
the codec, which type-checks it and appends it to a block buffer.  For report documents (~2,600
distinct terms each) that was over a third of indexing time.

``GroupingSegmentWriter`` keeps Whoosh's ``add_document`` (stored fields, columns, lengths are
written exactly as before) but replaces the pool with ``TermGroups``: postings are grouped by
(field, term) as they arrive -- documents are added in docnum order, so each group is already
sorted -- only the distinct terms are sorted, each field's lengths are read once per document,
and each block of up to ``blocklimit`` postings is handed to the codec's postings writer whole.
The files written are byte-for-byte those ``SegmentWriter`` writes
(tests/search/test_segment_writing.py compares them).

It relies on the internals of Whoosh 2.7.4's W3 codec (``W3PostingsWriter``'s block buffer),
which is pinned and no longer developed; the byte-for-byte test guards any upgrade.
"""

from __future__ import annotations

from array import array

from whoosh.writing import SegmentWriter

__all__ = ["GroupingSegmentWriter", "TermGroups", "merge_small_segments", "small_segments"]

# A segment is "small" when it holds fewer live documents than this share of the largest one:
# what repeated small bulk updates (imports, queue drains of 64+ reports) leave behind.
SMALL_SEGMENT_SHARE = 0.25


class TermGroups:
    """Stands in for ``SegmentWriter.pool``: postings grouped by (field name, term bytes)."""

    def __init__(self) -> None:
        # (fieldname, btext) -> (docnums, weights, values); docnums ascending.  Weights are
        # kept as doubles: the block's maximum weight is taken before float32 storage.
        self.groups: dict[tuple[str, bytes], tuple[array, array, list]] = {}
        self.postings = 0

    def add(self, item) -> None:
        fieldname, btext, docnum, weight, value = item
        key = (fieldname, btext)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = (array("I"), array("d"), [])
        group[0].append(docnum)
        group[1].append(weight)
        group[2].append(value)
        self.postings += 1

    def cleanup(self) -> None:
        self.groups = {}
        self.postings = 0


class GroupingSegmentWriter(SegmentWriter):
    """A ``SegmentWriter`` for one new segment, written with ``write_segment()``.

    Not a general writer: no merging, no deletions, no spelling fields -- what a bulk indexing
    worker needs (the caller commits the returned segments under the index lock).
    """

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        spelling = [name for name, field in self.schema.items() if field.separate_spelling()]
        if spelling:
            raise ValueError(f"GroupingSegmentWriter cannot write separate spelling fields: {spelling}")
        self.pool.cleanup()
        self.pool = TermGroups()

    @property
    def pending_postings(self) -> int:
        return self.pool.postings

    def write_segment(self):
        """Finish the segment's files and return it (None if no document was added).

        The writer is closed afterwards.  Its temporary storage is left alone: it is shared by
        name with the writer that commits, which removes it.
        """
        segment = self._finalize_segment() if self._added else None
        if segment is None:
            self._close_segment()
        self.is_closed = True
        return segment

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths_reader = self.per_document_reader() if self.codec.length_stats else None
        try:
            _write_postings(self.fieldwriter, self.schema, self.pool.groups, lengths_reader, self.docnum)
        finally:
            if lengths_reader:
                lengths_reader.close()
        self.fieldwriter.close()


def _write_postings(fieldwriter, schema, groups, lengths_reader, doc_count: int) -> None:
    """What ``FieldWriter.add_postings`` does with a sorted pool, one block at a time."""
    fieldname = None
    for key in sorted(groups):
        if key[0] != fieldname:
            if fieldname is not None:
                fieldwriter.finish_field()
            fieldname = key[0]
            fieldwriter.start_field(fieldname, schema[fieldname])
            postwriter = fieldwriter._postwriter
            limit = postwriter._blocklimit
            if lengths_reader is not None:
                length_of = [lengths_reader.doc_field_length(d, fieldname) for d in range(doc_count)]
            else:
                length_of = [0] * doc_count
        docnums, weights, values = groups[key]
        fieldwriter.start_term(key[1])
        for i in range(0, len(docnums), limit):
            if i:
                postwriter._write_block()
            _fill_block(postwriter, docnums[i : i + limit], weights[i : i + limit], values[i : i + limit], length_of)
        fieldwriter.finish_term()
    if fieldname is not None:
        fieldwriter.finish_field()


def _fill_block(postwriter, docnums: array, weights: array, values: list, length_of: list) -> None:
    """Set the block buffer as ``W3PostingsWriter.add_posting`` would, posting by posting."""
    postwriter._ids = docnums
    postwriter._weights = array("f", weights)
    postwriter._values = [v for v in values if v]
    postwriter._maxweight = max(0, max(weights))
    lengths = [length_of[d] for d in docnums]
    lengths = [n for n in lengths if n]
    postwriter._minlength = min(lengths) if lengths else None
    postwriter._maxlength = max(lengths) if lengths else 0


def small_segments(segments: list) -> list:
    """The segments a bulk update should merge: every small one, when there are two or more.

    Each segment costs every query (one more term look-up per word) and every worker's warm-up,
    so repeated bulk updates must not only add segments.  Segments of similar size (those a
    single bulk run writes, each up to the posting cap) are left alone: merging them would
    rewrite the whole index posting by posting.
    """
    if len(segments) < 2:
        return []
    largest = max(seg.doc_count() for seg in segments)
    small = [seg for seg in segments if seg.doc_count() < SMALL_SEGMENT_SHARE * largest]
    return small if len(small) >= 2 else []


def merge_small_segments(ix, segments: list, codec) -> list:
    """``segments`` with the small ones (``small_segments``) merged into one new segment.

    The merged segment is written like a bulk one (``GroupingSegmentWriter.add_reader``:
    Whoosh's own copy of stored fields, columns and postings, deleted documents dropped);
    the caller commits the returned list under the index lock, which removes the old files.
    """
    from whoosh.reading import SegmentReader

    small = small_segments(segments)
    if not small:
        return segments
    writer = GroupingSegmentWriter(ix, _lk=False, codec=codec)
    try:
        for seg in small:
            reader = SegmentReader(ix.storage, ix.schema, seg)
            try:
                writer.add_reader(reader)
            finally:
                reader.close()
        merged = writer.write_segment()
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    ids = {id(seg) for seg in small}
    kept = [seg for seg in segments if id(seg) not in ids]
    return kept + ([merged] if merged is not None else [])
