"""Pure text analysis: folding, segmentation, query terms, Whoosh analyzer."""

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields, index

from search import analysis
from search.analysis import (
    USER_DICTIONARY,
    ArchiveAnalyzer,
    archive_analyzer,
    build_whoosh_query,
    fold,
    query_alternatives,
    query_terms,
    segment,
)

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
MIXED = st.one_of(
    CJK,
    st.characters(min_codepoint=0x3400, max_codepoint=0x4DBF),
    st.characters(min_codepoint=0xF900, max_codepoint=0xFAFF),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
    st.sampled_from(list("，。、 \n\t()ABCabc123İẞ")),
)


# ---------------------------------------------------------------- fold


def test_fold_traditional_to_simplified():
    assert fold("蘇州工業園區") == "苏州工业园区"
    assert fold("廣州") == "广州"
    assert fold("行政機關負責人出庭應訴") == "行政机关负责人出庭应诉"


def test_fold_width_and_case():
    assert fold("２０２０年ＡＢＣ") == "2020年abc"
    assert fold("GDP　Covid") == "gdp covid"
    assert fold("") == ""


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=CJK, max_size=80))
def test_fold_preserves_length_cjk(text):
    assert len(fold(text)) == len(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=MIXED, max_size=80))
def test_fold_preserves_length_mixed(text):
    assert len(fold(text)) == len(text)


def test_fold_never_changes_length_of_common_phrases():
    # OpenCC t2s has phrase tables; these exercise several of them.
    for s in ["乾隆皇帝", "著作權", "於是他", "頭髮", "一隻", "後來", "裏面", "瞭解", "覆蓋", "皇后"]:
        assert len(fold(s)) == len(s)


# ---------------------------------------------------------------- segment


def _main(tokens):
    """The first token at each position (the main word)."""
    seen, out = set(), []
    for t in tokens:
        if t.pos not in seen:
            seen.add(t.pos)
            out.append(t)
    return out


def test_positions_are_consecutive_word_positions():
    toks = segment("推进法治政府建设工作报告")
    main = _main(toks)
    assert [t.pos for t in main] == list(range(len(main)))
    assert [t.text for t in main] == ["推进", "法治政府建设", "工作", "报告"]


def test_offsets_point_into_original_traditional_text():
    text = "推進法治政府建設，出庭應訴率達到100%"
    for t in segment(text):
        original = text[t.start : t.end]
        if not t.text[0] in "<>=" and not t.text[-1] in "<>":
            assert fold(original) == t.text
    main = _main(segment(text))
    assert "".join(text[t.start : t.end] for t in main) == "推進法治政府建設出庭應訴率達到100"


def test_subwords_at_same_position():
    toks = segment("出庭应诉率")
    assert {t.pos for t in toks} == {0}
    texts = {t.text for t in toks}
    assert {"出庭应诉率", "出庭", "应诉", "率", "县"} - texts == {"县"}


def test_punctuation_and_whitespace_dropped_and_gap_at_clause_punctuation():
    main = _main(segment("生态，环境 保护"))
    assert [t.text for t in main] == ["生态", "环境", "保护"]
    # clause punctuation leaves one gap, whitespace none
    assert [t.pos for t in main] == [0, 2, 3]
    assert all(t.text.strip("，。 ") for t in segment("，。！？   "))
    assert segment("，。！？   ") == []


def test_numbers_and_latin_kept_lowercased():
    main = [t.text for t in _main(segment("2020年GDP增长5G基站"))]
    assert "2020" in main and "gdp" in main and "5g" in main


def test_user_dictionary_words_kept_whole():
    words = [line.split()[0] for line in USER_DICTIONARY.read_text("utf-8").splitlines() if line.strip()]
    assert len(words) >= 100
    for w in words:
        assert [t.text for t in _main(segment(w))] == [w], w


def test_user_dictionary_format():
    for line in USER_DICTIONARY.read_text("utf-8").splitlines():
        word, freq, tag = line.split(" ")
        assert int(freq) > 0 and tag


# ---------------------------------------------------------------- query side


def test_query_terms_shapes():
    assert query_terms("出庭应诉率") == [["出庭应诉率", "<出庭应诉率", "出庭应诉率>"]]
    assert query_terms("县") == [["县", "<县", "县>"]]
    assert query_terms("，。") == []
    assert query_terms("應訴率") == [["=应诉", "<应诉"], ["=率", "率>"]]


def _phrase_match(text, word):
    """Pure-Python positional match, exactly what the index does."""
    by_pos = {}
    for t in segment(text):
        by_pos.setdefault(t.pos, set()).add(t.text)
    for phrase in query_alternatives(word):
        for start in by_pos:
            if all(set(alts) & by_pos.get(start + i, set()) for i, alts in enumerate(phrase)):
                return True
    return False


@pytest.mark.parametrize(
    "text,word,expected",
    [
        ("出庭应诉率达到100%", "出庭应诉率", True),
        ("负责人出庭应诉率离上级要求尚有距离", "出庭应诉率", True),
        ("出庭工作，应诉案件，率先完成", "出庭应诉率", False),
        ("出庭应诉率达到100%", "应诉", True),
        ("出庭应诉率达到100%", "应诉率", True),
        ("出庭应诉率达到100%", "庭应", True),
        ("法治政府建设工作报告", "政府建设", True),
        ("法治政府建设工作报告", "府建", True),
        ("法治政府建设工作报告", "政府工作", False),
        ("生态，环境", "生态环境", False),
        ("深化改革开放创新", "改革开放", True),
        ("县政府", "县", True),
        ("通过率", "率", True),
        ("英利6.5GW光伏", "5g", True),
        ("2020年", "2020", True),
        ("蘇州工業園區", "苏州工业园区", True),
        ("苏州工业园区", "蘇州工業園區", True),
        ("廣州市", "广州", True),
        ("广州市", "廣州", True),
    ],
)
def test_phrase_precision_and_recall(text, word, expected):
    assert _phrase_match(text, word) is expected


# ---------------------------------------------------------------- Whoosh analyzer


def test_analyzer_tokens_positions_offsets():
    an = archive_analyzer()
    toks = [(t.text, t.pos, t.startchar, t.endchar) for t in an("廣州 abc", positions=True, chars=True, start_pos=10, start_char=5)]
    assert ("广州", 10, 5, 7) in toks
    assert ("abc", 11, 8, 11) in toks


def test_analyzer_tokenize_false_single_token():
    an = archive_analyzer()
    toks = [(t.text, t.pos) for t in an("廣州 ABC", positions=True, tokenize=False)]
    assert toks == [("广州 abc", 0)]


def test_analyzer_query_mode_main_words_only():
    an = archive_analyzer()
    assert [t.text for t in an("出庭应诉率达到", mode="query")] == ["出庭应诉率", "达到"]


def test_analyzer_pickles_and_compares():
    an = archive_analyzer()
    again = pickle.loads(pickle.dumps(an))
    assert again == an and isinstance(again, ArchiveAnalyzer)
    assert type(an).__module__ == "search.analysis"


def test_jieba_cache_not_in_shared_tmp():
    assert analysis._TOKENIZER.cache_file == "fazhi-jieba.cache"
    assert analysis._TOKENIZER.tmp_dir


def test_whoosh_end_to_end(tmp_path):
    schema = fields.Schema(id=fields.ID(stored=True), text=fields.TEXT(analyzer=archive_analyzer(), phrase=True))
    ix = index.create_in(str(tmp_path), schema)
    docs = {
        "a": "行政機關負責人出庭應訴率達到100%",
        "b": "出庭工作，应诉案件，率先完成",
        "c": "法治政府建设工作报告",
        "d": "县政府召开会议",
    }
    with ix.writer() as w:
        for k, v in docs.items():
            w.add_document(id=k, text=v)
    ix = index.open_dir(str(tmp_path))
    with ix.searcher() as s:
        def ids(q):
            return sorted(h["id"] for h in s.search(build_whoosh_query("text", q), limit=None))

        assert ids("出庭应诉率") == ["a"]
        assert ids("應訴率") == ["a"]
        assert ids("政府建设") == ["c"]
        assert ids("县") == ["d"]
        assert ids("率") == ["a", "b"]
        assert ids("100") == ["a"]
        assert ids("，") == []
        from whoosh.query import Every

        assert len(s.search(Every(), limit=None)) == 4
