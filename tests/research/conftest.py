"""Research tests: the five seeds imported through reports.services into a fresh index.

The index is written after each import commits, so these fixtures use ``transactional_db``
and a per-test index directory (``isolated_search_index`` from tests/conftest.py).
"""

from __future__ import annotations

import pytest


@pytest.fixture
def research_index(isolated_search_index):
    from search.backends import reset_searchers

    reset_searchers()
    yield isolated_search_index
    reset_searchers()


def import_seeds() -> dict:
    from reports.services import report_draft, report_import
    from tests.reports.conftest import SEED_FILES

    reports = {}
    for path in SEED_FILES:
        data = path.read_bytes()
        reports[path.name[:3]] = report_import(draft=report_draft(data=data, filename=path.name), data=data)
    return reports


@pytest.fixture
def seeds(transactional_db, research_index):
    """The seeds keyed by file prefix ("000" … "004"), indexed."""
    return import_seeds()
