"""Apply queued search-index updates (``search.IndexTask``) as the single index writer.

Run it from cron/systemd every minute, or with ``--loop`` as a small service.  Tasks that
web requests could not apply at once (the lock was busy) or that failed are retried here.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "处理搜索索引队列（单一写入者）。"

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep draining every --interval seconds")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between drains with --loop")

    def handle(self, *args, loop=False, interval=5.0, **options):
        from search.indexing import drain

        while True:
            result = drain(blocking=True)
            self.stdout.write(f"更新 {result.updated}，删除 {result.deleted}，失败 {result.failed}")
            for err in result.errors:
                self.stderr.write(err)
            if not loop:
                break
            time.sleep(interval)
        if result.failed:
            raise CommandError(f"{result.failed} 个索引任务失败，将在下次重试。", returncode=1)
