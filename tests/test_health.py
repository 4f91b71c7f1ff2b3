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


def fake_count(count: int):
    class FakeSearchQuerySet:
        def __init__(self, using=None):
            pass

        def models(self, *models):
            return self

        def count(self):
            return count

    return FakeSearchQuerySet


def test_backend_that_cannot_open_is_broken(monkeypatch):
    monkeypatch.setattr(search.health, "connections",
                        {"default": FakeEngine(backend_error=OSError("connection refused"))})
    assert index_ok() == (False, "index error: OSError")


def test_empty_index_with_documents_in_database_is_broken(monkeypatch):
    monkeypatch.setattr(search.health, "connections", {"default": FakeEngine(has_rows=True)})
    monkeypatch.setattr(search.health, "SearchQuerySet", fake_count(0))
    assert index_ok() == (False, "index empty but the database has documents")


@pytest.mark.parametrize(("count", "has_rows"), [(0, False), (3, True)])
def test_index_in_step_is_ok(monkeypatch, count, has_rows):
    monkeypatch.setattr(search.health, "connections", {"default": FakeEngine(has_rows=has_rows)})
    monkeypatch.setattr(search.health, "SearchQuerySet", fake_count(count))
    assert index_ok() == (True, f"{count} documents")


def test_database_down_is_not_blamed_on_the_index(monkeypatch):
    engine = FakeEngine(has_rows=OperationalError("down"))
    monkeypatch.setattr(search.health, "connections", {"default": engine})
    monkeypatch.setattr(search.health, "SearchQuerySet", fake_count(0))
    assert index_ok() == (True, "0 documents (not compared: database unavailable)")
