"""Comparison data kept in the database: figures extracted from sections, with provenance."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from compare.figures import INDICATOR_KEYS

INDICATOR_KEY_CHOICES = tuple(INDICATOR_KEYS.items())


class IndicatorQuerySet(models.QuerySet):
    def for_reports(self, report_ids) -> IndicatorQuerySet:
        return self.filter(report_id__in=list(report_ids))

    def with_section(self) -> IndicatorQuerySet:
        return self.select_related("section")


class Indicator(models.Model):
    """One figure stated in a report (受理行政复议案件80件), tied to the sentence that states it.

    Derived data: ``compare.services.indicators_refresh`` deletes and recreates a report's rows
    from its sections.  An admin's correction is a FigureCorrection, applied on every refresh:
    ``correction`` points at the one that set ``value`` (a rejected figure has no row).
    """

    report = models.ForeignKey(
        "reports.Report", verbose_name="报告", on_delete=models.CASCADE, related_name="indicators"
    )
    section = models.ForeignKey(
        "reports.Section", verbose_name="章节", on_delete=models.CASCADE, related_name="indicators"
    )
    key = models.CharField("指标", max_length=40, choices=INDICATOR_KEY_CHOICES)
    value = models.DecimalField("数值", max_digits=20, decimal_places=4)
    unit = models.CharField("单位", max_length=10, blank=True)
    sentence = models.TextField("原句")
    # Offsets of the number in the section's text, so it can be marked in place.
    start = models.PositiveIntegerField("起始位置")
    end = models.PositiveIntegerField("结束位置")
    correction = models.ForeignKey(
        "FigureCorrection", verbose_name="人工更正", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "指标数据"
        verbose_name_plural = "指标数据"
        ordering = ["report", "section", "start", "key"]
        indexes = [
            models.Index(fields=["report", "key"], name="indicator_report_key_idx"),
            models.Index(fields=["key", "value"], name="indicator_key_value_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["section", "key", "start"], name="indicator_unique_in_section"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="indicator_span_ordered"
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="indicator_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} {self.display_value}{self.unit}"

    @property
    def label(self) -> str:
        return INDICATOR_KEYS.get(self.key, self.key)

    @property
    def display_value(self) -> str:
        return format_value(self.value)


class CorrectionAction(models.TextChoices):
    CORRECT = "correct", "更正数值"
    REJECT = "reject", "驳回（不是该指标）"
    RESTORE = "restore", "恢复自动提取"


class FigureCorrectionQuerySet(models.QuerySet):
    def effective(self) -> dict[tuple[str, str, int], FigureCorrection]:
        """The newest record per figure identity: (key, sentence, occurrence) → record."""
        out: dict[tuple[str, str, int], FigureCorrection] = {}
        for record in self.order_by("created_at", "pk"):
            out[record.identity] = record
        return out


class FigureCorrection(models.Model):
    """An admin's decision about one extracted figure: append-only, so the table is the audit.

    A figure is identified by what survives re-parsing: its key, the sentence it was read
    from, and its place among that key's figures in that sentence (``occurrence``).  The
    newest record for an identity wins; ``restore`` returns the figure to what the extractor
    reads.  A record whose sentence no longer occurs after a re-parse is kept but applies to
    nothing (shown as 未匹配 in the admin).
    """

    report = models.ForeignKey(
        "reports.Report", verbose_name="报告", on_delete=models.CASCADE, related_name="figure_corrections"
    )
    key = models.CharField("指标", max_length=40, choices=INDICATOR_KEY_CHOICES)
    sentence = models.TextField("原句")
    occurrence = models.PositiveSmallIntegerField("句中序号", default=0)
    section_path = models.CharField("章节路径", max_length=50, blank=True)
    extracted_value = models.DecimalField("自动提取值", max_digits=20, decimal_places=4, null=True, blank=True)
    action = models.CharField("操作", max_length=10, choices=CorrectionAction.choices)
    value = models.DecimalField("更正值", max_digits=20, decimal_places=4, null=True, blank=True)
    note = models.TextField("理由")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = FigureCorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = "指标更正记录"
        verbose_name_plural = "指标更正记录"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["report", "key"], name="figcorr_report_key_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(action="correct") | models.Q(value__isnull=False, value__gte=0),
                name="figurecorrection_correct_has_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {INDICATOR_KEYS.get(self.key, self.key)}"

    @property
    def identity(self) -> tuple[str, str, int]:
        return (self.key, self.sentence.strip(), self.occurrence)


def format_value(value) -> str:
    """27.0000 → "27", 40.7000 → "40.7", 1.2E+8 → "120000000" (never scientific notation)."""
    if value is None:
        return ""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    return f"{d.normalize():f}"
