"""Suite-wide test plumbing.

* Tests under ``tests/browser/`` are marked ``browser`` automatically.
* ``--db-only`` keeps only the tests that touch the database (the PostgreSQL pass of
  ``make test`` runs those again against a real server: see tests/pg/).
* The cache is cleared around every test (login throttling counts live there).
* ``isolated_search_index``: the default haystack connection pointed at a fresh, empty index
  in a temporary directory for one test.
* ``shared_seeds``: the five seed reports imported ONCE per module (committed, indexed in a
  fresh index of their own) for read-only tests that use ``db``; see its docstring.
"""

from __future__ import annotations

import contextlib
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


@contextlib.contextmanager
def search_index_at(path: Path):
    """Point haystack's default connection at an empty index in ``path`` (an existing, empty
    directory) until exit; the process-wide searcher cache is reset on the way in and out."""
    from haystack import connections

    from search.backends import reset_searchers

    info = connections.connections_info["default"]
    saved = dict(info)
    info["PATH"] = str(path)
    connections.reload("default")
    reset_searchers()
    engine = connections["default"]
    if engine.get_unified_index().get_indexed_models():
        engine.get_backend().clear()  # creates an empty index in the new directory
    try:
        yield path
    finally:
        reset_searchers()
        info.clear()
        info.update(saved)
        connections.reload("default")


@pytest.fixture
def isolated_search_index(tmp_path):
    """Point haystack's default connection at an empty index under tmp_path; yield the path."""
    path = tmp_path / "search-index"
    path.mkdir()
    with search_index_at(path):
        yield path


def import_seed_reports() -> dict:
    """The five demo reports in fixtures/seeds/ through the real write path, keyed by file
    prefix ("000" … "004").  Each import commits (and is indexed after commit) unless the
    caller holds a transaction open."""
    from reports.services import report_draft, report_import
    from tests.reports.conftest import SEED_FILES

    reports = {}
    for path in SEED_FILES:
        data = path.read_bytes()
        reports[path.name[:3]] = report_import(draft=report_draft(data=data, filename=path.name), data=data)
    return reports


def flush_database() -> None:
    """Empty every table, exactly as a TransactionTestCase does after each test."""
    from django.core.management import call_command

    call_command(
        "flush", verbosity=0, interactive=False, database="default",
        reset_sequences=False, allow_cascade=False, inhibit_post_migrate=False,
    )


@pytest.fixture(scope="module")
def shared_seeds(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The five seeds imported ONCE for the requesting module and COMMITTED, indexed in a
    fresh index directory of their own; yields {prefix: report id}.

    Meant for read-only tests that use ``db`` (not ``transactional_db``): each test runs in a
    transaction that is rolled back, so its own database changes vanish while the seeds stay.
    A test that needs an index change to follow a commit, or that wipes the database, must
    import its own seeds under ``transactional_db`` instead (a TransactionTestCase flush would
    also remove these).  pytest-django runs all ``db`` tests before the transactional ones, so
    the transactional tests of the same module never see these rows.  On the way out the
    database is flushed (as after a transactional test) and the index directory dropped.
    """
    from reports.models import Report

    index_dir = tmp_path_factory.mktemp("shared-seed-index")
    with search_index_at(index_dir):
        with django_db_blocker.unblock():
            if Report.objects.exists():  # left behind by a test that committed: fail loudly
                raise RuntimeError(f"{request.module.__name__}: the database is not empty before the seeds")
            try:
                ids = {key: report.pk for key, report in import_seed_reports().items()}
            except BaseException:
                flush_database()
                raise
        try:
            yield ids
        finally:
            with django_db_blocker.unblock():
                flush_database()


def _fresh_instances(ids: dict) -> dict:
    from reports.models import Report

    by_pk = Report.objects.in_bulk(list(ids.values()))
    return {key: by_pk[pk] for key, pk in ids.items()}


@pytest.fixture
def shared_seed_reports(db, shared_seeds):
    """The module's shared, indexed seeds (``shared_seeds``) as fresh Report instances for one
    ``db`` test: {"000": Report, …}."""
    return _fresh_instances(shared_seeds)
