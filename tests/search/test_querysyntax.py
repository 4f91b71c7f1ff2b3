"""User query syntax -> AST; never raises."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.querysyntax import And, Not, Or, Term, parse_query


def T(text, phrase=False):
    return Term(text, phrase)


def test_and_words():
    r = parse_query("法治 政府")
    assert r.node == And([T("法治"), T("政府")]) and r.terms == ["法治", "政府"] and not r.empty


@pytest.mark.parametrize("op", ["OR", "|", "或"])
def test_or(op):
    r = parse_query(f"行政复议 {op} 行政诉讼")
    assert r.node == Or([T("行政复议"), T("行政诉讼")])


def test_or_binds_looser_than_and():
    assert parse_query("a b OR c").node == Or([And([T("a"), T("b")]), T("c")])


@pytest.mark.parametrize("q", ["-信访 法治", "NOT 信访 法治"])
def test_not(q):
    r = parse_query(q)
    assert r.node == And([Not(T("信访")), T("法治")])
    assert r.terms == ["法治"]


@pytest.mark.parametrize("q,text", [('"法治 政府"', "法治 政府"), ("“出庭应诉”", "出庭应诉"), ("「出庭应诉」", "出庭应诉"), ("『规范性文件』", "规范性文件")])
def test_phrases(q, text):
    assert parse_query(q).node == T(text, True)


def test_parentheses_group():
    assert parse_query("(县 OR 区) 信访").node == And([Or([T("县"), T("区")]), T("信访")])
    assert parse_query("（县 或 区）").node == Or([T("县"), T("区")])


@pytest.mark.parametrize("q", ["(a OR b", "a OR b)", "((a OR b)", ")a OR b("])
def test_unbalanced_parentheses(q):
    r = parse_query(q)
    assert r.node == Or([T("a"), T("b")])
    assert "括号不成对，已忽略" in r.warnings


def test_unpaired_quote():
    r = parse_query("“出庭应诉 率")
    assert r.node == And([T("出庭应诉"), T("率")])
    assert "引号不成对，已按普通词处理" in r.warnings


@pytest.mark.parametrize("q", ["AND", "OR", "NOT", "AND OR NOT", "|", "或", "- -", "OR OR"])
def test_operators_alone_are_empty(q):
    r = parse_query(q)
    assert r.empty and r.node is None and r.terms == []


def test_dangling_operators_ignored():
    assert parse_query("OR 法治 OR").node == T("法治")
    assert parse_query("法治 AND").node == T("法治")
    assert parse_query("法治 NOT").node == T("法治")


def test_wildcards_stripped_with_warning():
    r = parse_query("法治* 政?")
    assert r.node == And([T("法治"), T("政")])
    assert "不支持通配符，已忽略 * 和 ?" in r.warnings


def test_control_characters():
    assert parse_query("法治\x00\x07\u200b政府\x1b").node == And([T("法治"), T("政府")])


def test_html_kept_literal():
    r = parse_query("<script>alert(1)</script>")
    assert r.terms == ["<script>alert(1)</script>"]


def test_truncation():
    r = parse_query("法" * 10000)
    assert "查询过长，已截断" in r.warnings
    assert len(r.terms[0]) == 500
    assert parse_query("法" * 20, max_length=10).terms == ["法" * 10]


@pytest.mark.parametrize("q", ["", "   ", "，。！？", "...", "「」", '""', "\x00\x01"])
def test_only_punctuation_is_empty(q):
    r = parse_query(q)
    assert r.empty and r.terms == []


@pytest.mark.parametrize("q", ["-信访", "NOT 信访", "-a -b", "NOT (a OR b)"])
def test_only_negations_invalid(q):
    r = parse_query(q)
    assert r.empty and r.node is None
    assert "查询不能只包含排除条件，请至少输入一个要查找的词" in r.warnings


def test_or_with_negative_branch_pruned():
    r = parse_query("a OR -b")
    assert r.node == T("a") and r.warnings


def test_trailing_punctuation_trimmed_inner_kept():
    assert parse_query("行政复议，").terms == ["行政复议"]
    assert parse_query("互联网+监管").terms == ["互联网+监管"]
    assert parse_query("covid-19").terms == ["covid-19"]


def test_fullwidth_operators():
    assert parse_query("县　｜　区").node == Or([T("县"), T("区")])
    assert parse_query("－信访 法治").node == And([Not(T("信访")), T("法治")])


def test_non_string_input():
    assert parse_query(None).empty


def _normalized(raw):
    table = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    return raw.translate(table)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(list('"“”「」()（）|-*? ORNTAD或县法治'))), max_size=200))
def test_never_raises_and_terms_come_from_input(raw):
    r = parse_query(raw)
    assert isinstance(r.warnings, list)
    assert r.empty == (r.node is None)
    norm = _normalized(raw)
    for term in r.terms:
        for piece in term.split():
            assert piece in norm


@pytest.mark.parametrize(
    "q",
    ["行政复议，出庭应诉", "行政复议、出庭应诉", "行政复议,出庭应诉", "行政复议；出庭应诉", "行政复议 、 出庭应诉，"],
)
def test_list_punctuation_separates_words(q):
    r = parse_query(q)
    assert r.node == And([T("行政复议"), T("出庭应诉")])
    assert r.terms == ["行政复议", "出庭应诉"]


def test_list_punctuation_keeps_phrases_numbers_and_operators():
    assert parse_query("“行政复议、出庭应诉”").node == T("行政复议、出庭应诉", phrase=True)
    assert parse_query("1,000").terms == ["1,000"]
    assert parse_query("行政复议、-疫情").node == And([T("行政复议"), Not(T("疫情"))])
    # Same precedence as a space: AND binds tighter than OR.
    assert parse_query("行政复议 OR 出庭应诉、听证").node == parse_query("行政复议 OR 出庭应诉 听证").node
