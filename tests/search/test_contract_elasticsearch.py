"""The search service contract on Elasticsearch: the service and engine tests, run again with
haystack's default connection on ``search.elasticsearch_backend.ArchiveElasticsearchEngine``.

Needs a server (Elasticsearch 7.17) and the ``es`` extra::

    pip install -e '.[es]'
    export ELASTICSEARCH_URL=http://127.0.0.1:9200
    .venv/bin/python -m pytest tests/search/test_contract_elasticsearch.py

Each test gets its own throw-away index (``fazhi-test-<random>``), deleted afterwards.
Without ELASTICSEARCH_URL the module is reported as SKIPPED with that reason.
"""

from __future__ import annotations

import os
import uuid

import pytest

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "").strip()
if not ELASTICSEARCH_URL:
    pytest.skip(
        "ELASTICSEARCH_URL is not set: no Elasticsearch server to run the search contract against",
        allow_module_level=True,
    )
pytest.importorskip("elasticsearch", reason="the es extra is not installed (pip install -e '.[es]')")

# The same tests, collected again in this module, where `search_index` (below) means Elasticsearch.
from tests.search.test_engine import (  # noqa: E402,F401
    test_and_or_not,
    test_multiword_phrase_consecutive,
    test_phrase_precision,
    test_script_blind_both_ways,
    test_sections_and_snippets,
)
from tests.search.test_service import (  # noqa: E402,F401
    corpus,
    test_bad_queries_never_raise,
    test_browse_mode_sorted_by_year,
    test_each_filter,
    test_facets_follow_filters,
    test_pagination,
    test_query_count_and_facets_hand_counted,
    test_region_includes_descendants_by_id_or_name,
    test_sort_by_year,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def search_index(tmp_path):
    """haystack's default connection on a fresh Elasticsearch index for this test."""
    from haystack import connections

    from search.backends import get_backend

    info = connections.connections_info["default"]
    saved = dict(info)
    info.clear()
    info.update(
        {
            "ENGINE": "search.elasticsearch_backend.ArchiveElasticsearchEngine",
            "URL": ELASTICSEARCH_URL,
            "INDEX_NAME": f"fazhi-test-{uuid.uuid4().hex[:12]}",
            "LOCK_DIR": str(tmp_path / "search-writer"),
            "TIMEOUT": 30,
        }
    )
    connections.reload("default")
    backend = get_backend()
    backend.clear()
    try:
        yield backend
    finally:
        backend.delete_index()
        info.clear()
        info.update(saved)
        connections.reload("default")


def test_engine_is_elasticsearch(search_index):
    from search.backends import get_backend

    assert type(get_backend()).__name__ == "ArchiveElasticsearchBackend"


def test_index_sync_and_check_index(search_index, make_report):
    from django.core.management import call_command

    from search.backends import get_backend

    r = make_report("甲", [("一", "法治政府")])
    assert set(get_backend().indexed_stamps()) == {r.pk}
    call_command("check_index")  # raises CommandError on drift
    get_backend().remove_many([f"reports.report.{r.pk}"])
    with pytest.raises(Exception):
        call_command("check_index")
    call_command("check_index", "--fix")
    call_command("check_index")
