"""The report page carries each section's GB/T 7714 reference for the per-section copy buttons."""

from __future__ import annotations

import json
import re

from reports.models import Section


def test_report_page_has_every_sections_citation(client, seeds):
    report = seeds["001"]  # traditional script
    html = client.get(report.get_absolute_url()).content.decode()
    m = re.search(r'<script id="section-citations" type="application/json">(.*?)</script>', html, re.S)
    assert m
    citations = json.loads(m.group(1))
    sections = list(Section.objects.filter(report=report).order_by("order"))
    assert set(citations) == {s.path for s in sections}
    for section in sections:
        text = citations[section.path]
        # A part of the report ("…[EB/OL]//issuer. title"), linking to the section's permalink.
        assert "[EB/OL]//" in text and report.title in text
        assert text.rstrip(".").endswith(section.get_absolute_url()) or section.get_absolute_url() in text
