"""Rebuild the search index from the database: build a fresh index beside the current one,
then swap it in (``search.index_repair.rebuild_beside``).

Unlike haystack's rebuild_index (clear, then update), this never merges or even opens the
old index's segments, so it recovers from a corrupted or locked index, and searches keep
answering from the old index until the swap.  Elasticsearch: haystack's command.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "从数据库重建搜索索引（在旁边新建索引后替换，损坏或被锁的索引也可恢复）。"

    def add_arguments(self, parser):
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive", default=True,
                            help="do not ask for confirmation")
        parser.add_argument("-u", "--using", action="append", default=[], help="haystack connection(s)")
        # Accepted for compatibility with haystack's command; batches come from BATCH_SIZE.
        parser.add_argument("-b", "--batch-size", type=int, default=None)
        parser.add_argument("-k", "--workers", type=int, default=0)
        parser.add_argument("--remove", action="store_true")
        parser.add_argument("--nocommit", action="store_false", dest="commit", default=True)

    def handle(self, *args, interactive=True, using=None, **options):
        from haystack import connections

        from search.index_repair import is_whoosh, rebuild_beside

        aliases = using or ["default"]
        if interactive:
            answer = input("将从数据库重建全部搜索索引，是否继续？[y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                self.stdout.write("已取消。")
                return
        for alias in aliases:
            backend = connections[alias].get_backend()
            if not is_whoosh(backend):
                from django.core.management import call_command

                verbosity = options.get("verbosity", 1)
                call_command("clear_index", interactive=False, using=[alias], verbosity=verbosity)
                call_command("update_index", using=[alias], verbosity=verbosity, batchsize=options.get("batch_size"),
                             workers=options.get("workers") or 0, remove=options.get("remove", False))
                continue
            try:
                result = rebuild_beside(backend, stdout=self.stdout if options.get("verbosity", 1) else None)
            except Exception as exc:
                raise CommandError(f"重建索引失败（原索引未改动）：{exc}") from exc
            self.stdout.write(
                self.style.SUCCESS(
                    f"已重建 {result.reports} 份报告的索引（{result.seconds:.0f} 秒），"
                    f"清除已完成的队列任务 {result.cleared_tasks} 个。"
                )
            )
