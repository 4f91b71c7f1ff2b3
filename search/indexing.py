"""Keep the search index in step with the database.

Every path that changes a report (admin, import command, API, shell) ends in a model signal:
``post_save``/``post_delete`` of ``Report`` and ``Section`` (and ``Region``: names and paths
are denormalised into the index).  The receivers write an ``IndexTask`` row in the SAME
transaction and register ``transaction.on_commit``:

* rolled back -> the task row is gone too, nothing is indexed;
* committed   -> after commit the process tries the index writer lock WITHOUT waiting; if it
  is free it applies the pending tasks (a few reports: fine inside a request), otherwise
  the lock holder picks the task up before it lets go, or the next drain does
  (``manage.py process_index_queue``).

All writes happen under one cross-process lock (``search.backends.writer_lock``), so any
number of gunicorn workers share one writer at a time.  A failed write releases the locks, is
logged, counted in ``IndexTask.attempts`` with its error in ``last_error`` and retried by the
next drain: never swallowed, never retried inside the request.  The scheduled drain
(``process_index_queue --loop``, a service in compose.yaml) picks up whatever a request
could not apply, also after a worker was killed between its commit and its drain.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from reports.models import Region, Report, Section

log = logging.getLogger(__name__)

# Inline drains (after a commit in a web request) stop after this many tasks.
INLINE_LIMIT = 50
# Tasks per update() when draining; batches of 64+ reports become new segments (one per core).
BATCH = 1000


# ---------------------------------------------------------------------------
# Scheduling (inside the caller's transaction)
# ---------------------------------------------------------------------------


def schedule_report_update(report_id: int, *, using: str = "default") -> None:
    """Re-index this report after the current transaction commits."""
    _enqueue([report_id], "update", using)


def schedule_report_delete(report_id: int, *, using: str = "default") -> None:
    """Remove this report from the index after the current transaction commits."""
    _enqueue([report_id], "delete", using)


def schedule_reports_update(report_ids, *, using: str = "default") -> None:
    _enqueue(list(report_ids), "update", using)


def _enqueue(report_ids: list[int], action: str, using: str) -> None:
    from search.models import IndexTask

    ids = [int(r) for r in dict.fromkeys(report_ids) if r is not None]
    if not ids:
        return
    now = timezone.now()
    rows = [
        IndexTask(report_id=rid, action=action, token=uuid.uuid4().hex, queued_at=now, attempts=0)
        for rid in ids
    ]
    for start in range(0, len(rows), 500):
        IndexTask.objects.using(using).bulk_create(
            rows[start : start + 500],
            update_conflicts=True,
            unique_fields=["report_id"],
            update_fields=["action", "token", "queued_at", "attempts", "last_error"],
        )
    _register_drain(using)


def _register_drain(using: str) -> None:
    conn = transaction.get_connection(using)
    current = set(getattr(conn, "savepoint_ids", None) or [])
    for item in getattr(conn, "run_on_commit", None) or []:
        # A drain registered at this level or an enclosing one runs whenever ours would.
        if getattr(item[1], "_archive_drain", False) and set(item[0]) <= current:
            return

    def drain_after_commit():
        drain_after_commit._archive_drain = False  # ran: later enqueues need their own
        try:
            drain(limit=INLINE_LIMIT, blocking=False)
        except Exception:  # the task stays queued; a later drain retries it
            log.exception("search index: drain after commit failed")

    drain_after_commit._archive_drain = True
    transaction.on_commit(drain_after_commit, using=using)


# Signal receivers: every write path ends here.


@receiver(post_save, sender=Report, dispatch_uid="search.report_saved")
def _report_saved(sender, instance, **kwargs):
    schedule_report_update(instance.pk, using=kwargs.get("using") or "default")


@receiver(post_delete, sender=Report, dispatch_uid="search.report_deleted")
def _report_deleted(sender, instance, **kwargs):
    schedule_report_delete(instance.pk, using=kwargs.get("using") or "default")


@receiver(post_save, sender=Section, dispatch_uid="search.section_saved")
@receiver(post_delete, sender=Section, dispatch_uid="search.section_deleted")
def _section_changed(sender, instance, **kwargs):
    if instance.report_id:
        schedule_report_update(instance.report_id, using=kwargs.get("using") or "default")


@receiver(post_save, sender=Region, dispatch_uid="search.region_saved")
def _region_saved(sender, instance, created, **kwargs):
    if created or not instance.tree_path:
        return
    # A renamed or moved region changes the province/path stored with its reports.
    ids = Report.objects.in_region(instance).values_list("pk", flat=True)
    schedule_reports_update(ids, using=kwargs.get("using") or "default")


# ---------------------------------------------------------------------------
# The single writer
# ---------------------------------------------------------------------------


@dataclass
class DrainResult:
    skipped: bool = False  # the lock was busy: the holder (or a later drain) does the work
    updated: int = 0
    deleted: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    failed_ids: set[int] = field(default_factory=set)  # task pks not retried in this drain

    @property
    def applied(self) -> int:
        return self.updated + self.deleted + self.failed


# A task that failed this many times is left alone (visible in the admin/log and check_index).
MAX_ATTEMPTS = 10


def drain(*, limit: int | None = None, blocking: bool = True) -> DrainResult:
    """Apply pending index tasks under the writer lock.

    ``blocking=False`` returns at once (``skipped``) when another process is writing.
    ``limit`` bounds the number of tasks applied (None: until the queue is empty).
    """
    from search.backends import get_backend, writer_lock
    from search.models import IndexTask

    backend = get_backend()
    backend._ensure()
    result = DrainResult()

    def pending():
        return IndexTask.objects.filter(attempts__lt=MAX_ATTEMPTS).exclude(pk__in=result.failed_ids)

    def room():
        return limit is None or result.applied < limit

    for _round in range(3):
        with writer_lock(backend.path, blocking=blocking) as acquired:
            if not acquired:
                result.skipped = True
                return result
            while room():
                size = BATCH if limit is None else min(BATCH, limit - result.applied)
                tasks = list(pending().order_by("queued_at", "pk")[:size])
                if not tasks:
                    break
                # Inside a request (limit set) a failed batch is recorded and left to the
                # scheduled drain; only a drain with time to spare looks for the culprit.
                _apply(backend, tasks, result, isolate=limit is None)
        # Re-check after letting go: a task committed while we held the lock saw it busy
        # and relies on us to apply it.
        if not room() or not pending().exists():
            break
    return result


def _apply(backend, tasks, result: DrainResult, *, isolate: bool = True) -> None:
    from search.models import IndexTask
    from search.search_indexes import ReportIndex

    index = ReportIndex()
    update_ids = [t.report_id for t in tasks if t.action == IndexTask.Action.UPDATE]
    reports = {r.pk: r for r in index.index_queryset().filter(pk__in=update_ids)} if update_ids else {}
    to_update = [t for t in tasks if t.report_id in reports and t.action == IndexTask.Action.UPDATE]
    to_delete = [t for t in tasks if t not in to_update]

    def done(applied):
        for t in applied:
            IndexTask.objects.filter(pk=t.pk, token=t.token).delete()

    def failed(t, exc):
        log.error("search index: %s of report %s failed: %s", t.action, t.report_id, exc, exc_info=exc)
        IndexTask.objects.filter(pk=t.pk, token=t.token).update(
            attempts=t.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        result.failed += 1
        result.errors.append(f"report {t.report_id}: {type(exc).__name__}: {exc}")
        result.failed_ids.add(t.pk)

    if to_delete:
        try:
            backend.remove_many([f"reports.report.{t.report_id}" for t in to_delete])
            done(to_delete)
            result.deleted += len(to_delete)
        except Exception as exc:
            for t in to_delete:
                failed(t, exc)
    if not to_update:
        return
    batch_error = None
    try:
        backend.update(index, [reports[t.report_id] for t in to_update])
    except Exception as exc:
        batch_error = exc  # handled below: nothing is retried while an exception is live
    if batch_error is None:
        done(to_update)
        result.updated += len(to_update)
        return
    if not isolate or len(to_update) == 1:
        for t in to_update:
            failed(t, batch_error)
        return
    # Find the culprit(s) one by one, outside the except block: by now update() has cancelled
    # the failed writer and released Whoosh's lock, and the traceback (which holds the failed
    # writer's frames and files) is gone.
    del batch_error
    for t in to_update:
        try:
            backend.update(index, [reports[t.report_id]])
        except Exception as exc:
            failed(t, exc)
        else:
            done([t])
            result.updated += 1


def pending_count() -> int:
    from search.models import IndexTask

    return IndexTask.objects.count()
