"""Writes for the compare app: figures derived from sections, and admins' corrections of them.

``indicators_refresh`` is called by ``reports.services`` after a report's sections are saved
(import and re-parse) and by ``manage.py refresh_indicators`` for existing data.  It applies
every admin correction (compare.models.FigureCorrection) to what the extractor reads, so a
correction survives re-parsing.  ``figure_correct`` and ``figure_restore`` are the only ways an
admin changes a figure; each adds a record and never edits or deletes one.
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from compare.figures import INDICATOR_UNITS, extract_indicators
from compare.models import CorrectionAction, FigureCorrection, Indicator
from reports.models import Report

logger = logging.getLogger(__name__)

# DecimalField(max_digits=20, decimal_places=4): anything this large is a misreading.
_MAX_VALUE = Decimal("1e15")


def _to_decimal(value: float) -> Decimal | None:
    try:
        d = Decimal(str(round(float(value), 4)))
    except (InvalidOperation, ValueError, OverflowError):
        return None
    if not d.is_finite() or d < 0 or d >= _MAX_VALUE:
        return None
    return d


def _identities(rows: list[Indicator]) -> list[tuple[str, str, int]]:
    """(key, sentence, occurrence) per row, rows in document order."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for row in rows:
        base = (row.key, row.sentence.strip())
        out.append((*base, seen.get(base, 0)))
        seen[base] = seen.get(base, 0) + 1
    return out


@transaction.atomic
def indicators_refresh(*, report: Report) -> list[Indicator]:
    """Delete and recreate the report's figures from its sections, one section at a time,
    so every figure knows the section (and sentence) it was read from; then apply the
    admins' corrections (a rejected figure is not stored, a corrected one keeps its link)."""
    Indicator.objects.filter(report=report).delete()
    rows: list[Indicator] = []
    for section in report.sections.order_by("order").only("id", "report_id", "text"):
        seen: set[tuple[str, int]] = set()
        for found in extract_indicators(section.text or ""):
            value = _to_decimal(found.value)
            if value is None:
                logger.warning(
                    "report %s section %s: figure %r out of range", report.pk, section.pk, found.value
                )
                continue
            if (found.key, found.start) in seen:
                continue
            seen.add((found.key, found.start))
            indicator = Indicator(
                report=report,
                section=section,
                key=found.key,
                value=value,
                unit=(found.unit or INDICATOR_UNITS.get(found.key, ""))[:10],
                sentence=found.sentence.strip(),
                start=found.start,
                end=max(found.end, found.start),
            )
            indicator.full_clean(exclude=["report", "section", "correction"])
            rows.append(indicator)
    corrections = FigureCorrection.objects.filter(report=report).effective()
    kept: list[Indicator] = []
    for row, identity in zip(rows, _identities(rows)):
        record = corrections.get(identity)
        if record is not None and record.action == CorrectionAction.REJECT:
            continue
        if record is not None and record.action == CorrectionAction.CORRECT:
            row.value, row.correction = record.value, record
        kept.append(row)
    Indicator.objects.bulk_create(kept)
    return kept


def identity_of(indicator: Indicator) -> tuple[str, str, int]:
    """The identity of a stored figure (its occurrence counted among the report's rows)."""
    rows = list(
        Indicator.objects.filter(report_id=indicator.report_id, key=indicator.key, sentence=indicator.sentence)
        .order_by("section__order", "start")
    )
    return next(i for row, i in zip(rows, _identities(rows)) if row.pk == indicator.pk)


@transaction.atomic
def figure_correct(*, indicator: Indicator, action: str, value=None, note: str, user=None) -> FigureCorrection:
    """Record an admin's correction or rejection of one stored figure and apply it now."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写更正或驳回的理由（审计记录需要）。"})
    if action not in (CorrectionAction.CORRECT, CorrectionAction.REJECT):
        raise ValidationError({"action": "操作无效：只能更正数值或驳回。"})
    decimal_value = None
    if action == CorrectionAction.CORRECT:
        decimal_value = _to_decimal(value) if value not in (None, "") else None
        if decimal_value is None:
            raise ValidationError({"value": "请填写不小于 0 的更正值。"})
    key, sentence, occurrence = identity_of(indicator)
    previous = indicator.correction
    record = FigureCorrection(
        report_id=indicator.report_id, key=key, sentence=sentence, occurrence=occurrence,
        section_path=indicator.section.path if indicator.section_id else "",
        extracted_value=previous.extracted_value if previous else indicator.value,
        action=action, value=decimal_value, note=note, created_by=user,
    )
    record.full_clean(exclude=["report", "created_by"])
    record.save()
    if action == CorrectionAction.REJECT:
        indicator.delete()
    else:
        Indicator.objects.filter(pk=indicator.pk).update(value=decimal_value, correction=record)
    return record


@transaction.atomic
def figure_restore(*, correction: FigureCorrection, note: str, user=None) -> FigureCorrection:
    """Return a corrected or rejected figure to what the extractor reads (recorded too)."""
    note = (note or "").strip() or "恢复自动提取值"
    record = FigureCorrection.objects.create(
        report_id=correction.report_id, key=correction.key, sentence=correction.sentence,
        occurrence=correction.occurrence, section_path=correction.section_path,
        extracted_value=correction.extracted_value, action=CorrectionAction.RESTORE, note=note, created_by=user,
    )
    indicators_refresh(report=correction.report)
    return record


__all__ = ["figure_correct", "figure_restore", "identity_of", "indicators_refresh"]
