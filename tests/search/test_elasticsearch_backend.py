"""ArchiveElasticsearchBackend's wiring, with a recording stand-in for the client.

Needs the elasticsearch client (the ``es`` extra); skipped with that reason without it.  The
bodies themselves are tested in test_elasticsearch_bodies.py, the real server in
test_contract_elasticsearch.py.
"""

from __future__ import annotations

import pytest

pytest.importorskip("elasticsearch", reason="the es extra is not installed (pip install -e '.[es]')")

from search import es_query  # noqa: E402
from search.querysyntax import parse_query  # noqa: E402


class FakeIndices:
    def __init__(self, calls):
        self.calls = calls

    def get_mapping(self, index):
        from elasticsearch import NotFoundError

        self.calls.append(("get_mapping", index))
        raise NotFoundError(404, "index_not_found_exception", {})

    def create(self, index, body, ignore=None):
        self.calls.append(("create", index, body))

    def delete(self, index, ignore=None):
        self.calls.append(("delete", index))


class FakeConn:
    def __init__(self, response=None):
        from types import SimpleNamespace

        from elasticsearch.serializer import JSONSerializer

        self.transport = SimpleNamespace(serializer=JSONSerializer())
        self.calls = []
        self.indices = FakeIndices(self.calls)
        self.response = response or {}

    def search(self, index, body):
        self.calls.append(("search", index, body))
        return self.response

    def bulk(self, body, *args, **kwargs):
        body = body.decode() if isinstance(body, bytes) else body
        self.calls.append(("bulk", body, kwargs))
        ops = [line for line in body.split("\n") if line.startswith(('{"index"', '{"delete"'))]
        return {"errors": False, "items": [{op[2 : op.index('"', 2)]: {"status": 200}} for op in ops]}


@pytest.fixture
def backend(tmp_path, settings):
    from search.elasticsearch_backend import ArchiveElasticsearchBackend

    b = ArchiveElasticsearchBackend(
        "es-test", URL="http://127.0.0.1:9", INDEX_NAME="fazhi", LOCK_DIR=str(tmp_path / "lock")
    )
    b.conn = FakeConn()
    return b


def test_setup_creates_index_with_mapping(backend):
    backend._ensure()
    assert ("create", "fazhi", es_query.index_body()) in backend.conn.calls
    assert backend.path.endswith("lock")


def test_search_reports_sends_the_body_and_reads_the_answer(backend):
    backend.setup_complete = True
    backend.conn.response = {
        "hits": {
            "total": {"value": 7},
            "hits": [
                {"_score": 2.5, "_source": {"report_id": 3}},
                {"_score": None, "_source": {"report_id": 1}},
            ],
        },
        "aggregations": {"year": {"buckets": [{"key": 2021, "doc_count": 7}]}},
    }
    node = parse_query("行政复议").node
    m = backend.search_reports(node, year=2021, start=0, stop=2)
    assert backend.conn.calls[-1] == (
        "search",
        "fazhi",
        es_query.search_body(node, year=2021, start=0, stop=2),
    )
    assert (m.count, m.hits, m.facets["year"]) == (7, [(3, 2.5), (1, 0.0)], {2021: 7})


def test_matching_sections_from_stored_layout(backend):
    backend.setup_complete = True
    folded, smap = es_query.folded_layout("题", [(11, "一", "行政复议"), (12, "二", "其他")])
    backend.conn.response = {
        "hits": {"hits": [{"_source": {"report_id": 5, "folded": folded, "section_map": smap}}]}
    }
    assert backend.matching_sections(parse_query("行政复议").node, [5]) == {5: [11]}
    assert backend.conn.calls[-1][2] == es_query.sections_body([5])


@pytest.mark.django_db
def test_update_and_remove_use_bulk_with_versions(backend, make_report):
    from search.search_indexes import ReportIndex

    r = make_report("甲", [("一、复议", "行政复议")], index=False)
    backend.setup_complete = True
    backend.update(ReportIndex(), list(ReportIndex().index_queryset().filter(pk=r.pk)))
    _, body, kwargs = backend.conn.calls[-1]
    text = body
    assert f'"_id":"reports.report.{r.pk}"' in text.replace(" ", "")
    assert "external_gte" in text and kwargs.get("refresh") == "wait_for"
    assert "行政复议" in text
    backend.remove_many([f"reports.report.{r.pk}"])
    _, body, _ = backend.conn.calls[-1]
    assert body.startswith('{"delete"') and f"reports.report.{r.pk}" in body


def test_search_url_selects_the_engine():
    from config.settings import search_connection

    conn = search_connection("elasticsearch://u:p@es.internal:9200/fazhi")
    assert conn["ENGINE"] == "search.elasticsearch_backend.ArchiveElasticsearchEngine"
    assert (conn["URL"], conn["INDEX_NAME"]) == ("http://u:p@es.internal:9200/", "fazhi")
    assert search_connection("elasticsearchs://es:9243/x")["URL"] == "https://es:9243/"
    assert search_connection("")["ENGINE"] == "search.backends.ArchiveWhooshEngine"
