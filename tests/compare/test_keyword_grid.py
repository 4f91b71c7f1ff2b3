"""The keyword grid on /compare/?q=… (needs the search index): the five seeds, imported,
committed and indexed once for this module (``shared_seeds`` in tests/conftest.py)."""

from __future__ import annotations

import pytest

from compare import grid

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed_seeds(shared_seed_reports):
    """Read-only: each test runs in a transaction that is rolled back."""
    return shared_seed_reports


def test_keyword_grid(client, indexed_seeds):
    response = client.get("/compare/", {"q": "行政复议"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="result-count"' in html and "<mark>" in html
    from search.service import params_from_querydict

    result = grid.keyword_grid(params_from_querydict({"q": "行政复议"})[0])
    assert result.count >= 2 and not result.truncated
    assert result.years == sorted(result.years)
    shown = {e.report.pk for row in result.rows for cell in row.cells for e in cell}
    assert len(shown) == result.count
    for row in result.rows:
        for year, cell in zip(result.years, row.cells):
            for entry in cell:
                assert entry.report.year == year
                assert entry.report.region == row.region
                assert entry.passages and all("<mark>" in p.snippet_html for p in entry.passages)
    # Traditional seed (苏州工业园区, 行政覆議) is found and marked in its own script.
    assert indexed_seeds["001"].pk in shown


def test_keyword_grid_filters_and_cap(client, indexed_seeds):
    from search.service import params_from_querydict

    params, _ = params_from_querydict({"q": "行政复议", "year_from": "2020", "year_to": "2023"})
    result = grid.keyword_grid(params)
    assert result.years and all(2020 <= y <= 2023 for y in result.years)
    capped = grid.keyword_grid(params_from_querydict({"q": "行政复议"})[0], cap=1)
    assert capped.shown == 1 and capped.truncated
    response = client.get("/compare/", {"q": "行政复议", "region": "山西省"})
    html = response.content.decode()
    assert "山西省太原市杏花岭区" in html and "宁夏" not in html.split('class="keyword-grid"')[1]


@pytest.mark.parametrize("q", ["", "   ", '"', "NOT", "<script>alert(1)</script>"])
def test_keyword_grid_odd_queries(client, indexed_seeds, q):
    response = client.get("/compare/", {"q": q})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
