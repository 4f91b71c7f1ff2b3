"""Compare the search index with the database and optionally repair it.

First reads every segment of the index (``search.index_repair.verify_index``; ``--deep``
reads every posting list too): a damaged index is reported and the command exits 1; with
``--fix`` a fresh index is built beside it and swapped in.  Then finds reports missing from
the index, reports whose indexed ``updated_at`` differs from the database (stale), and
index documents whose report is gone.  ``--fix`` re-indexes the first two, deletes the
third, and applies the queue rows seen when the check started, also those that failed
``MAX_ATTEMPTS`` times and that no drain retries any more (stale rows), so none is left.
Exit status 1 when damage or drift was found and not (fully) fixed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from reports.models import Report


class Command(BaseCommand):
    help = "检查搜索索引是否损坏、与数据库是否一致（缺失、过期、多余的报告）；--fix 修复。"

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="re-index missing/stale reports, delete orphans")
        parser.add_argument("--verbose-ids", action="store_true", help="list every drifting report id")
        parser.add_argument("--deep", action="store_true", help="read every posting list of every segment")

    def handle(self, *args, fix=False, verbose_ids=False, deep=False, **options):
        from search.backends import get_backend
        from search.index_repair import is_whoosh, rebuild_beside, verify_index
        from search.models import IndexTask

        backend = get_backend()
        # Queue rows visible now have their data visible to the reads below.
        seen_tasks = list(IndexTask.objects.values_list("pk", "token"))
        if is_whoosh(backend):
            problems = verify_index(backend.path, deep=deep)
            if problems:
                for problem in problems[:20]:
                    self.stderr.write(problem)
                if not fix:
                    raise CommandError("搜索索引已损坏（使用 --fix 重建）。", returncode=1)
                self.stdout.write("索引已损坏，正在旁边重建新索引……")
                try:
                    result = rebuild_beside(backend, stdout=self.stdout)
                except Exception as exc:
                    raise CommandError(f"重建索引失败：{exc}", returncode=1) from exc
                self.stdout.write(f"已重建 {result.reports} 份报告的索引，清除队列任务 {result.cleared_tasks} 个。")

        drift = self._check(backend, verbose_ids)
        if drift is None:
            if fix:
                self._clear_tasks(seen_tasks)
            self.stdout.write(self.style.SUCCESS("索引与数据库一致。"))
            return
        if not fix:
            raise CommandError("索引与数据库不一致（使用 --fix 修复）。", returncode=1)
        failed = self._repair(backend, *drift)
        if failed:
            raise CommandError(f"{failed} 个报告未能修复。", returncode=1)
        self._clear_tasks(seen_tasks)
        self.stdout.write(self.style.SUCCESS("已修复。"))

    def _check(self, backend, verbose_ids):
        indexed = backend.indexed_stamps()
        db = {pk: (updated_at.isoformat() if updated_at else "") for pk, updated_at in
              Report.objects.values_list("pk", "updated_at")}
        missing = sorted(set(db) - set(indexed))
        orphans = sorted(set(indexed) - set(db))
        stale = sorted(pk for pk in set(db) & set(indexed) if db[pk] != indexed[pk])
        self.stdout.write(
            f"数据库报告 {len(db)}，索引文档 {len(indexed)}；"
            f"缺失 {len(missing)}，过期 {len(stale)}，多余 {len(orphans)}"
        )
        if verbose_ids:
            for label, ids in (("缺失", missing), ("过期", stale), ("多余", orphans)):
                if ids:
                    self.stdout.write(f"{label}: {' '.join(map(str, ids))}")
        return (missing, stale, orphans) if (missing or stale or orphans) else None

    def _repair(self, backend, missing, stale, orphans) -> int:
        from search.search_indexes import ReportIndex

        failed = 0
        if orphans:
            try:
                backend.remove_many([f"reports.report.{pk}" for pk in orphans])
            except Exception as exc:
                failed += len(orphans)
                self.stderr.write(f"删除多余文档失败：{exc}")
        index = ReportIndex()
        todo = missing + stale
        # The engine's batch size: on Whoosh each batch adds a segment per core.
        batch = backend.batch_size
        for start in range(0, len(todo), batch):
            chunk = todo[start : start + batch]
            try:
                backend.update(index, list(index.index_queryset().filter(pk__in=chunk)))
            except Exception:
                for pk in chunk:  # one failing report is reported and skipped
                    try:
                        backend.update(index, list(index.index_queryset().filter(pk=pk)))
                    except Exception as exc:
                        failed += 1
                        self.stderr.write(f"报告 {pk} 索引失败：{exc}")
            self.stdout.write(f"已修复 {min(start + batch, len(todo))}/{len(todo)}")
        return failed

    def _clear_tasks(self, seen_tasks) -> None:
        """Apply every queue row seen at the start, including rows that failed ``MAX_ATTEMPTS``
        times and that drains no longer try (stale rows), then they are gone; a row that
        still fails stays, with its error."""
        from search.backends import get_backend, writer_lock
        from search.indexing import DrainResult, _apply, drain
        from search.models import IndexTask

        drained = drain(blocking=True)
        left = list(IndexTask.objects.filter(pk__in=[pk for pk, _ in seen_tasks]))
        result = DrainResult()
        if left:
            backend = get_backend()
            with writer_lock(backend.path):
                _apply(backend, left, result, isolate=True)
        cleared = drained.updated + drained.deleted + result.updated + result.deleted
        if cleared:
            self.stdout.write(f"处理遗留的队列任务 {cleared} 个。")
        for err in [*drained.errors, *result.errors]:
            self.stderr.write(err)
