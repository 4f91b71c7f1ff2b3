"""Offset phrases and word widening against a real Whoosh index (no Django needed)."""

import pytest
from whoosh import fields, index

from search.analysis import archive_analyzer
from search.whoosh_query import occurrences, word_match

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
    # Two commits: two segments, so document numbers are offset in the second one.
    items = list(DOCS.items())
    for chunk in (items[:2], items[2:]):
        with ix.writer() as w:
            w.merge = False
            for k, v in chunk:
                w.add_document(id=k, text=v)
    with index.open_dir(str(path)).searcher() as s:
        assert not s.reader().is_atomic()
        yield s


def ids(searcher, word):
    return sorted(searcher.stored_fields(d)["id"] for d in word_match(searcher.reader(), "text", word).docs)


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


def test_phrase_needs_exact_offsets(searcher):
    # 出庭 then 应诉 two characters later: the text of "a" (出庭應訴率); "e" has a space between.
    assert ids(searcher, "出庭应诉") == ["a"]
    assert ids(searcher, "出庭 应诉") == ["e"]
    assert word_match(searcher.reader(), "text", "出庭应诉率").terms[0] == "出庭应诉率"


def test_occurrences_are_character_offsets(searcher):
    docnum = next(searcher.document_numbers(id="a"))
    found = occurrences(searcher.reader(), "text", [docnum], "出庭应诉率")
    assert found == {docnum: [DOCS["a"].index("出庭應訴率")]}


def test_block_walk_reads_the_same_positions_as_whoosh(tmp_path):
    """Across several posting blocks (128 postings each) and two segments."""
    from search.whoosh_query import _positions_in

    schema = fields.Schema(id=fields.ID(stored=True), text=fields.TEXT(analyzer=archive_analyzer(), phrase=True))
    ix = index.create_in(str(tmp_path), schema)
    for chunk in (range(0, 300), range(300, 450)):
        with ix.writer() as w:
            w.merge = False
            for n in chunk:
                w.add_document(id=str(n), text="行政复议" + "，" * (n % 7) + "行政复议" * (n % 3))
    with ix.searcher() as s:
        reader = s.reader()
        wanted = sorted(range(0, 450, 7))
        fast = _positions_in(reader, "text", "行政复议", wanted)
        slow = {}
        m = reader.postings("text", "行政复议")
        for d in wanted:
            m.skip_to(d)
            if m.is_active() and m.id() == d:
                slow[d] = list(m.value_as("positions"))
        assert fast == slow and len(fast) == len(wanted)
