"""The index follows the database: create/edit/delete after commit, nothing on rollback,
check_index finds and repairs drift."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from reports.models import Report, Section
from search import service
from search.backends import get_backend
from search.models import IndexTask

pytestmark = pytest.mark.django_db


def found(q):
    return sorted(h.report.pk for h in service.search(service.SearchParams(q=q)).results)


def test_create_edit_delete_follow_commit(search_index, make_report, django_capture_on_commit_callbacks):
    r = make_report("甲市报告", [("一、复议", "行政复议案件")])
    assert found("行政复议") == [r.pk]
    assert not IndexTask.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        s = r.sections.get()
        s.text = "政务公开工作"
        s.save()
    assert found("行政复议") == []
    assert found("政务公开") == [r.pk]

    with django_capture_on_commit_callbacks(execute=True):
        r.title = "乙市报告"
        r.save()
    assert found("乙市") == [r.pk]

    with django_capture_on_commit_callbacks(execute=True):
        r.delete()
    assert found("政务公开") == []
    assert get_backend().indexed_stamps() == {}


def test_rollback_indexes_nothing(search_index, make_report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                make_report("回滚报告", [("一", "行政复议")], index=False)
                raise RuntimeError("boom")
    assert callbacks == []
    assert not IndexTask.objects.exists()
    assert not Report.objects.exists()
    assert found("行政复议") == []


def test_lock_busy_leaves_task_for_next_drain(search_index, make_report, django_capture_on_commit_callbacks):
    import threading

    from search.backends import writer_lock
    from search.indexing import drain

    backend = get_backend()
    hold, release = threading.Event(), threading.Event()

    def holder():
        with writer_lock(backend.path):
            hold.set()
            release.wait(10)

    t = threading.Thread(target=holder)
    t.start()
    hold.wait(5)
    try:
        r = make_report("排队报告", [("一", "行政复议")])  # drain after commit finds the lock busy
        assert IndexTask.objects.filter(report_id=r.pk).exists()
        assert found("行政复议") == []
    finally:
        release.set()
        t.join()
    result = drain()
    assert result.updated == 1
    assert found("行政复议") == [r.pk]
    assert not IndexTask.objects.exists()


def test_failed_write_is_kept_and_retried(search_index, make_report, monkeypatch):
    from search import backends
    from search.indexing import drain

    r = make_report("失败报告", [("一", "行政复议")], index=False)
    IndexTask.objects.all().delete()
    from search.indexing import schedule_report_update

    schedule_report_update(r.pk)

    def boom(self, index, iterable, commit=True):
        raise backends.IndexLocked("busy")

    monkeypatch.setattr(backends.ArchiveWhooshSearchBackend, "update", boom)
    result = drain()
    assert result.failed == 1
    task = IndexTask.objects.get(report_id=r.pk)
    assert task.attempts == 1 and "IndexLocked" in task.last_error
    monkeypatch.undo()
    assert drain().updated == 1
    assert found("行政复议") == [r.pk]


def test_check_index_detects_and_fixes_drift(search_index, make_report, capsys):
    kept = make_report("保留报告", [("一", "行政复议")])
    stale = make_report("过期报告", [("一", "行政复议")])
    gone = make_report("删除报告", [("一", "行政复议")])
    missing = make_report("缺失报告", [("一", "行政复议")], index=False)
    IndexTask.objects.all().delete()  # simulate lost queue entries
    Report.objects.filter(pk=stale.pk).update(title="已改标题", updated_at=stale.updated_at.replace(year=2030))
    Section.objects.filter(report=gone).delete()
    Report.objects.filter(pk=gone.pk).delete()
    IndexTask.objects.all().delete()

    with pytest.raises(CommandError) as exc:
        call_command("check_index")
    assert exc.value.returncode == 1
    out = capsys.readouterr().out
    assert "缺失 1" in out and "过期 1" in out and "多余 1" in out

    call_command("check_index", "--fix")
    call_command("check_index")  # consistent now: no exception
    assert found("行政复议") == sorted([kept.pk, stale.pk, missing.pk])
    assert found("已改标题") == [stale.pk]


def test_rebuild_index_rebuilds_from_database(search_index, make_report):
    a = make_report("甲", [("一", "行政复议")], index=False)
    b = make_report("乙", [("一", "行政复议")], index=False)
    IndexTask.objects.all().delete()
    assert found("行政复议") == []
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert found("行政复议") == sorted([a.pk, b.pk])
