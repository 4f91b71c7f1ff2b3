"""GET /api/compare/?reports=… and GET /api/reports/<id>/indicators/."""

from __future__ import annotations

import pytest
from django.urls import reverse

from compare.services import indicators_refresh
from compare.topics import TOPICS
from tests.reports.conftest import seed_reports  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds(seed_reports):  # noqa: F811
    for report in seed_reports.values():
        indicators_refresh(report=report)
    return seed_reports


def test_routes_are_named():
    assert reverse("api-compare") == "/api/compare/"
    assert reverse("api-indicators", args=[5]) == "/api/reports/5/indicators/"
    assert reverse("compare:start") == "/compare/"
    assert reverse("compare:figures-csv") == "/compare/figures.csv"
    assert reverse("compare:selection") == "/compare/selection/"


def test_compare_api_shape(client, seeds):
    a, b, c = seeds["002"], seeds["000"], seeds["001"]
    response = client.get("/api/compare/", {"reports": f"{a.pk},{b.pk},{c.pk}"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"reports", "rows", "copies"}
    assert [r["id"] for r in data["reports"]] == [a.pk, b.pk, c.pk]
    first = data["reports"][0]
    assert first["year"] == 2023 and first["jurisdiction"]["name"] == "山西省太原市杏花岭区"
    assert first["url"] == a.get_absolute_url()
    assert [row["topic"] for row in data["rows"]] == [t.key for t in TOPICS]
    assert [row["label"] for row in data["rows"]] == [t.label for t in TOPICS]
    for i, report in enumerate((a, b, c)):
        cells = [row["cells"][i] for row in data["rows"]]
        ids = [sid for cell in cells for sid in cell]
        # Every section once, under its own topic.
        assert sorted(ids) == sorted(report.sections.values_list("pk", flat=True))
        topics = dict(report.sections.values_list("pk", "topic"))
        for row in data["rows"]:
            assert all(topics[sid] == row["topic"] for sid in row["cells"][i])


@pytest.mark.parametrize("value", ["", "1", "x,y", "1,2,3,4,5,6,7", "999998,999999"])
def test_compare_api_bad_reports(client, db, value):
    response = client.get("/api/compare/", {"reports": value})
    assert response.status_code == 400
    assert response.json()["error"]


def test_compare_api_without_parameter(client, db):
    response = client.get("/api/compare/")
    assert response.status_code == 400


def test_indicators_api(client, seeds):
    report = seeds["000"]
    response = client.get(f"/api/reports/{report.pk}/indicators/")
    assert response.status_code == 200
    data = response.json()
    assert {"key", "value", "unit", "sentence", "section"} <= set(data[0])
    got = {(d["key"], d["value"], d["unit"]) for d in data}
    assert {
        ("admin_litigation_cases", 27, "件"),
        ("admin_litigation_lost", 9, "件"),
        ("head_appearance_rate", 40.7, "%"),
    } <= got
    sections = {s.pk: s for s in report.sections.all()}
    for item in data:
        section = sections[item["section"]]
        assert item["section_path"] == section.path
        assert item["section_url"] == section.get_absolute_url()
        assert item["sentence"] in section.text


def test_indicators_api_missing_report(client, db):
    assert client.get("/api/reports/999999/indicators/").status_code == 404


def test_api_is_read_only(client, seeds):
    report = seeds["000"]
    assert client.post("/api/compare/", {"reports": "1,2"}).status_code in (403, 405)
    assert client.post(f"/api/reports/{report.pk}/indicators/").status_code in (403, 405)
