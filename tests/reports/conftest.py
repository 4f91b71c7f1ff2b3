from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = REPO_ROOT / "fixtures" / "seeds"
SEED_FILES = sorted(SEED_DIR.glob("*.txt"))


@pytest.fixture
def seed_reports(db):
    """The five demo reports imported through the real service, keyed by file stem prefix."""
    from tests.conftest import import_seed_reports

    return import_seed_reports()
