"""Research tests: the five seeds imported through reports.services into a fresh index.

``seeds`` is shared by the read-only tests of a module: imported, committed and indexed once
(``shared_seeds`` in tests/conftest.py), each test in a rolled-back transaction (``db``).
Tests that write and need the index to follow a commit (tests/research/test_bulk.py) import
their own copy under ``transactional_db`` into a per-test index: ``fresh_seeds``.
"""

from __future__ import annotations

import pytest

from tests.conftest import import_seed_reports


@pytest.fixture
def research_index(isolated_search_index):
    """A fresh, empty index for this test (the searcher cache is reset around it)."""
    return isolated_search_index


@pytest.fixture
def seeds(shared_seed_reports):
    """The seeds keyed by file prefix ("000" … "004"), indexed; shared by the module, read-only."""
    return shared_seed_reports


@pytest.fixture
def fresh_seeds(transactional_db, research_index):
    """The seeds imported for this test alone (committed, indexed into a per-test index)."""
    return import_seed_reports()
