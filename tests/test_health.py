"""/healthz: 200 when the database and the search index answer, 503 naming what failed.

"Index broken" means: its directory is missing or not a directory (the probe must not create
a fresh empty index in its place), opening it or counting raises, or it is empty while the
database has documents for it.
"""

from __future__ import annotations

import shutil

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from haystack import connections

import search.health
from search.health import index_ok


def get_health(client, **extra):
    response = client.get("/healthz", **extra)
    return response.status_code, response.json()


@pytest.mark.django_db
def test_healthy(client, isolated_search_index):
    status, body = get_health(client)
    assert status == 200, body
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["search_index"]["ok"] is True
    assert "failed" not in body


@pytest.mark.django_db
def test_response_is_not_cached_and_allows_head_only(client, isolated_search_index):
    response = client.get("/healthz")
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/json"
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
    assert client.get("/healthz/").status_code == 200


@pytest.mark.django_db
def test_database_down(client, isolated_search_index, monkeypatch):
    def broken_cursor(self, *args, **kwargs):
        raise OperationalError("could not connect to server: secret-host.internal")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", broken_cursor)
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["failed"][0] == "database"  # the index check may not get past the DB either
    assert body["checks"]["database"] == {"ok": False, "detail": "database error: OperationalError"}
    assert "secret-host" not in response.content.decode()  # no exception text in public


@pytest.mark.django_db
def test_index_directory_missing(client, isolated_search_index):
    shutil.rmtree(isolated_search_index)
    status, body = get_health(client)
    assert status == 503
    assert body["failed"] == ["search_index"]
    assert body["checks"]["search_index"]["detail"] == "index directory missing"
    assert not isolated_search_index.exists(), "the probe must not create an empty index"


@pytest.mark.django_db
def test_index_path_is_not_a_directory(client, isolated_search_index):
    shutil.rmtree(isolated_search_index)
    isolated_search_index.write_text("not an index")
    status, body = get_health(client)
    assert status == 503
    assert body["checks"]["search_index"]["detail"] == "index directory missing"


def test_corrupt_index_files(isolated_search_index):
    engine = connections["default"]
    if not engine.get_unified_index().get_indexed_models():
        pytest.skip("no search indexes registered yet: nothing to open")
    for path in isolated_search_index.iterdir():
        path.write_bytes(b"\x00garbage\xff" * 10)
    connections.reload("default")  # a new process would open the files afresh
    ok, detail = index_ok()
    assert not ok
    assert detail.startswith("index error: ")


class FakeIndex:
    def __init__(self, has_rows: bool | Exception):
        self.has_rows = has_rows

    def index_queryset(self, using=None):
        has_rows = self.has_rows

        class Rows:
            def exists(self):
                if isinstance(has_rows, Exception):
                    raise has_rows
                return has_rows

        return Rows()


class FakeUnifiedIndex:
    def __init__(self, has_rows: bool):
        self.index = FakeIndex(has_rows)

    def get_indexed_models(self):
        return [object]

    def get_index(self, model):
        return self.index


class FakeEngine:
    """Any haystack backend: no PATH, opening it may fail."""

    def __init__(self, *, has_rows=False, backend_error: Exception | None = None):
        self.options = {"ENGINE": "some.other.Engine"}
        self.unified = FakeUnifiedIndex(has_rows)
        self.backend_error = backend_error

    def get_unified_index(self):
        return self.unified

    def get_backend(self):
        if self.backend_error:
            raise self.backend_error
        return object()


def fake_results(count: int):
    """A SearchQuerySet over ``count`` documents that fails the test if asked to count them."""

    class FakeSearchQuerySet:
        def __init__(self, using=None):
            pass

        def models(self, *models):
            return self

        def count(self):
            raise AssertionError("the health check must not count documents")

        def __getitem__(self, key):
            assert key == slice(None, 1), key
            return ["doc"] * min(count, 1)

    return FakeSearchQuerySet


def test_backend_that_cannot_open_is_broken(monkeypatch):
    monkeypatch.setattr(search.health, "connections",
                        {"default": FakeEngine(backend_error=OSError("connection refused"))})
    assert index_ok() == (False, "index error: OSError")


def test_empty_index_with_documents_in_database_is_broken(monkeypatch):
    monkeypatch.setattr(search.health, "connections", {"default": FakeEngine(has_rows=True)})
    monkeypatch.setattr(search.health, "SearchQuerySet", fake_results(0))
    assert index_ok() == (False, "index empty but the database has documents")


@pytest.mark.parametrize(("count", "has_rows", "detail"), [(0, False, "0 documents"), (3, True, "answers")])
def test_index_in_step_is_ok(monkeypatch, count, has_rows, detail):
    monkeypatch.setattr(search.health, "connections", {"default": FakeEngine(has_rows=has_rows)})
    monkeypatch.setattr(search.health, "SearchQuerySet", fake_results(count))
    assert index_ok() == (True, detail)


def test_database_down_is_not_blamed_on_the_index(monkeypatch):
    engine = FakeEngine(has_rows=OperationalError("down"))
    monkeypatch.setattr(search.health, "connections", {"default": engine})
    monkeypatch.setattr(search.health, "SearchQuerySet", fake_results(0))
    assert index_ok() == (True, "0 documents (not compared: database unavailable)")


@pytest.mark.django_db
def test_archive_engine_answers_without_counting(client, isolated_search_index, monkeypatch):
    """Our engine answers from segment metadata: no count query, no Whoosh search."""
    from haystack.query import SearchQuerySet as RealSearchQuerySet

    def no_count(self):
        raise AssertionError("the health check must not count documents")

    monkeypatch.setattr(RealSearchQuerySet, "count", no_count)
    monkeypatch.setattr(search.health, "SearchQuerySet", None)  # not used with our engine
    ok, detail = index_ok()
    assert ok, detail
    backend = connections["default"].get_backend()
    assert detail == f"{backend.searcher().doc_count()} documents"


@pytest.mark.django_db
def test_reports_the_age_of_the_oldest_queue_row(client, isolated_search_index):
    from datetime import timedelta

    from django.utils import timezone

    from search.models import IndexTask

    IndexTask.objects.all().delete()
    status, body = get_health(client)
    assert status == 200
    assert body["index_queue"] == {"oldest_age_seconds": None}
    now = timezone.now()
    IndexTask.objects.create(report_id=10**9, token="a", queued_at=now - timedelta(minutes=5))
    IndexTask.objects.create(report_id=10**9 + 1, token="b", queued_at=now - timedelta(seconds=30))
    status, body = get_health(client)
    assert status == 200, "a waiting queue is reported, not a failed probe"
    assert 299 <= body["index_queue"]["oldest_age_seconds"] <= 400
