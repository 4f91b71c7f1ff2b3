"""Stored figures (compare.Indicator): extraction per section with provenance, refresh, command."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from compare.models import Indicator, format_value
from compare.services import indicators_refresh
from tests.reports.conftest import seed_reports  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

# Figures the seeds state, checked by hand against the text.
SEED_FIGURES = {
    "000": {
        ("admin_litigation_cases", Decimal("27")),
        ("admin_litigation_lost", Decimal("9")),
        ("head_appearance_rate", Decimal("40.7")),
    },
    "002": {("admin_litigation_cases", Decimal("67")), ("head_appearance_rate", Decimal("100"))},
}


@pytest.mark.parametrize("seed", sorted(SEED_FIGURES))
def test_seed_figures_are_stored_with_provenance(seed_reports, seed):  # noqa: F811
    report = seed_reports[seed]
    rows = indicators_refresh(report=report)
    stored = list(Indicator.objects.filter(report=report).select_related("section"))
    assert len(stored) == len(rows) > 0
    found = {(i.key, i.value) for i in stored}
    assert SEED_FIGURES[seed] <= found
    for indicator in stored:
        # Each figure knows its section, and the sentence is the section's own text.
        assert indicator.section.report_id == report.pk
        assert indicator.sentence and indicator.sentence in indicator.section.text
        number = indicator.section.text[indicator.start : indicator.end]
        assert number and (number[0].isdigit() or number[0] in "一二三四五六七八九十两")
    rate = next(i for i in stored if i.key == "head_appearance_rate")
    assert rate.unit == "%"
    assert format_value(rate.value) == ("40.7" if seed == "000" else "100")


def test_refresh_replaces_the_reports_figures(seed_reports):  # noqa: F811
    report = seed_reports["002"]
    first = indicators_refresh(report=report)
    second = indicators_refresh(report=report)
    assert len(first) == len(second)
    assert Indicator.objects.filter(report=report).count() == len(second)
    section = Indicator.objects.filter(report=report, key="admin_litigation_cases").get().section
    section.text = section.text.replace("行政诉讼案件67件", "行政诉讼案件70件")
    section.save()
    indicators_refresh(report=report)
    values = set(
        Indicator.objects.filter(report=report, key="admin_litigation_cases").values_list("value", flat=True)
    )
    assert values == {Decimal("70")}
    # Other reports are untouched.
    other = seed_reports["000"]
    indicators_refresh(report=other)
    indicators_refresh(report=report)
    assert Indicator.objects.filter(report=other).exists()


def test_figures_go_with_their_report(seed_reports):  # noqa: F811
    from reports.services import report_delete

    report = seed_reports["000"]
    indicators_refresh(report=report)
    report_delete(report=report)
    assert not Indicator.objects.filter(report_id=report.pk).exists()


def test_replaced_text_drops_stale_figures(seed_reports):  # noqa: F811
    """Re-parsing deletes sections; their figures go with them (cascade), none point nowhere."""
    from reports.services import report_replace_text

    report = seed_reports["000"]
    indicators_refresh(report=report)
    report_replace_text(report=report, text=report.original_text.replace("共27件", "共28件"))
    indicators_refresh(report=report)
    values = set(
        Indicator.objects.filter(report=report, key="admin_litigation_cases").values_list("value", flat=True)
    )
    assert values == {Decimal("28")}


def test_command_refreshes_all_reports(seed_reports, capsys):  # noqa: F811
    call_command("refresh_indicators")
    out = capsys.readouterr().out
    assert "已处理 5 份报告" in out
    assert Indicator.objects.filter(report=seed_reports["000"]).exists()
    assert Indicator.objects.filter(report=seed_reports["002"]).exists()


def test_command_single_report_and_missing_id(seed_reports):  # noqa: F811
    report = seed_reports["002"]
    Indicator.objects.all().delete()  # the import already stored figures for every seed
    call_command("refresh_indicators", "--report", str(report.pk))
    assert set(Indicator.objects.values_list("report_id", flat=True)) == {report.pk}
    with pytest.raises(CommandError):
        call_command("refresh_indicators", "--report", "999999")


def test_format_value():
    assert format_value(Decimal("27.0000")) == "27"
    assert format_value(Decimal("40.7000")) == "40.7"
    assert format_value(Decimal("120000000.0000")) == "120000000"
    assert format_value(None) == ""
