"""Compare the search index with the database and optionally repair it.

Finds reports missing from the index, reports whose indexed ``updated_at`` differs from the
database (stale), and index documents whose report is gone.  ``--fix`` re-indexes the first
two and deletes the third.  Exit status 1 when drift was found and not (fully) fixed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from reports.models import Report


class Command(BaseCommand):
    help = "检查搜索索引与数据库是否一致（缺失、过期、多余的报告）；--fix 修复。"

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="re-index missing/stale reports, delete orphans")
        parser.add_argument("--verbose-ids", action="store_true", help="list every drifting report id")

    def handle(self, *args, fix=False, verbose_ids=False, **options):
        from search.backends import get_backend
        from search.search_indexes import ReportIndex

        backend = get_backend()
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
        drift = bool(missing or stale or orphans)
        if not drift:
            self.stdout.write(self.style.SUCCESS("索引与数据库一致。"))
            return
        if not fix:
            raise CommandError("索引与数据库不一致（使用 --fix 修复）。", returncode=1)

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
        if failed:
            raise CommandError(f"{failed} 个报告未能修复。", returncode=1)
        self.stdout.write(self.style.SUCCESS("已修复。"))
