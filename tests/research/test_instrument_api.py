"""Archive-wide instruments in the API: compliance/timeliness rates (/api/instruments/) and
coverage with absences (/api/coverage/), both in the OpenAPI schema."""

from __future__ import annotations


def test_instruments_api_rates_and_reports(client, seeds):
    data = client.get("/api/instruments/?by=year").json()
    fazhi = [r for r in seeds.values() if r.kind == "fazhi"]
    assert data["total"] == len(fazhi) and data["by"] == "year"
    assert sum(g["reports"] for g in data["rates"]) == len(fazhi)
    # Hand coding: only the untitled seed 002 has all five parts.
    assert sum(g["complete"] for g in data["rates"]) == 1
    complete = client.get("/api/instruments/?complete=1").json()
    assert [r["report_id"] for r in complete["reports"]] == [seeds["002"].pk]
    assert complete["reports"][0]["timeliness"] in ("on_time", "late", "unknown")
    assert complete["reports"][0]["url"].startswith("http://")


def test_instruments_api_for_a_search_and_bad_input(client, seeds):
    data = client.get("/api/instruments/?q=信访&part=first_duty&missing=1&by=nope&status=x").json()
    assert data["q"] == "信访" and data["total"] == 3 and data["by"] == "level"
    assert {r["report_id"] for r in data["reports"]} == {seeds["000"].pk, seeds["003"].pk}
    assert any("分组方式无效" in w for w in data["warnings"]) and any("status" in w for w in data["warnings"])


def test_coverage_api(client, seeds):
    data = client.get("/api/coverage/?region=不存在的地方&from=2019&to=2020").json()
    assert data["years"] == [2019, 2020] and data["scope"] == "全国"
    assert data["warnings"]
    assert data["expected"] == len([u for u in data["units"] if u["listed"]]) * 2
    assert all(set(u) >= {"name", "held_years", "missing_years", "report_ids"} for u in data["units"])


def test_instrument_apis_are_in_the_schema(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert "/api/instruments/" in paths and "/api/coverage/" in paths and "/api/figures/" in paths
