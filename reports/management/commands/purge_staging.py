"""Remove staged upload batches (``reports.staging``) older than ``--max-age-hours``.

Uploads wait under ARCHIVE_DATA_DIR/staging/ for the admin's confirmation; a batch nobody
confirmed or cancelled was only removed by the next upload.  Run this on a schedule (the
``maintenance`` service in compose.yaml, or deploy/systemd/fazhi-purge-staging.timer) so
abandoned previews do not pile up on the data volume.  Exit status 1 if a batch could not be
removed.
"""

from __future__ import annotations

import shutil
import time

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "删除超过保留时间的暂存上传批次（未确认也未取消的预览）。"

    def add_arguments(self, parser):
        from reports.staging import STAGING_MAX_AGE

        parser.add_argument(
            "--max-age-hours", type=float, default=STAGING_MAX_AGE / 3600,
            help="remove batches last changed more than this many hours ago (default: the staging limit)",
        )

    def handle(self, *args, max_age_hours: float, **options):
        from reports.staging import staging_root

        if max_age_hours < 0:
            raise CommandError("--max-age-hours 不能为负数。")
        root = staging_root()
        if not root.is_dir():
            self.stdout.write("没有暂存目录，无需清理。")
            return
        cutoff = time.time() - max_age_hours * 3600
        removed = kept = failed = 0
        freed = 0
        for entry in sorted(root.iterdir()):
            try:
                if entry.stat().st_mtime > cutoff:
                    kept += 1
                    continue
                if entry.is_dir():
                    size = sum(f.stat().st_size for f in entry.rglob("*") if f.is_file())
                    shutil.rmtree(entry)
                else:  # a stray partial write
                    size = entry.stat().st_size
                    entry.unlink()
            except FileNotFoundError:  # removed meanwhile (a confirm, a cancel, another purge)
                continue
            except OSError as exc:
                failed += 1
                self.stderr.write(f"无法删除 {entry.name}：{exc}")
                continue
            removed += 1
            freed += size
        self.stdout.write(f"已删除暂存批次 {removed} 个（{freed / 1024 / 1024:.1f} MB），保留 {kept} 个。")
        if failed:
            raise CommandError(f"{failed} 个暂存批次未能删除。", returncode=1)
