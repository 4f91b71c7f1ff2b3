"""GroupingSegmentWriter writes the very files Whoosh's own SegmentWriter writes."""

from collections import defaultdict
from pathlib import Path

import pytest
from whoosh import query as wq
from whoosh.fields import ID, NUMERIC, STORED, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from search.analysis import archive_analyzer, index_terms
from search.backends import index_codec
from search.segment_writing import GroupingSegmentWriter
from search.whoosh_fields import Analyzed, ArchiveText

SEEDS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "seeds").glob("*.txt"))


def _schema():
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(sortable=True),
        year=NUMERIC(int, bits=64, sortable=True),
        text=ArchiveText(analyzer=archive_analyzer(), phrase=True),
        title=ArchiveText(analyzer=archive_analyzer(), phrase=True),
        extra=STORED(),
    )


def _analysed(text: str) -> Analyzed:
    postings = defaultdict(list)
    for term, offset in index_terms(text):
        postings[term].append(offset)
    return Analyzed(text, dict(postings))


def _documents():
    """300 documents: the seeds over and over (common terms span several 128-posting blocks),
    with a document lacking its text, one with an empty title and a plain-string field."""
    texts = [p.read_text("utf-8") for p in SEEDS]
    analysed = [_analysed(t) for t in texts]
    docs = []
    for n in range(300):
        doc = {"id": f"r{n}", "kind": "gwr" if n % 3 else "fzzf", "year": 2000 + n % 25, "extra": [n, "x"]}
        if n % 50 != 7:
            doc["text"] = analysed[n % len(analysed)]
        doc["title"] = "" if n % 40 == 3 else f"第{n}号 法治政府建设年度报告"
        docs.append(doc)
    return docs


def _write(tmp_path: Path, writer_class) -> dict[str, bytes]:
    tmp_path.mkdir()
    storage = FileStorage(str(tmp_path))
    ix = storage.create_index(_schema(), indexname="t")
    writer = writer_class(ix, _lk=False, codec=index_codec(), compound=False)
    for doc in _documents():
        writer.add_document(**doc)
    segment = writer._finalize_segment()
    prefix = f"t_{segment.segid}."
    return {name[len(prefix) :]: storage.open_file(name).read() for name in storage.list() if name.startswith(prefix)}


def test_files_are_byte_for_byte_whooshs(tmp_path):
    whoosh_files = _write(tmp_path / "whoosh", SegmentWriter)
    grouped_files = _write(tmp_path / "grouped", GroupingSegmentWriter)
    assert {"trm", "pst", "_text_len.col"} <= set(whoosh_files)
    assert sorted(grouped_files) == sorted(whoosh_files)
    for ext, content in whoosh_files.items():
        assert grouped_files[ext] == content, ext


def test_written_segment_searches(tmp_path):
    storage = FileStorage(str(tmp_path))
    ix = storage.create_index(_schema(), indexname="t")
    writer = GroupingSegmentWriter(ix, _lk=False, codec=index_codec())
    for doc in _documents():
        writer.add_document(**doc)
    assert writer.pending_postings > 0
    segment = writer.write_segment()
    toc_writer = ix.writer()
    toc_writer._commit_toc([segment])
    toc_writer._finish()
    with storage.open_index(indexname="t").searcher() as s:
        assert s.doc_count() == 300
        assert s.search(wq.Term("id", "r42"))[0]["id"] == "r42"
        # Every document but the six without text contains 法治 somewhere in its seed text.
        with_text = s.search(wq.Term("text", "法治"), limit=None).docs()
        without_text = {n for n in range(300) if n % 50 == 7}
        assert len(with_text) == 300 - len(without_text)
        assert s.search(wq.Term("year", 2003), limit=None).scored_length() == 12


def test_empty_writer_writes_nothing(tmp_path):
    storage = FileStorage(str(tmp_path))
    ix = storage.create_index(_schema(), indexname="t")
    writer = GroupingSegmentWriter(ix, _lk=False, codec=index_codec())
    assert writer.write_segment() is None


def test_refuses_spelling_fields(tmp_path):
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import TEXT

    storage = FileStorage(str(tmp_path))
    ix = storage.create_index(Schema(t=TEXT(analyzer=StemmingAnalyzer(), spelling=True)), indexname="t")
    with pytest.raises(ValueError, match="spelling"):
        GroupingSegmentWriter(ix, _lk=False)
