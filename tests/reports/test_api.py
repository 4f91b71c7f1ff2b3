"""The read-only reports API: shape, filters, pagination, no writes."""

import pytest

pytestmark = pytest.mark.django_db


def test_list_shape_and_filters(client, seed_reports):
    response = client.get("/api/reports/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 5
    item = data["results"][0]
    assert set(item) >= {"id", "title", "year", "kind", "script", "published", "jurisdiction"}
    assert set(item["jurisdiction"]) >= {"name", "province", "city", "county", "town"}

    gangkou = seed_reports["004"]
    data = client.get("/api/reports/", {"region": "广东省"}).json()
    assert [r["id"] for r in data["results"]] == [gangkou.pk]
    data = client.get("/api/reports/", {"region": gangkou.region.pk}).json()
    assert [r["id"] for r in data["results"]] == [gangkou.pk]
    years = sorted(r.year for r in seed_reports.values() if r.year)
    data = client.get("/api/reports/", {"year_from": years[1], "year_to": years[-1]}).json()
    assert data["count"] == len([y for y in years if years[1] <= y <= years[-1]])
    data = client.get("/api/reports/", {"year": 2021}).json()
    assert [r["id"] for r in data["results"]] == [gangkou.pk]


def test_bad_filter_values_get_400_not_500(client, seed_reports):
    response = client.get("/api/reports/", {"year": "abc"})
    assert response.status_code == 400
    assert client.get("/api/reports/", {"kind": "nonsense"}).status_code == 400
    assert client.get("/api/reports/", {"region": "没有这个地方"}).json()["count"] == 0


def test_detail_shape(client, seed_reports):
    report = seed_reports["001"]
    data = client.get(f"/api/reports/{report.pk}/").json()
    assert data["title"] == report.title
    assert data["script"] == "traditional"
    assert data["jurisdiction"]["province"] == "江苏省"
    sections = data["sections"]
    assert len(sections) == report.sections.count()
    assert set(sections[0]) >= {"id", "level", "number", "path", "heading", "text", "parent"}
    ids = {s["id"] for s in sections}
    assert all(s["parent"] is None or s["parent"] in ids for s in sections)


def test_api_is_read_only(client, seed_reports):
    report = seed_reports["001"]
    assert client.post("/api/reports/", {"title": "x"}).status_code in (401, 403, 405)
    assert client.delete(f"/api/reports/{report.pk}/").status_code in (401, 403, 405)
    assert client.get("/api/reports/999999/").status_code == 404


def test_reports_carry_their_reporting_body(client, seed_reports):
    """Scripts can tell government from department reports and see who reported."""
    for item in client.get("/api/reports/").json()["results"]:
        report = next(r for r in seed_reports.values() if r.pk == item["id"])
        assert item["reporting_body"] == report.reporting_body
        assert item["body_kind"] == report.body_kind and item["department"] == report.department
    data = client.get("/api/reports/", {"body_kind": "dept"}).json()
    assert all(r["body_kind"] == "dept" for r in data["results"])
