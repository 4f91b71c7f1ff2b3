"""Load a dump written by ``dump_reports`` (or downloaded from /data/reports.jsonl.gz).

    manage.py load_reports archive.jsonl.gz

Each report goes through reports.services (parsed again, imported with the dump's metadata
as overrides); reports already present (same content checksum) are skipped.  One failing
record is reported and skipped; the exit status is non-zero when any record failed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from research.bulk import load_record, read_dump


class Command(BaseCommand):
    help = "Load reports from a .jsonl.gz (or .jsonl) dump made by dump_reports."

    def add_arguments(self, parser):
        parser.add_argument("input", help="path of the dump to load (.jsonl.gz or .jsonl)")

    def handle(self, *args, input, **options):
        counts = {"loaded": 0, "skipped": 0, "failed": 0}
        try:
            records = read_dump(input)
            for number, record, error in records:
                if record is None:
                    counts["failed"] += 1
                    self.stderr.write(self.style.ERROR(f"line {number}: {error}"))
                    continue
                try:
                    outcome = load_record(record)
                except Exception as exc:  # one bad record must not end the batch
                    counts["failed"] += 1
                    self.stderr.write(
                        self.style.ERROR(f"line {number} ({record.get('title', '')[:40]}): {exc}")
                    )
                    continue
                counts[outcome.status] += 1
                label = f"line {number}: {outcome.status} #{outcome.report_id} {outcome.title[:40]}"
                if outcome.status == "failed":
                    self.stderr.write(self.style.ERROR(f"{label}: {outcome.message}"))
                else:
                    self.stdout.write(label + (f" ({outcome.message})" if outcome.message else ""))
                for warning in outcome.warnings:
                    self.stderr.write(self.style.WARNING(f"line {number}: {warning}"))
        except (OSError, EOFError) as exc:
            raise CommandError(f"cannot read {input}: {exc}") from exc
        summary = ", ".join(f"{k} {v}" for k, v in counts.items())
        if counts["failed"]:
            raise CommandError(f"Finished with failures: {summary}")
        self.stdout.write(self.style.SUCCESS(f"Done: {summary}"))
