"""The Elasticsearch path without a server: mapping, settings and query bodies as plain dicts
(search/es_query.py), and -- through a small evaluator of those bodies over the documents we
would send -- the same answers as the Whoosh engine on a real index.

Runs everywhere (no elasticsearch client needed).  tests/search/test_contract_elasticsearch.py
runs the service tests against a real server when ELASTICSEARCH_URL is set.
"""

from __future__ import annotations

import re

import pytest

from search import es_query
from search.querysyntax import And, Not, Or, Term, parse_query

# ---------------------------------------------------------------------------
# Mapping and settings
# ---------------------------------------------------------------------------


def test_settings_need_no_plugin():
    analyzer = es_query.INDEX_SETTINGS["analysis"]["analyzer"][es_query.TOKEN_ANALYZER]
    assert analyzer == {"type": "custom", "tokenizer": "whitespace", "filter": []}
    assert es_query.INDEX_SETTINGS["index"]["max_result_window"] >= 10_000 * 20


def test_mapping_fields():
    props = es_query.MAPPING["properties"]
    assert props["folded"] == {"type": "wildcard"}
    assert props["text"]["type"] == "text" and props["text"]["analyzer"] == es_query.TOKEN_ANALYZER
    for name in ("id", "django_ct", "django_id", "kind", "province", "tree_path", "sort_title", "updated"):
        assert props[name] == {"type": "keyword"}, name
    assert props["year"]["type"] == props["level"]["type"] == "integer"
    assert props["report_id"]["type"] == "long"
    assert props["section_map"] == {"type": "object", "enabled": False}
    assert es_query.MAPPING["dynamic"] == "strict"
    assert es_query.MAPPING["_source"] == {"excludes": ["text"]}
    assert es_query.index_body() == {"settings": es_query.INDEX_SETTINGS, "mappings": es_query.MAPPING}


def test_section_gap_matches_the_whoosh_layout():
    from search.search_indexes import SECTION_GAP

    assert es_query.SECTION_GAP == SECTION_GAP


# ---------------------------------------------------------------------------
# Query bodies
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, value",
    [
        ("行政复议", "*行政复议*"),
        ("廣州", "*广州*"),  # OpenCC folding, as indexed
        ("ＡＢＣ法", "*abc法*"),  # full-width and case folding
        ("，行政复议。", "*行政复议*"),  # clause punctuation at the ends dropped
        ("行政 复议", "*行政?复议*"),  # inner space/punctuation: exactly one character of any kind
        ("行政、、复议", "*行政??复议*"),
    ],
)
def test_term_query_is_an_exact_substring_wildcard(word, value):
    assert es_query.term_query(word) == {"wildcard": {"folded": {"value": value}}}


def test_term_query_without_searchable_characters_matches_nothing():
    assert es_query.term_query("。，*?") == {"match_none": {}}


def test_wildcard_metacharacters_cannot_leak():
    # * ? \ are punctuation: never literal wildcards from the user.
    assert es_query.substring_pattern("a*b?c\\d") == "a?b?c?d"
    assert es_query._escape("*") == "\\*"


def wc(word):
    return {"wildcard": {"folded": {"value": f"*{word}*"}}}


def test_boolean_structure():
    node = And([Term("行政复议"), Or([Term("执法"), Term("监督")]), Not(Term("疫情"))])
    assert es_query.match_query(node) == {
        "bool": {
            "filter": [
                wc("行政复议"),
                {"bool": {"should": [wc("执法"), wc("监督")], "minimum_should_match": 1}},
            ],
            "must_not": [wc("疫情")],
        }
    }
    assert es_query.match_query(Not(Term("疫情"))) == {"bool": {"must_not": [wc("疫情")]}}
    assert es_query.match_query(And([Not(Term("甲"))])) == {
        "bool": {"filter": [{"match_all": {}}], "must_not": [wc("甲")]}
    }
    # An OR item that is only an exclusion is dropped (as on Whoosh).
    assert es_query.match_query(Or([Term("甲"), Not(Term("乙"))])) == {
        "bool": {"should": [wc("甲")], "minimum_should_match": 1}
    }


def test_search_body_with_filters_sort_page_and_facets():
    node = parse_query("行政复议 -疫情").node
    body = es_query.search_body(
        node,
        year=2021,
        years=(2019, None),
        kind="fazhi",
        tree_path="0001.",
        sort="relevance",
        start=40,
        stop=60,
    )
    q = body["query"]["bool"]
    assert q["filter"][0] == es_query.match_query(node)
    assert q["filter"][1:] == [
        {"term": {"year": 2021}},
        {"range": {"year": {"gte": 2019}}},
        {"term": {"kind": "fazhi"}},
        {"prefix": {"tree_path": "0001."}},
    ]
    # Scoring: BM25 over the jieba words of the positive words only, never required.
    assert q["should"][0]["match"]["text"]["operator"] == "or"
    assert "行政复议" in q["should"][0]["match"]["text"]["query"].split()
    assert "疫情" not in q["should"][0]["match"]["text"]["query"]
    assert q["minimum_should_match"] == 0
    assert body["sort"] == ["_score", {"year": "desc"}, {"report_id": "asc"}]
    assert (body["from"], body["size"], body["track_total_hits"]) == (40, 20, True)
    assert body["aggs"] == {
        "year": {"terms": {"field": "year", "size": 200}},
        "province": {"terms": {"field": "province", "size": 100}},
        "level": {"terms": {"field": "level", "size": 10}},
        "body_kind": {"terms": {"field": "body_kind", "size": 5}},
        "path": {"terms": {"field": "tree_path", "size": es_query.PATH_FACET_SIZE}},
    }
    # Government or department reports: one more term filter.
    assert {"term": {"body_kind": "dept"}} in es_query.search_body(None, body_kind="dept")["query"]["bool"]["filter"]


def test_browse_body_and_year_sorts():
    body = es_query.search_body(None, sort="relevance")
    assert body["query"] == {"match_all": {}}
    assert body["sort"] == [{"year": "desc"}, {"sort_title": "asc"}, {"report_id": "asc"}]
    assert "should" not in es_query.search_body(parse_query("甲").node, sort="year")["query"]["bool"]
    assert es_query.search_body(None, sort="year")["sort"][0] == {"year": "asc"}
    assert es_query.search_body(None, years=(None, 2020))["query"] == {
        "bool": {"filter": [{"range": {"year": {"lte": 2020}}}]}
    }


def test_facets_from_aggregations():
    aggs = {
        "year": {"buckets": [{"key": 2021, "doc_count": 3}, {"key": 0, "doc_count": 2}]},
        "province": {"buckets": [{"key": "江苏省", "doc_count": 4}, {"key": "", "doc_count": 1}]},
        "level": {"buckets": [{"key": 2, "doc_count": 2}, {"key": 0, "doc_count": 9}]},
        "path": {"buckets": [{"key": "00000001/00000002/", "doc_count": 2}, {"key": "", "doc_count": 9}]},
        "body_kind": {"buckets": [{"key": "gov", "doc_count": 5}, {"key": "dept", "doc_count": 2}]},
    }
    assert es_query.facets_from_aggregations(aggs) == {
        "year": {2021: 3},
        "province": {"江苏省": 4},
        "level": {2: 2},
        "body_kind": {"gov": 5, "dept": 2},
        "path": {"00000001/00000002/": 2},
    }
    assert es_query.facets_from_aggregations({}) == {
        "year": {}, "province": {}, "level": {}, "body_kind": {}, "path": {}}


def test_folded_layout_and_best_sections():
    folded, smap = es_query.folded_layout(
        "標題", [(7, "一、概況", "總體良好。"), (9, "二、復議", "行政復議案件。行政复议")]
    )
    assert folded.startswith("标题" + "\n" * 8 + "一、概况总体良好。")
    assert smap == [[7, 10], [9, 10 + 9 + 8]]
    assert es_query.best_sections(folded, smap, ["行政复议"], 3) == [9]
    assert es_query.best_sections(folded, smap, ["标题"], 3) == []  # title matches are no section's
    assert es_query.substring_offsets("aaa", "aa") == [0, 1]  # overlapping, as positions are


# ---------------------------------------------------------------------------
# Equivalence with the Whoosh engine, through an evaluator of the bodies above
# ---------------------------------------------------------------------------


def _wildcard_regex(value: str) -> re.Pattern:
    out, i = [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            out.append(re.escape(value[i + 1]))
            i += 2
            continue
        out.append({"*": ".*", "?": "."}.get(ch) or re.escape(ch))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def evaluate(query: dict, doc: dict) -> bool:
    """What Elasticsearch answers for the subset of the query DSL that es_query emits."""
    ((kind, arg),) = query.items()
    if kind == "match_all":
        return True
    if kind == "match_none":
        return False
    if kind == "wildcard":
        ((field, spec),) = arg.items()
        return _wildcard_regex(spec["value"]).fullmatch(doc[field]) is not None
    if kind == "term":
        ((field, value),) = arg.items()
        return doc[field] == value
    if kind == "range":
        ((field, spec),) = arg.items()
        return spec.get("gte", doc[field]) <= doc[field] <= spec.get("lte", doc[field])
    if kind == "prefix":
        ((field, value),) = arg.items()
        return doc[field].startswith(value)
    if kind == "bool":
        if not all(evaluate(q, doc) for q in arg.get("filter", [])):
            return False
        if any(evaluate(q, doc) for q in arg.get("must_not", [])):
            return False
        should = arg.get("should", [])
        if should and arg.get("minimum_should_match", 0) >= 1:
            return any(evaluate(q, doc) for q in should)
        return True
    raise AssertionError(f"unexpected query clause {kind}")


QUERIES = [
    "行政复议",
    "出庭应诉率",
    '"出庭应诉率"',
    "廣州",
    "法治政府建設",
    "行政复议 执法监督",
    "行政复议 OR 执法监督",
    "行政复议 -执法监督",
    '"行政复议体制改革"',
    "复议",
    "政",
    "监督 NOT 复议",
    "应诉",
    "体制",
    "abc",
    "ABC",
    "（行政复议）",
    '"行政 复议"',
]


@pytest.mark.django_db
def test_same_reports_as_whoosh(search_index, make_report, regions):
    from reports.models import Report
    from search.backends import get_backend
    from search.search_indexes import region_columns

    make_report(
        "甲", [("一、应诉", "行政机关负责人出庭应诉率达到百分之百。")], region=regions["苏州市"], year=2020
    )
    make_report("乙", [("一、其他", "出庭工作良好，应诉材料齐全，比率提高。")], region=regions["广州市"])
    make_report("廣州市報告", [("一、概況", "廣州市推進法治政府建設。")], region=regions["天河区"], year=2019)
    make_report("广州市报告", [("一、概况", "广州市推进法治政府建设。ABC 制度")])
    make_report(
        "丙", [("一、复议", "全面推进行政复议体制改革。"), ("二", "执法监督")], region=regions["江苏省"]
    )
    make_report("丁", [("一、复议", "行政管理改革，复议案件体制"), ("二", "行政、复议")])
    make_report("戊", [("一", "执法监督")], year=2022)

    docs = []
    for r in Report.objects.with_region().prefetch_related("sections"):
        sections = sorted(r.sections.all(), key=lambda s: s.order)
        fields = es_query.text_fields(r.title, [(s.pk, s.heading, s.text) for s in sections], r.original_text)
        docs.append(
            {"report_id": r.pk, "year": r.year or 0, "kind": r.kind, **region_columns(r.region), **fields}
        )

    backend = get_backend()
    for q in QUERIES:
        node = parse_query(q).node
        for filters in (
            {},
            {"year": 2021},
            {"tree_path": regions["江苏省"].tree_path},
            {"years": (2019, 2020)},
            {"level": 3},
        ):
            whoosh = backend.search_reports(node, stop=100, **filters)
            body = es_query.search_body(node, stop=100, **filters)
            es_ids = {d["report_id"] for d in docs if evaluate(body["query"], d)}
            assert {rid for rid, _ in whoosh.hits} == es_ids, (q, filters)
            assert whoosh.count == len(es_ids)
        # The sections shown under each hit: same choice and order on both engines.
        hit_docs = [d for d in docs if evaluate(es_query.search_body(node)["query"], d)]
        whoosh_sections = backend.matching_sections(node, [d["report_id"] for d in hit_docs], 3)
        leaves = es_query.positive_leaves(node)
        for d in hit_docs:
            es_best = es_query.best_sections(d["folded"], d["section_map"], leaves, 3)
            assert whoosh_sections.get(d["report_id"], []) == es_best, (q, d["report_id"])


@pytest.mark.django_db
def test_section_map_equals_whoosh_section_map(make_report):
    from search.search_indexes import analysed_text

    r = make_report(
        "某市報告", [("一、概述", "总体情况良好。"), ("", "无标题段"), ("三、复议", "")], index=False
    )
    r = type(r).objects.prefetch_related("sections").get(pk=r.pk)
    sections = sorted(r.sections.all(), key=lambda s: s.order)
    fields = es_query.text_fields(r.title, [(s.pk, s.heading, s.text) for s in sections], r.original_text)
    _, whoosh_map = analysed_text(r)
    assert fields["section_map"] == [list(x) for x in whoosh_map]
    # Tokens: the same as Whoosh indexes (Analyzed.postings: term -> positions).
    text, _ = analysed_text(r)
    assert sorted(fields["text"].split(" ")) == sorted(t for t, ps in text.postings.items() for _ in ps)
