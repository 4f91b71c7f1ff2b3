"""Comparison data kept in the database: figures extracted from sections, with provenance."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from compare.indicators import INDICATOR_KEYS

INDICATOR_KEY_CHOICES = tuple(INDICATOR_KEYS.items())


class IndicatorQuerySet(models.QuerySet):
    def for_reports(self, report_ids) -> IndicatorQuerySet:
        return self.filter(report_id__in=list(report_ids))

    def with_section(self) -> IndicatorQuerySet:
        return self.select_related("section")


class Indicator(models.Model):
    """One figure stated in a report (受理行政复议案件80件), tied to the sentence that states it.

    Derived data: ``compare.services.indicators_refresh`` deletes and recreates a report's rows
    from its sections, so nothing here is edited by hand.
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


def format_value(value) -> str:
    """27.0000 → "27", 40.7000 → "40.7", 1.2E+8 → "120000000" (never scientific notation)."""
    if value is None:
        return ""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    return f"{d.normalize():f}"
