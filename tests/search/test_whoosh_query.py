"""Offset phrases and word widening against a real Whoosh index (no Django needed)."""

import pytest
from whoosh import fields, index
from whoosh.query import Every

from search.analysis import archive_analyzer
from search.whoosh_query import OffsetPhrase, occurrences, word_query

DOCS = {
    "a": "行政機關負責人出庭應訴率達到100%",
    "b": "出庭工作，应诉案件，率先完成",
    "c": "法治政府建设工作报告",
    "d": "县政府召开会议",
    "e": "出庭 应诉率",
}


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    path = tmp_path_factory.mktemp("ix")
    schema = fields.Schema(id=fields.ID(stored=True), text=fields.TEXT(analyzer=archive_analyzer(), phrase=True))
    ix = index.create_in(str(path), schema)
    with ix.writer() as w:
        for k, v in DOCS.items():
            w.add_document(id=k, text=v)
    with index.open_dir(str(path)).searcher() as s:
        yield s


def ids(searcher, word):
    q = word_query(searcher, "text", word)
    return sorted(h["id"] for h in searcher.search(q, limit=None)) if q is not None else []


@pytest.mark.parametrize(
    "word,expected",
    [
        ("出庭应诉率", ["a"]),
        ("應訴率", ["a", "e"]),
        ("政府建设", ["c"]),
        ("县", ["d"]),
        ("100", ["a"]),
        ("，", []),
        ("应诉", ["a", "b", "e"]),
        ("生态环境", []),
    ],
)
def test_word_query(searcher, word, expected):
    assert ids(searcher, word) == expected


def test_offset_phrase_needs_exact_offsets(searcher):
    hit = OffsetPhrase("text", [("出庭", 0), ("应诉", 2)])
    gap = OffsetPhrase("text", [("出庭", 0), ("应诉", 3)])
    assert sorted(h["id"] for h in searcher.search(hit, limit=None)) == ["a"]
    assert sorted(h["id"] for h in searcher.search(gap, limit=None)) == ["e"]
    assert len(searcher.search(Every(), limit=None)) == len(DOCS)


def test_occurrences_are_character_offsets(searcher):
    docnum = next(searcher.document_numbers(id="a"))
    assert occurrences(searcher, "text", docnum, "出庭应诉率") == [DOCS["a"].index("出庭應訴率")]
