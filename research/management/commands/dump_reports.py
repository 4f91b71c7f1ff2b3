"""Write every report, with its sections and metadata, to a gzip'd JSON Lines file.

    manage.py dump_reports archive.jsonl.gz [--originals]

One JSON object per line (format ``fazhi-archive-dump/1``, see research/bulk.py); load it
into another database with ``manage.py load_reports``.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from reports.models import Report
from research.bulk import write_dump


class Command(BaseCommand):
    help = "Dump all reports (metadata, full text, sections) to a .jsonl.gz file."

    def add_arguments(self, parser):
        parser.add_argument("output", help="path of the .jsonl.gz file to write (overwritten)")
        parser.add_argument(
            "--originals",
            action="store_true",
            help="also include each report's original file (base64); makes the dump much larger",
        )

    def handle(self, *args, output, originals, **options):
        total = Report.objects.count()
        step = max(1, total // 20)

        def progress(n):
            if n % step == 0 or n == total:
                self.stderr.write(f"  {n}/{total}")

        try:
            n = write_dump(output, originals=originals, progress=progress)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Wrote {n} reports to {output}"))
