"""The search page and /api/search/: shape, shared URLs, and never a 500 from a query."""

import pytest

pytestmark = pytest.mark.django_db

BAD_QUERIES = [
    "",
    " ",
    "法治" * 5000,
    '"行政复议',
    "(行政复议",
    "行政复议)",
    "AND OR NOT",
    "NOT",
    "-",
    "*",
    "行政*",
    "?复议",
    "\x00\x01\x02行政\x1f",
    "<script>alert('x')</script>",
    "<b>行政复议</b>",
    "行政复议 OR",
    "OR 行政复议",
    '""',
    "「」",
    "%",
    "' OR 1=1 --",
    "\u202e行政复议",
]


@pytest.fixture
def indexed_seeds(shared_seed_reports):
    """The five seeds imported through the real service and indexed after commit, once for
    this module (``shared_seeds`` in tests/conftest.py); these tests only read."""
    return shared_seed_reports


def test_search_page_finds_and_groups_by_report(client, indexed_seeds):
    response = client.get("/search/", {"q": "行政复议"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="result-count"' in html
    assert "<mark>" in html
    # The query stays in the URL and in the box so results can be shared.
    assert 'value="行政复议"' in html


def test_search_api_shape(client, indexed_seeds):
    data = client.get("/api/search/", {"q": "行政复议"}).json()
    assert set(data) >= {"query", "count", "results", "facets"}
    assert data["query"] == "行政复议"
    assert data["count"] >= 2
    first = data["results"][0]
    assert set(first["report"]) >= {"id", "title", "year", "jurisdiction"}
    assert set(first["sections"][0]) == {"id", "path", "heading", "snippet", "url"}
    assert set(data["facets"]) == {"year", "province", "level", "body_kind"}
    assert sum(data["facets"]["level"].values()) == data["count"]


def test_traditional_text_found_by_simplified_query(client, indexed_seeds):
    data = client.get("/api/search/", {"q": "苏州工业园区"}).json()
    assert data["count"] >= 1
    assert data["results"][0]["report"]["script"] == "traditional"
    snippet = data["results"][0]["sections"][0]["snippet"]
    assert "<mark>蘇州工業園區</mark>" in snippet


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_queries_never_500_and_output_is_escaped(client, indexed_seeds, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<b>行政复议</b>" not in html
    api = client.get("/api/search/", {"q": query})
    assert api.status_code == 200
    assert "count" in api.json()


@pytest.mark.parametrize(
    "params",
    [{"year": "abc"}, {"year_from": "2030", "year_to": "2000"}, {"region": "<x>"}, {"page": "-1"},
     {"page": "99999"}, {"kind": "zzz"}, {"sort": "drop table"}],
)
def test_bad_parameters_never_500(client, indexed_seeds, params):
    assert client.get("/search/", {"q": "法治", **params}).status_code == 200
    assert client.get("/api/search/", {"q": "法治", **params}).status_code == 200


def test_no_results_message(client, indexed_seeds):
    html = client.get("/search/", {"q": "量子计算机"}).content.decode()
    assert 'id="no-results"' in html
