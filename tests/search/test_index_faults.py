"""Index faults: a write that fails (read-only disk), a damaged segment, stale queue rows.

A failed write must let go of the locks, be recorded on its queue row (attempts, error) and
be retried by the next drain, not inside the request; ``check_index`` must find damage by
reading every segment; ``rebuild_index --noinput`` and ``check_index --fix`` must recover
by building a fresh index beside the damaged one.
"""

from __future__ import annotations

import errno
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.reports.conftest import SEED_FILES


def _import(i=0):
    from reports.services import report_draft, report_import

    data = SEED_FILES[i].read_bytes()
    return report_import(draft=report_draft(data=data, filename=SEED_FILES[i].name), data=data)


def _searchable(report_id: int) -> bool:
    from search.backends import get_backend

    return report_id in get_backend().indexed_stamps()


@pytest.fixture
def read_only_index(monkeypatch):
    """Every new index file fails as on a read-only file system; yields the call count."""
    from whoosh.filedb.filestore import FileStorage

    calls = {"n": 0}
    real = FileStorage.create_file

    def create_file(self, name, *args, **kwargs):
        calls["n"] += 1
        raise OSError(errno.EROFS, "Read-only file system", name)

    monkeypatch.setattr(FileStorage, "create_file", create_file)
    yield calls
    monkeypatch.setattr(FileStorage, "create_file", real)


def _whoosh_lock_free(path) -> bool:
    from search.backends import REPORT_INDEX, index_storage

    lock = index_storage(str(path)).open_index(indexname=REPORT_INDEX).lock("WRITELOCK")
    if not lock.acquire(False):
        return False
    lock.release()
    return True


def test_failed_write_releases_the_lock_is_recorded_and_retried_later(
    transactional_db, isolated_search_index, monkeypatch
):
    from search import backends
    from search.models import IndexTask

    _import(0)
    monkeypatch.setattr(backends, "WRITE_LOCK_TIMEOUT", 2.0)  # a leaked lock fails fast, not in 60 s
    errors = []
    real_update = backends.ArchiveWhooshSearchBackend.update

    def counting_update(self, index, iterable, commit=True):
        try:
            return real_update(self, index, iterable, commit)
        except Exception as exc:
            errors.append(type(exc).__name__)
            raise

    monkeypatch.setattr(backends.ArchiveWhooshSearchBackend, "update", counting_update)
    from whoosh.filedb.filestore import FileStorage

    real_create = FileStorage.create_file

    def read_only(self, name, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", name)

    monkeypatch.setattr(FileStorage, "create_file", read_only)
    report = _import(1)  # saved; the after-commit drain fails
    # Every write failed at once on the disk, none waited for a lock a failed writer kept.
    assert errors and set(errors) == {"OSError"}, errors
    task = IndexTask.objects.get(report_id=report.pk)
    assert task.attempts >= 1 and "Read-only file system" in task.last_error
    monkeypatch.setattr(FileStorage, "create_file", real_create)
    assert _whoosh_lock_free(isolated_search_index)
    assert not _searchable(report.pk)

    out = io.StringIO()
    call_command("process_index_queue", stdout=out)  # the scheduled drain
    assert "更新 1" in out.getvalue()
    assert _searchable(report.pk) and not IndexTask.objects.exists()


def _damage_largest_segment(path):
    seg = max(path.glob("*.seg"), key=lambda p: p.stat().st_size)
    data = bytearray(seg.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = b"\xff" * min(4096, len(data) - middle)
    seg.write_bytes(bytes(data))


@pytest.fixture
def damaged_index(transactional_db, isolated_search_index):
    from search.backends import reset_searchers

    reports = [_import(i) for i in range(3)]
    call_command("check_index", stdout=io.StringIO())  # consistent before the damage
    _damage_largest_segment(isolated_search_index)
    reset_searchers()
    return reports


def test_check_index_detects_a_damaged_segment(damaged_index):
    with pytest.raises(CommandError) as err:
        call_command("check_index", stdout=io.StringIO(), stderr=io.StringIO())
    assert err.value.returncode == 1 and "损坏" in str(err.value)


def test_check_index_fix_rebuilds_a_damaged_index(damaged_index, isolated_search_index):
    call_command("check_index", "--fix", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("check_index", "--deep", stdout=io.StringIO())
    assert all(_searchable(r.pk) for r in damaged_index)


def test_rebuild_index_noinput_recovers_a_damaged_index(damaged_index, isolated_search_index):
    from search import service

    call_command("rebuild_index", "--noinput", stdout=io.StringIO())
    call_command("check_index", "--deep", stdout=io.StringIO())
    page = service.search(service.SearchParams(q="法治政府"))
    assert page.count == len(damaged_index)


def test_rebuild_index_recovers_a_locked_index(transactional_db, isolated_search_index):
    """Another process holds the writer lock for good: the rebuild does not need it."""
    import fcntl
    import os

    from search.backends import WRITER_LOCK_FILE

    reports = [_import(i) for i in range(2)]
    fd = os.open(isolated_search_index / WRITER_LOCK_FILE, os.O_RDWR)
    # A different open file description: flock conflicts with it as with another process.
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        call_command("rebuild_index", "--noinput", stdout=io.StringIO())
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    assert all(_searchable(r.pk) for r in reports)


def test_check_index_fix_clears_stale_queue_rows(transactional_db, isolated_search_index):
    from search.indexing import MAX_ATTEMPTS
    from search.models import IndexTask

    report = _import(0)
    gone = _import(1)
    # A row that failed too often (no drain retries it) and one for a report deleted since.
    IndexTask.objects.create(report_id=report.pk, action="update", token="a" * 32,
                             queued_at=report.created_at, attempts=MAX_ATTEMPTS, last_error="IndexLocked")
    IndexTask.objects.filter(report_id=gone.pk).delete()
    from reports.models import Report

    Report.objects.filter(pk=gone.pk).delete()  # queryset delete: the queue row comes with it
    IndexTask.objects.filter(report_id=gone.pk).update(attempts=MAX_ATTEMPTS)
    assert IndexTask.objects.count() >= 1
    call_command("check_index", "--fix", stdout=io.StringIO(), stderr=io.StringIO())
    assert not IndexTask.objects.exists()
    call_command("check_index", stdout=io.StringIO())


def test_scheduled_drain_isolates_a_failing_report_outside_the_failed_write(
    transactional_db, isolated_search_index, monkeypatch
):
    """A batch that fails is retried report by report only after the failed writer is gone:
    no exception is being handled and Whoosh's lock is free when the retries start."""
    import sys

    from search import backends, indexing
    from search.models import IndexTask
    from search.search_indexes import ReportIndex

    good, bad = _import(0), _import(1)
    # Queued as by a killed worker: rows without a drain after them.
    for n, report in enumerate((good, bad)):
        IndexTask.objects.update_or_create(report_id=report.pk, defaults={
            "action": "update", "token": str(n) * 32, "queued_at": report.created_at, "attempts": 0})
    real_prepare = ReportIndex.prepare_document

    def poisoned(self, obj):
        if obj.pk == bad.pk:
            raise ValueError("poisoned report")
        return real_prepare(self, obj)

    retries = []
    real_update = backends.ArchiveWhooshSearchBackend.update

    def watching_update(self, index, iterable, commit=True):
        objs = list(iterable)
        if len(objs) == 1:
            retries.append((sys.exc_info()[0], _whoosh_lock_free(isolated_search_index)))
        return real_update(self, index, objs, commit)

    monkeypatch.setattr(ReportIndex, "prepare_document", poisoned)
    monkeypatch.setattr(backends.ArchiveWhooshSearchBackend, "update", watching_update)
    result = indexing.drain()
    assert result.updated == 1 and result.failed == 1, result
    assert retries == [(None, True), (None, True)]
    task = IndexTask.objects.get()
    assert task.report_id == bad.pk and task.attempts == 1 and "poisoned report" in task.last_error
    assert _searchable(good.pk)
