"""Re-extract the stored figures (compare.Indicator) of existing reports.

    manage.py refresh_indicators             # every report
    manage.py refresh_indicators --report 3 --report 7

A report that fails is reported and skipped; the command exits non-zero if any failed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from compare.services import indicators_refresh
from reports.models import Report


class Command(BaseCommand):
    help = "从已收录报告的章节中重新提取指标数据（每份报告先删后建）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--report",
            type=int,
            action="append",
            dest="reports",
            default=[],
            help="只处理这个编号的报告（可重复）；不给则处理全部报告。",
        )

    def handle(self, *args, reports: list[int], verbosity: int = 1, **options):
        queryset = Report.objects.order_by("pk").only("pk", "title")
        if reports:
            queryset = queryset.filter(pk__in=reports)
            missing = sorted(set(reports) - set(queryset.values_list("pk", flat=True)))
            for pk in missing:
                self.stderr.write(f"报告 {pk} 不存在。")
        else:
            missing = []
        total = queryset.count()
        failed = len(missing)
        figures = 0
        for n, report in enumerate(queryset.iterator(), start=1):
            try:
                rows = indicators_refresh(report=report)
            except Exception as exc:  # one bad report must not stop the batch
                failed += 1
                self.stderr.write(f"[{n}/{total}] 报告 {report.pk} 失败：{exc}")
                continue
            figures += len(rows)
            if verbosity >= 2:
                self.stdout.write(f"[{n}/{total}] 报告 {report.pk}：{len(rows)} 项指标")
        self.stdout.write(f"已处理 {total} 份报告，共 {figures} 项指标；失败 {failed} 份。")
        if failed:
            raise CommandError(f"{failed} 份报告处理失败。")
