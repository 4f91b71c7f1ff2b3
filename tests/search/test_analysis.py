"""Pure text analysis: folding, segmentation, query terms, Whoosh analyzer."""

import pickle
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import folding
from reports.sample_corpus import corpus_files
from search import analysis
from search.analysis import (
    USER_DICTIONARY,
    ArchiveAnalyzer,
    archive_analyzer,
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


# Every character the width/case table changes, plus neighbours it leaves alone.
_TABLE_CHARS = "".join(chr(cp) for cp in folding._WIDTH_TABLE) + "中文。、abc 123\n𠀀"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_TABLE_CHARS, max_size=120))
def test_fast_width_fold_is_the_table_translation(text):
    assert folding._width_fold(text) == text.translate(folding._WIDTH_TABLE)


def test_fast_width_fold_on_the_corpus():
    for path in corpus_files()[::4]:
        text = path.read_text("utf-8")
        assert folding._width_fold(text) == text.translate(folding._WIDTH_TABLE), path.name


def test_width_table_is_idempotent():
    """fold() skips its second table pass when OpenCC changed nothing: safe only if so."""
    table = folding._WIDTH_TABLE
    assert not [cp for cp, out in table.items() if ord(out) in table]


def test_fold_never_changes_length_of_common_phrases():
    # OpenCC t2s has phrase tables; these exercise several of them.
    for s in ["乾隆皇帝", "著作權", "於是他", "頭髮", "一隻", "後來", "裏面", "瞭解", "覆蓋", "皇后"]:
        assert len(fold(s)) == len(s)


# ---------------------------------------------------------------- segment


def _main(tokens):
    """The main words: tokens that do not lie inside the previous main word."""
    out = []
    for t in tokens:
        if not out or t.start >= out[-1].end:
            out.append(t)
    return out


def test_positions_are_character_offsets():
    toks = segment("推进法治政府建设工作报告")
    main = _main(toks)
    assert [t.text for t in main] == ["推进", "法治政府建设", "工作", "报告"]
    assert [t.pos for t in main] == [0, 2, 8, 10]
    assert all(t.pos == t.start for t in toks)


def test_offsets_point_into_original_traditional_text():
    text = "推進法治政府建設，出庭應訴率達到100%"
    for t in segment(text):
        assert fold(text[t.start : t.end]) == t.text
    main = _main(segment(text))
    assert "".join(text[t.start : t.end] for t in main) == "推進法治政府建設出庭應訴率達到100"


def test_subwords_at_their_own_offsets():
    toks = segment("负责人出庭应诉率")
    found = {(t.text, t.pos) for t in toks}
    assert {("负责人", 0), ("出庭应诉率", 3), ("出庭", 3), ("应诉", 5), ("出庭应诉", 3)} <= found
    # No single characters or non-dictionary fragments inside a word: ~0.55 tokens a character.
    assert ("庭", 4) not in found and ("庭应", 4) not in found


def test_punctuation_and_whitespace_dropped_but_occupy_offsets():
    main = _main(segment("生态，环境 保护"))
    assert [t.text for t in main] == ["生态", "环境", "保护"]
    assert [t.pos for t in main] == [0, 3, 6]
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


# ------------------------------------------- our segmenter is jieba's HMM-free cut

SEEDS_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


def _jieba_words(folded):
    """Reference: jieba's own cut(HMM=False), offsets counted, words without a letter or digit dropped."""
    out, offset = [], 0
    for word in analysis._TOKENIZER.cut(folded, HMM=False):
        if any(unicodedata.category(ch)[0] in "LN" for ch in word):
            out.append((word, offset, offset + len(word)))
        offset += len(word)
    return out


def _reference_index_terms(folded):
    """Reference: the index terms spelt out plainly (main word, its sub-words, span words)."""
    words = _jieba_words(folded)
    freq = analysis._TOKENIZER.FREQ
    out = []
    for i, (word, start, end) in enumerate(words):
        out.append((word, start, end))
        heads = [(word, start)]
        for frag, s, e in analysis._sub_words(word):
            out.append((frag, start + s, start + e))
            if e == len(word):
                heads.append((frag, start + s))
        for head, head_start in heads:
            span, span_end = head, end
            for nxt, nxt_start, nxt_end in words[i + 1 : i + 3]:
                if nxt_start != span_end or len(span) + len(nxt) > analysis.MAX_SPAN_WORD:
                    break
                span, span_end = span + nxt, nxt_end
                if freq.get(span):
                    out.append((span, head_start, span_end))
    return out


def _texts_for_segmenter_check():
    texts = [p.read_text("utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))]
    # Every 8th corpus report keeps the test to ~2 s; the edge-case test below covers the rest.
    texts += [p.read_text("utf-8") for p in corpus_files()[::8]]
    return texts


def test_main_words_are_jiebas_cut_on_real_reports():
    texts = _texts_for_segmenter_check()
    assert len(texts) >= 5
    for text in texts:
        folded = fold(text)
        assert analysis._main_words(folded) == _jieba_words(folded)


def test_index_terms_match_the_plain_reference_on_real_reports():
    for text in _texts_for_segmenter_check()[:10]:
        folded = fold(text)
        assert analysis._index_terms(folded) == _reference_index_terms(folded)


RUN_EDGE_CASES = st.text(
    st.one_of(CJK, st.sampled_from(list("法治政府建设出庭应诉率行政复议 abcXYZ0129+#&._%-，。\n()İ٣²"))),
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(RUN_EDGE_CASES)
def test_main_words_are_jiebas_cut_on_edge_cases(text):
    # Raw (unfolded) text too: Latin capitals, symbol-only runs, non-ASCII digits.
    assert analysis._main_words(text) == _jieba_words(text)
    folded = fold(text)
    assert analysis._index_terms(folded) == _reference_index_terms(folded)


# ---------------------------------------------------------------- query side


def test_query_terms_shapes():
    assert query_terms("出庭应诉率") == [("出庭应诉率", 0)]
    assert query_terms("县") == [("县", 0)]
    assert query_terms("，。") == []
    assert query_terms("應訴率") == [("应诉", 0), ("率", 2)]
    assert query_terms("法治 政府") == [("法治", 0), ("政府", 3)]


def test_query_alternatives_are_exact_splits():
    for word in ["出庭应诉率", "法治政府建设", "行政复议", "应诉率", "苏州工业园区"]:
        alternatives = query_alternatives(word)
        assert alternatives[0] == query_terms(word)
        assert len(alternatives) <= analysis.MAX_SEGMENTATIONS
        for pieces in alternatives:
            rebuilt = "".join(w for w, _ in pieces)
            assert rebuilt == fold(word)
            assert all(offset == rebuilt.index(w, offset) for w, offset in pieces)


def _phrase_match(text, word):
    """Pure-Python equivalent of what the index answers (search/whoosh_query.py)."""
    tokens = segment(text)
    at = {(t.text, t.pos) for t in tokens}
    for pieces in query_alternatives(word):
        if len(pieces) == 1:
            if any(pieces[0][0] in t.text for t in tokens):
                return True
            continue
        first, offset0 = pieces[0]
        for t in tokens:
            if t.text == first and all((w, t.pos - offset0 + off) in at for w, off in pieces[1:]):
                return True
    return False


@pytest.mark.parametrize(
    "text,word,expected",
    [
        ("出庭应诉率达到100%", "出庭应诉率", True),
        ("负责人出庭应诉率离上级要求尚有距离", "出庭应诉率", True),
        ("出庭工作，应诉案件，率先完成", "出庭应诉率", False),
        ("出庭 应诉率", "出庭应诉率", False),
        ("出庭应诉率达到100%", "应诉", True),
        ("出庭应诉率达到100%", "应诉率", True),
        ("法治政府建设工作报告", "政府建设", True),
        ("法治政府建设工作报告", "政府工作", False),
        ("生态，环境", "生态环境", False),
        ("深化改革开放创新", "改革开放", True),
        ("县政府", "县", True),
        ("通过率", "率", True),
        ("2020年", "2020", True),
        ("蘇州工業園區", "苏州工业园区", True),
        ("苏州工业园区", "蘇州工業園區", True),
        ("廣州市", "广州", True),
        ("广州市", "廣州", True),
    ],
)
def test_phrase_precision_and_recall(text, word, expected):
    assert _phrase_match(text, word) is expected


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("出庭应诉率行政复议法治政府建设，。 县")), min_size=1, max_size=30),
    st.sampled_from(["出庭应诉率", "行政复议", "政府建设", "应诉", "法治政府"]),
)
def test_every_phrase_match_is_a_real_substring(text, word):
    if _phrase_match(text, word):
        assert fold(word) in fold(text)


# ---------------------------------------------------------------- Whoosh analyzer


def test_analyzer_tokens_positions_offsets():
    an = archive_analyzer()
    toks = [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in an("廣州 abc", positions=True, chars=True, start_pos=10, start_char=5)
    ]
    assert ("广州", 10, 5, 7) in toks
    assert ("abc", 13, 8, 11) in toks


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
