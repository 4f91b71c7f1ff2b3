"""Compute the archive's passage counts (the rarity behind copy flags) ahead of the first
comparison, e.g. after a bulk load: `manage.py warm_passage_counts`."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from compare.passage_counts import archive_counts


class Command(BaseCommand):
    help = "预先统计本库各句在多少个报告主体中出现（疑似横向移植的稀有度），供对比页使用。"

    def handle(self, *args, **options):
        started = time.perf_counter()
        counts = archive_counts()
        self.stdout.write(
            f"{counts.bodies} 个报告主体，{len(counts.held_by)} 句见于两个以上主体；"
            f"用时 {time.perf_counter() - started:.1f} 秒。"
        )
