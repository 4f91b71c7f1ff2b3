"""Admin-style writes for the concurrency test (tests/test_faults.py), in their own process.

    python -m tests.load.admin_writes SECONDS SEED_DIR [MIN_WRITES]

Runs with the server's environment (production settings, the same ARCHIVE_DATA_DIR and
SQLite file as the gunicorn workers) and, for at least SECONDS and until it has done at least
MIN_WRITES writes (3 of them imports; a busy machine is slower, not wrong), imports reports through
``reports.services`` (seed texts made unique), edits metadata and text, and deletes
reports -- what the admin does, through the one write path.  Prints a JSON summary; exits 1
if any write raised (a lock error included).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
import traceback
from pathlib import Path


def main() -> int:
    seconds, seed_dir = float(sys.argv[1]), Path(sys.argv[2])
    min_writes = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from reports import services
    from reports.models import Report

    seeds = [p.read_bytes() for p in sorted(seed_dir.glob("*.txt"))]
    rng = random.Random(11)
    counts = {"import": 0, "edit": 0, "replace": 0, "delete": 0}
    errors: list[str] = []
    stop_at = time.monotonic() + seconds
    give_up_at = stop_at + 300  # a writer that cannot reach MIN_WRITES in minutes is stuck
    n = 0

    def more_to_do() -> bool:
        now = time.monotonic()
        enough = sum(counts.values()) >= min_writes and counts["import"] >= min(3, min_writes)
        return now < stop_at or (not enough and now < give_up_at and not errors)

    while more_to_do():
        n += 1
        op = rng.choice(["import", "import", "edit", "replace", "delete"])
        try:
            ids = list(Report.objects.values_list("pk", flat=True))
            if op == "import" or len(ids) < 3:
                op = "import"
                data = rng.choice(seeds) + f"\n\n附：并发测试副本 {n}，行政复议{n}号。\n".encode()
                draft = services.report_draft(data=data, filename=f"concurrent-{n}.txt")
                services.report_import(draft=draft, data=data, confirm_unstructured=True)
            elif op == "edit":
                report = Report.objects.get(pk=rng.choice(ids))
                services.report_update_metadata(report=report, changes={"title": f"并发修改标题 {n}"})
            elif op == "replace":
                report = Report.objects.get(pk=rng.choice(ids))
                services.report_replace_text(report=report, text=report.original_text + f"\n补充说明{n}。")
            else:
                report = Report.objects.get(pk=rng.choice(ids))
                services.report_delete(report=report)
            counts[op] += 1
        except services.ImportRefused:
            pass  # a duplicate text: refused by design
        except Exception:
            errors.append(traceback.format_exc(limit=3))
    print(json.dumps({"counts": counts, "errors": errors}, ensure_ascii=False))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
