"""Admins' corrections of figures: applied now, kept across re-parsing, audited, reversible."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from compare import services
from compare.models import CorrectionAction, FigureCorrection, Indicator
from tests.reports.conftest import seed_reports  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _figure(report, key):
    return Indicator.objects.select_related("section", "correction").get(report=report, key=key)


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_user("figadmin", password="pw-123456", is_staff=True, is_superuser=True)


def test_correction_survives_reparse_and_is_audited(seed_reports, admin_user):  # noqa: F811
    report = seed_reports["000"]
    services.indicators_refresh(report=report)
    lost = _figure(report, "admin_litigation_lost")
    assert lost.value == Decimal("9")
    record = services.figure_correct(indicator=lost, action=CorrectionAction.CORRECT, value=8,
                                     note="原文另有1件系上诉审", user=admin_user)
    assert _figure(report, "admin_litigation_lost").value == Decimal("8")
    # Re-parsing recreates every row: the correction is applied again, linked to its record.
    services.indicators_refresh(report=report)
    again = _figure(report, "admin_litigation_lost")
    assert again.value == Decimal("8") and again.correction_id == record.pk
    assert record.extracted_value == Decimal("9") and record.created_by == admin_user
    assert record.sentence == lost.sentence and record.section_path == lost.section.path
    # Other figures of the report are untouched.
    assert _figure(report, "admin_litigation_cases").value == Decimal("27")


def test_reject_then_restore(seed_reports):  # noqa: F811
    report = seed_reports["000"]
    services.indicators_refresh(report=report)
    before = Indicator.objects.filter(report=report).count()
    rate = _figure(report, "head_appearance_rate")
    rejected = services.figure_correct(indicator=rate, action=CorrectionAction.REJECT, note="不是本级数据")
    assert not Indicator.objects.filter(report=report, key="head_appearance_rate").exists()
    services.indicators_refresh(report=report)
    assert not Indicator.objects.filter(report=report, key="head_appearance_rate").exists()
    assert Indicator.objects.filter(report=report).count() == before - 1
    services.figure_restore(correction=rejected, note="误驳回")
    assert _figure(report, "head_appearance_rate").value == Decimal("40.7")
    # The log keeps both decisions, newest first.
    actions = list(FigureCorrection.objects.filter(report=report).values_list("action", flat=True))
    assert actions == [CorrectionAction.RESTORE, CorrectionAction.REJECT]


@pytest.mark.parametrize("kwargs, field", [
    ({"action": CorrectionAction.CORRECT, "value": 3, "note": "  "}, "note"),
    ({"action": CorrectionAction.CORRECT, "value": None, "note": "理由"}, "value"),
    ({"action": CorrectionAction.CORRECT, "value": -1, "note": "理由"}, "value"),
    ({"action": CorrectionAction.RESTORE, "note": "理由"}, "action"),
])
def test_bad_corrections_change_nothing(seed_reports, kwargs, field):  # noqa: F811
    report = seed_reports["002"]
    services.indicators_refresh(report=report)
    figure = _figure(report, "admin_litigation_cases")
    with pytest.raises(ValidationError) as exc:
        services.figure_correct(indicator=figure, **kwargs)
    assert field in exc.value.message_dict
    assert _figure(report, "admin_litigation_cases").value == Decimal("67")
    assert not FigureCorrection.objects.exists()


def test_admin_correction_form(seed_reports, admin_user, client):  # noqa: F811
    report = seed_reports["002"]
    services.indicators_refresh(report=report)
    figure = _figure(report, "admin_litigation_cases")
    client.force_login(admin_user)
    add = reverse("admin:compare_figurecorrection_add")
    page = client.get(add, {"indicator": figure.pk})
    assert page.status_code == 200 and str(figure.pk) in page.content.decode()
    # Missing value: a Chinese message, nothing recorded.
    bad = client.post(add, {"indicator": figure.pk, "action": "correct", "value": "", "note": "理由"})
    assert bad.status_code == 200 and "请填写不小于 0 的更正值" in bad.content.decode()
    negative = client.post(add, {"indicator": figure.pk, "action": "correct", "value": "-3", "note": "理由"})
    assert negative.status_code == 200 and "请填写不小于 0 的更正值" in negative.content.decode()
    gone = client.post(add, {"indicator": 999999, "action": "reject", "note": "理由"})
    assert gone.status_code == 200 and "该指标数据不存在" in gone.content.decode()
    assert not FigureCorrection.objects.exists()
    ok = client.post(add, {"indicator": figure.pk, "action": "correct", "value": "66", "note": "重复计算1件"})
    assert ok.status_code == 302
    assert _figure(report, "admin_litigation_cases").value == Decimal("66")
    record = FigureCorrection.objects.get()
    assert record.created_by == admin_user and record.note == "重复计算1件"
    # The log is read-only: the change page shows the record but saves nothing.
    change = client.get(reverse("admin:compare_figurecorrection_change", args=[record.pk]))
    assert change.status_code == 200
    listing = client.get(reverse("admin:compare_indicator_changelist"))
    assert listing.status_code == 200 and "更正或驳回" in listing.content.decode()
