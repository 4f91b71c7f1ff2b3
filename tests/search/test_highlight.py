"""Highlighting in the original script, always escaped."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.folding import fold
from search.highlight import find_matches, fold_near, highlight_html, snippet_html


def test_simplified_term_finds_traditional_text():
    text = "我們在廣州召開會議"
    assert find_matches(text, ["广州"]) == [(3, 5)]
    assert highlight_html(text, ["广州"]) == "我們在<mark>廣州</mark>召開會議"


def test_traditional_term_finds_simplified_text():
    text = "苏州工业园区管委会"
    assert find_matches(text, ["蘇州工業園區"]) == [(0, 6)]


def test_exact_offsets_in_traditional_text():
    text = "行政機關負責人出庭應訴率達到100%"
    assert find_matches(text, ["出庭应诉率"]) == [(7, 12)]
    assert text[7:12] == "出庭應訴率"
    assert highlight_html(text, ["应诉", "100"]) == "行政機關負責人出庭<mark>應訴</mark>率達到<mark>100</mark>%"


def test_matches_merged_and_sorted():
    assert find_matches("法治政府建设", ["政府", "法治", "政府建设"]) == [(0, 6)]
    assert find_matches("县县县", ["县"]) == [(0, 3)]
    assert find_matches("ab cd ab", ["AB"]) == [(0, 2), (6, 8)]


def test_whitespace_inside_text_tolerated():
    assert find_matches("政 府 工 作 报 告", ["工作"]) == [(4, 7)]


def test_phrase_terms_matched_by_piece():
    assert find_matches("法治与政府", ["法治 政府"]) == [(0, 2), (3, 5)]


def test_punctuation_only_terms_ignored():
    assert find_matches("a，b。", ["，", "", "   "]) == []
    assert find_matches("", ["a"]) == []


def test_html_in_text_escaped():
    text = "<script>alert('法治')</script>"
    out = highlight_html(text, ["法治"])
    assert "<script>" not in out
    assert out == "&lt;script&gt;alert(&#x27;<mark>法治</mark>&#x27;)&lt;/script&gt;"


def test_html_term_does_not_inject():
    text = "a <b>粗体</b> c"
    out = highlight_html(text, ["<b>"])
    assert out == "a <mark>&lt;b&gt;</mark>粗体&lt;/b&gt; c"


def test_snippet_no_match_is_beginning():
    text = "甲" * 300
    assert snippet_html(text, ["乙"], width=10) == "甲" * 10 + "…"
    assert snippet_html("短文本", ["乙"]) == "短文本"


def test_snippet_window_and_ellipses():
    text = "前" * 200 + "出庭應訴率" + "后" * 200
    out = snippet_html(text, ["出庭应诉率"], width=40)
    assert out.startswith("…") and out.endswith("…")
    assert "<mark>出庭應訴率</mark>" in out
    assert len(out.replace("<mark>", "").replace("</mark>", "")) <= 40 + 2


def test_snippet_two_fragments_in_order():
    text = "法治" + "中" * 300 + "信访" + "尾" * 300
    out = snippet_html(text, ["法治", "信访"], width=30, max_fragments=2)
    assert out.index("<mark>法治</mark>") < out.index("<mark>信访</mark>")
    assert out.count("…") == 2


def test_snippet_escapes():
    text = "<img src=x onerror=alert(1)> 法治 " + "x" * 300
    out = snippet_html(text, ["法治"])
    assert "<img" not in out and "&lt;img" in out


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.lists(st.text(max_size=8), max_size=4))
def test_highlight_never_leaks_markup(text, terms):
    out = highlight_html(text, terms)
    stripped = out.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped
    snip = snippet_html(text, terms, width=50)
    assert "<" not in snip.replace("<mark>", "").replace("</mark>", "")
    spans = find_matches(text, terms)
    assert spans == sorted(spans)
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] < spans[i + 1][0] for i in range(len(spans) - 1))


# ------------------------------------------- folding only near the index's match offsets


def _corpus_texts():
    from reports.sample_corpus import corpus_files

    return [p.read_text("utf-8") for p in corpus_files()[::6]]


def test_fold_is_chunk_local_on_the_corpus():
    """What fold_near relies on: folding a chunk between edges equals that part of fold(all)."""
    from search.highlight import _CHUNK_EDGES

    chunk = re.compile(f"[^{_CHUNK_EDGES}]*[{_CHUNK_EDGES}]?")
    for text in _corpus_texts():
        folded = fold(text)
        for m in chunk.finditer(text):
            a, b = m.span()
            if a < b:
                assert fold(text[a:b]) == folded[a:b]


def test_fold_near_is_fold_around_the_offsets():
    text = "廣州市人民政府。" * 40 + "甲" * 500 + "，蘇州工業園區，" + "乙" * 500
    offsets = [text.index("蘇州")]
    partial = fold_near(text, offsets, 40)
    full = fold(text)
    assert len(partial) == len(text)
    at = offsets[0]
    assert partial[at - 40 : at + 80] == full[at - 40 : at + 80]
    assert partial[:10] == text[:10]  # far from every offset: left as it is


@pytest.mark.parametrize("word", ["法治政府", "行政复议", "经济", "廣州", "疫情防控"])
def test_snippet_near_index_offsets_equals_whole_text_snippet(word):
    """Offsets as the index gives them (every match) give the same snippet as folding it all."""
    piece = fold(word)
    for text in _corpus_texts():
        folded = fold(text)
        offsets = [m.start() for m in re.finditer(piece, folded)]
        assert snippet_html(text, [word], near=offsets) == snippet_html(text, [word])
