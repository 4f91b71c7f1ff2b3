"""相似段落 on section pages (search/similar.py), and the OpenAPI schema and docs page."""

from __future__ import annotations

import json

import yaml


def test_distinctive_terms_prefer_rare_words(seeds):
    from search.similar import distinctive_terms

    section = seeds["004"].sections.get(path="5")
    terms = distinctive_terms(section.heading + "\n" + section.text)
    assert 0 < len(terms) <= 10
    assert all(len(t) >= 2 for t in terms)


def test_similar_sections_come_from_other_reports(seeds):
    from search.similar import similar_sections

    section = seeds["001"].sections.get(path="8.6")  # 加強行政複議應訴工作 (traditional)
    similar = similar_sections(section, limit=5)
    assert similar
    assert all(item.report_id != seeds["001"].pk for item in similar)
    assert [s.score for s in similar] == sorted((s.score for s in similar), reverse=True)
    # The same topic in simplified reports: a 行政复议 section ranks first.
    from reports.models import Section

    best = Section.objects.get(pk=similar[0].section_id)
    assert "行政复议" in best.text or "应诉" in best.text


def test_section_page_shows_similar_sections(client, seeds):
    section = seeds["001"].sections.get(path="8.6")
    html = client.get(section.get_absolute_url()).content.decode()
    assert "相似段落" in html
    assert 'class="similar-list"' in html
    assert f'href="/reports/{seeds["001"].pk}/s/' not in html.split("相似段落", 1)[1]


def test_openapi_schema_documents_the_api(client, seeds):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/trends/" in schema["paths"] and "/api/reports/" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/trends/"]["get"]["parameters"]}
    assert {"terms", "by", "region", "year_from", "year_to", "kind"} <= params
    as_json = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    assert as_json["paths"].keys() == schema["paths"].keys()


def test_api_docs_page_is_server_rendered(client, seeds):
    response = client.get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script" not in html and "cdn" not in html.lower()
    assert "GET /api/trends/" in html and "year_from" in html and "/api/schema/" in html
