"""Writes for the compare app: the stored figures are derived from sections, never edited.

``indicators_refresh`` is called by ``reports.services`` after a report's sections are saved
(import and re-parse) and by ``manage.py refresh_indicators`` for existing data.
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

from django.db import transaction

from compare.indicators import INDICATOR_UNITS, extract_indicators
from compare.models import Indicator
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


@transaction.atomic
def indicators_refresh(*, report: Report) -> list[Indicator]:
    """Delete and recreate the report's figures from its sections, one section at a time,
    so every figure knows the section (and sentence) it was read from."""
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
            indicator.full_clean(exclude=["report", "section"])
            rows.append(indicator)
    Indicator.objects.bulk_create(rows)
    return rows


__all__ = ["indicators_refresh"]
