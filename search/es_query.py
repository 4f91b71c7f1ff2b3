"""Elasticsearch request bodies for the archive's search: pure dicts, no client, no Django.

Used by ``search/elasticsearch_backend.py``; kept apart so that the mapping, the settings and
every query body can be unit-tested without an Elasticsearch server or client
(``tests/search/test_elasticsearch_bodies.py``).

How Chinese behaves the same as on Whoosh
-----------------------------------------
Nothing is analysed by Elasticsearch: no plugin (IK, smartcn) is needed and both engines see
the same tokens.  Each report is ONE document (as in the Whoosh index) with

* ``folded`` -- a ``wildcard`` field (ES >= 7.9) holding the report's text folded by
  ``search.analysis.fold`` (OpenCC t2s, full-width -> ASCII, Latin lower-cased; length
  preserving), laid out exactly like the Whoosh document: the title, a gap of
  ``SECTION_GAP`` newlines, then each section's heading and text, each followed by a gap.
  Character offsets are therefore the same as the Whoosh token positions and the stored
  ``section_map`` (section id -> first offset) means the same on both engines.
* ``text`` -- the haystack document field: the jieba tokens of ``search.analysis.segment``
  (main words and dictionary sub-words, as indexed by Whoosh) joined by spaces and analysed
  by the ``whitespace`` analyzer.  Used only for relevance scoring (BM25), and by any stock
  haystack ``SearchQuerySet`` query.

Matching (``match_query``) is set algebra over ``folded``: a user word or quoted phrase
matches a report when its folded form occurs in the folded text as an exact substring --
``wildcard`` ``*word*``.  Characters of the word that are neither letters nor digits
(punctuation, spaces inside a quoted phrase) become ``?`` (exactly one character of any
kind), which is what Whoosh's offset phrases do: they pin the words at their offsets and
leave the positions between them free.  Leading/trailing punctuation is dropped, as
``analysis.query_terms`` does.  AND / OR / NOT map to ``bool`` filter / should / must_not.

Equivalence and its limits
~~~~~~~~~~~~~~~~~~~~~~~~~~
* Elasticsearch matches the definition exactly: every substring of the folded text.  Whoosh
  approximates it through jieba tokens (measured precision 1.000, recall 0.995, see
  ``search/measure_precision.py``): the rare substring that no segmentation of the query
  aligns with the index's tokens, and single-character or very short words contained in more
  than ``whoosh_query.MAX_CONTAINING_TERMS`` distinct indexed words, are found on
  Elasticsearch only.  Elasticsearch therefore returns a superset; on the test corpora the
  two agree (the contract test runs the same service tests on both).
* A ``?`` could in principle fall into the gap between two sections when a quoted phrase
  holds 8 or more punctuation characters in a row; Whoosh allows the same.
* Ranking is BM25 in both, over the query's jieba words (Whoosh scores the index words that
  matched, including words that merely contain the query word), so the order of equally
  relevant reports can differ; reports matched without any scoring word come newest first
  on both.  Count, facets and the set of reports do not depend on ranking.
* Leading-wildcard queries on a ``wildcard`` field are what it is built for (n-gram
  approximation, then verification against the stored value), but verification reads the
  whole folded text of every candidate: very common short words over very large indexes
  cost more than on Whoosh's postings.  Deep pages are bounded by ``MAX_RESULT_WINDOW``.
"""

from __future__ import annotations

import re
import unicodedata

from search.analysis import fold, query_alternatives, segment
from search.querysyntax import positive_leaves
from search.sections import rank_sections

# Must equal search.search_indexes.SECTION_GAP (a test checks): the gap, in characters,
# between the title and each section, so that no phrase spans two of them.
SECTION_GAP = 8
GAP = "\n" * SECTION_GAP

TOKEN_ANALYZER = "archive_whitespace"
MAX_RESULT_WINDOW = 200_000  # service.MAX_PAGE * a page of 20
FACET_SIZES = {"year": 200, "province": 100, "level": 10, "body_kind": 5}
# Reports per region path (drill-down at any depth); bounded like every other facet.
PATH_FACET_SIZE = 5000

INDEX_SETTINGS: dict = {
    "index": {"max_result_window": MAX_RESULT_WINDOW},
    "analysis": {
        "analyzer": {
            # jieba's tokens arrive space-separated and already folded: split on whitespace
            # only, no lower-casing, stemming or stop words.
            TOKEN_ANALYZER: {"type": "custom", "tokenizer": "whitespace", "filter": []},
        }
    },
}

MAPPING: dict = {
    "dynamic": "strict",
    # The token field is rebuilt from the database, never read back: keep it out of _source.
    "_source": {"excludes": ["text"]},
    "properties": {
        "id": {"type": "keyword"},
        "django_ct": {"type": "keyword"},
        "django_id": {"type": "keyword"},
        "text": {"type": "text", "analyzer": TOKEN_ANALYZER, "norms": True},
        "folded": {"type": "wildcard"},
        "report_id": {"type": "long"},
        "year": {"type": "integer"},
        "level": {"type": "integer"},
        "kind": {"type": "keyword"},
        "body_kind": {"type": "keyword"},
        "province": {"type": "keyword"},
        "tree_path": {"type": "keyword"},
        "sort_title": {"type": "keyword"},
        "updated": {"type": "keyword"},
        "section_map": {"type": "object", "enabled": False},
    },
}


def index_body() -> dict:
    """The body of ``indices.create``."""
    return {"settings": INDEX_SETTINGS, "mappings": MAPPING}


# ---------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------


def folded_layout(title: str, sections: list[tuple[int, str, str]], fallback: str = "") -> tuple[str, list]:
    """(folded text, section_map) laid out as ``search_indexes.analysed_text`` does.

    ``sections`` are (section id, heading, text) in order; ``fallback`` (the original text) is
    used when there are none.  The map's offsets are the Whoosh token positions.
    """
    parts = [fold(title or "")]
    section_map: list[list[int]] = []
    at = len(parts[0]) + SECTION_GAP
    parts.append(GAP)
    if sections:
        for sid, heading, text in sections:
            section_map.append([sid, at])
            body = fold(heading or "") + fold(text or "")
            parts.append(body + GAP)
            at += len(body) + SECTION_GAP
    else:
        parts.append(fold(fallback or ""))
    return "".join(parts), section_map


def token_text(tokens) -> str:
    """The space-separated token stream for the ``text`` field (token texts hold no spaces)."""
    return " ".join(t.text for t in tokens)


def text_fields(title: str, sections: list[tuple[int, str, str]], fallback: str = "") -> dict:
    """``text`` (jieba tokens), ``folded`` and ``section_map`` of one report document.

    ``sections`` are (section id, heading, text) in order; each piece is segmented on its
    own, as ``search_indexes.analysed_text`` does for Whoosh, so both engines index the same
    tokens.
    """
    folded, section_map = folded_layout(title, sections, fallback)
    tokens = segment(title or "")
    for _sid, heading, text in sections:
        tokens += segment(heading or "") + segment(text or "")
    if not sections:
        tokens += segment(fallback or "")
    return {"text": token_text(tokens), "folded": folded, "section_map": section_map}


# ---------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def substring_pattern(word: str) -> str:
    """The folded word as a wildcard *core*: literal letters/digits, ``?`` for anything else.

    Leading and trailing non-word characters are dropped; '' when nothing is searchable.
    """
    folded = fold(word or "")
    chars = [ch if _is_word_char(ch) else None for ch in folded]
    while chars and chars[0] is None:
        chars.pop(0)
    while chars and chars[-1] is None:
        chars.pop()
    return "".join("?" if ch is None else _escape(ch) for ch in chars)


def _escape(ch: str) -> str:
    return "\\" + ch if ch in "\\*?" else ch


def term_query(word: str) -> dict:
    core = substring_pattern(word)
    if not core:
        return {"match_none": {}}
    return {"wildcard": {"folded": {"value": f"*{core}*"}}}


def match_query(node) -> dict:
    """A ``search.querysyntax`` node as a non-scoring boolean query over ``folded``.

    Mirrors ``search.backends.match_node``: AND intersects, OR unites, NOT subtracts; a NOT
    alone means every report but those; an OR item that is only an exclusion is dropped
    unless every item is one.
    """
    kind = type(node).__name__
    if kind == "Term":
        return term_query(node.text)
    if kind == "Not":
        return {"bool": {"must_not": [match_query(node.node)]}}
    if kind not in ("And", "Or"):
        raise ValueError(f"unknown query node {kind}")
    positive = [n for n in node.nodes if type(n).__name__ != "Not"]
    if kind == "Or":
        return {
            "bool": {"should": [match_query(n) for n in (positive or node.nodes)], "minimum_should_match": 1}
        }
    negative = [n.node for n in node.nodes if type(n).__name__ == "Not"]
    body: dict = {"filter": [match_query(n) for n in positive]}
    if negative:
        body["must_not"] = [match_query(n) for n in negative]
    if not positive:
        body["filter"] = [{"match_all": {}}]
    return {"bool": body}


def scoring_terms(node) -> list[str]:
    """The index words that score a match: every piece of every segmentation of the positive words."""
    terms: list[str] = []
    for leaf in positive_leaves(node):
        for pieces in query_alternatives(leaf):
            terms.extend(p for p, _ in pieces)
    return list(dict.fromkeys(terms))


def filter_clauses(
    *, year=None, years=(None, None), kind: str = "", tree_path: str = "", level: int | None = None,
    body_kind: str = "",
) -> list[dict]:
    out: list[dict] = []
    if year is not None:
        out.append({"term": {"year": year}})
    lo, hi = years
    if lo is not None or hi is not None:
        rng = {}
        if lo is not None:
            rng["gte"] = lo
        if hi is not None:
            rng["lte"] = hi
        out.append({"range": {"year": rng}})
    if kind:
        out.append({"term": {"kind": kind}})
    if body_kind:
        out.append({"term": {"body_kind": body_kind}})
    if tree_path:
        out.append({"prefix": {"tree_path": tree_path}})
    if level is not None:
        out.append({"term": {"level": level}})
        if level == 0:  # national, not "no region" (also 0): it has a region path
            out.append({"regexp": {"tree_path": ".+"}})
    return out


def sort_clause(sort: str, browsing: bool) -> list:
    if sort == "relevance" and browsing:
        sort = "-year"
    if sort == "relevance":
        # Reports matched without any scoring word (score 0) follow, newest first.
        return ["_score", {"year": "desc"}, {"report_id": "asc"}]
    order = "asc" if sort == "year" else "desc"
    return [{"year": order}, {"sort_title": "asc"}, {"report_id": "asc"}]


def search_body(
    node,
    *,
    year=None,
    years=(None, None),
    kind: str = "",
    tree_path: str = "",
    level: int | None = None,
    sort: str = "relevance",
    start: int = 0,
    stop: int = 20,
    body_kind: str = "",
) -> dict:
    """The ``search`` body for ``search_reports``: hits (report ids), exact count, facets."""
    filters = filter_clauses(year=year, years=years, kind=kind, tree_path=tree_path, level=level, body_kind=body_kind)
    query: dict = {"bool": {"filter": filters}}
    if node is not None:
        query["bool"]["filter"] = [match_query(node), *filters]
        terms = scoring_terms(node)
        if sort == "relevance" and terms:
            query["bool"]["should"] = [{"match": {"text": {"query": " ".join(terms), "operator": "or"}}}]
            query["bool"]["minimum_should_match"] = 0
    if not query["bool"]["filter"]:
        query = {"match_all": {}}
    start = max(0, int(start))
    return {
        "query": query,
        "sort": sort_clause(sort, node is None),
        "from": start,
        "size": max(0, int(stop) - start),
        "track_total_hits": True,
        "_source": ["report_id"],
        "aggs": {
            **{name: {"terms": {"field": name, "size": size}} for name, size in FACET_SIZES.items()},
            "path": {"terms": {"field": "tree_path", "size": PATH_FACET_SIZE}},
        },
    }


def sections_body(report_ids: list[int]) -> dict:
    """Fetch the folded text and section map of the reports on a page."""
    return {
        "query": {"terms": {"report_id": list(report_ids)}},
        "size": len(report_ids),
        "_source": ["report_id", "folded", "section_map"],
    }


# ---------------------------------------------------------------------------
# Responses
# ---------------------------------------------------------------------------


def facets_from_aggregations(aggs: dict) -> dict[str, dict]:
    """ES terms aggregations -> the engine-neutral facets (empty values left out, as on Whoosh)."""
    out: dict[str, dict] = {"year": {}, "province": {}, "level": {}, "body_kind": {}}
    for name in out:
        for bucket in (aggs.get(name) or {}).get("buckets", []):
            key, n = bucket.get("key"), bucket.get("doc_count", 0)
            if key in (None, "", 0) or not n:
                continue
            out[name][str(key) if name in ("province", "body_kind") else int(key)] = n
    out["path"] = {
        str(b["key"]): b.get("doc_count", 0)
        for b in (aggs.get("path") or {}).get("buckets", [])
        if b.get("key") and b.get("doc_count")
    }
    return out


def _regex(word: str) -> re.Pattern | None:
    core = substring_pattern(word)
    if not core:
        return None
    out, i = [], 0
    while i < len(core):
        ch = core[i]
        if ch == "\\":
            out.append(re.escape(core[i + 1]))
            i += 2
            continue
        out.append("." if ch == "?" else re.escape(ch))
        i += 1
    return re.compile("(?=(" + "".join(out) + "))", re.DOTALL)


def substring_offsets(folded: str, word: str) -> list[int]:
    """Every offset (overlapping) where ``word`` matches the folded text, as ``wildcard`` would."""
    rx = _regex(word)
    return [m.start() for m in rx.finditer(folded)] if rx else []


def best_sections(folded: str, section_map: list, leaves: list[str], per_report: int) -> list[int]:
    """Ids of the sections with the most matches, ranked as on Whoosh (search/sections.py)."""
    return rank_sections(section_map, [substring_offsets(folded, leaf) for leaf in leaves], per_report)
