from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = REPO_ROOT / "fixtures" / "seeds"
SEED_FILES = sorted(SEED_DIR.glob("*.txt"))


@pytest.fixture
def seed_reports(db):
    """The five demo reports imported through the real service, keyed by file stem prefix."""
    from reports.services import report_draft, report_import

    reports = {}
    for path in SEED_FILES:
        data = path.read_bytes()
        reports[path.name[:3]] = report_import(draft=report_draft(data=data, filename=path.name), data=data)
    return reports
