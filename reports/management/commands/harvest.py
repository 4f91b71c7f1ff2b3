"""Harvest the reports listed by the sites of a sources file (see reports/harvest.py).

    python manage.py harvest sources.toml
    python manage.py harvest sources.toml --json

Each page is reported on its own line: new / unchanged / changed (a new version stored) /
gone (404/410, flagged with the date) / failed, then a summary.  Safe to re-run at any time
(what was seen is kept); exit status 1 when any page failed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from reports.harvest import OUTCOMES, PoliteFetcher, SourcesError, harvest, load_sources

LABELS = {"new": "新增", "unchanged": "未变", "changed": "已变更", "gone": "已失效", "failed": "失败"}


class Command(BaseCommand):
    help = "按来源文件采集报告（列表页 → 报告页/附件），识别新增、未变、变更和失效。Harvest reports from listed sites."

    def add_arguments(self, parser):
        parser.add_argument("sources", help="The sources file (TOML, see reports/harvest.py and the README).")
        parser.add_argument("--json", action="store_true", help="Print a machine-readable JSON summary.")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")
        parser.add_argument("--retries", type=int, default=2, help="Retries for timeouts and 5xx answers (default 2).")

    def handle(self, *args, **options):
        path = Path(options["sources"])
        try:
            sources = load_sources(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"无法读取来源文件 {path}：{exc.strerror}") from None
        except SourcesError as exc:
            raise CommandError(str(exc)) from None
        show_bar = not options["no_progress"] and not options["json"] and sys.stderr.isatty()
        bar = tqdm(desc="采集", unit="页", disable=not show_bar, file=sys.stderr)

        def on_page(result):
            bar.update(1)
            if not options["json"]:
                style = self.style.ERROR if result.outcome == "failed" else self.style.SUCCESS
                line = f"{LABELS[result.outcome]}\t{result.url}\t{result.message}"
                if result.report:
                    line += f"\t#{result.report}"
                self.stdout.write(style(line))

        summary = harvest(sources, fetcher=PoliteFetcher(retries=options["retries"]), on_page=on_page)
        bar.close()
        counts = summary.counts
        if options["json"]:
            pages = [vars(p) for p in summary.pages]
            self.stdout.write(json.dumps({**counts, "pages": pages}, ensure_ascii=False, indent=2))
        else:
            self.stdout.write("；".join(f"{LABELS[o]} {counts[o]}" for o in OUTCOMES) + "。")
        if counts["failed"]:
            sys.exit(1)
