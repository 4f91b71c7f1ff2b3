"""Suite-wide test plumbing.

* Tests under ``tests/browser/`` are marked ``browser`` automatically.
* ``--db-only`` keeps only the tests that touch the database (the PostgreSQL pass of
  ``make test`` runs those again against a real server: see tests/pg/).
* The cache is cleared around every test (login throttling counts live there).
* ``isolated_search_index``: the default haystack connection pointed at a fresh, empty index
  in a temporary directory for one test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

BROWSER_DIR = Path(__file__).parent / "browser"
DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
               "live_server"}


def pytest_addoption(parser):
    parser.addoption(
        "--db-only", action="store_true", default=False,
        help="run only tests that use the database (django_db, db fixtures, Django TestCases)",
    )


def uses_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("django_db"):
        return True
    if DB_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    cls = getattr(item, "cls", None)
    if cls is not None:
        from django.test import TransactionTestCase

        return issubclass(cls, TransactionTestCase)
    return False


@pytest.hookimpl(tryfirst=True)  # before -m selection, so `-m "not browser"` sees the marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
    if config.getoption("db_only"):
        kept, dropped = [], []
        for item in items:
            (kept if uses_database(item) else dropped).append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def isolated_search_index(tmp_path):
    """Point haystack's default connection at an empty index under tmp_path; yield the path."""
    from haystack import connections

    info = connections.connections_info["default"]
    saved = dict(info)
    path = tmp_path / "search-index"
    path.mkdir()
    info["PATH"] = str(path)
    connections.reload("default")
    engine = connections["default"]
    if engine.get_unified_index().get_indexed_models():
        engine.get_backend().clear()  # creates an empty index in the new directory
    try:
        yield path
    finally:
        info.clear()
        info.update(saved)
        connections.reload("default")

