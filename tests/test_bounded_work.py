"""Bounded work per request (issue 15, hole 1): what one anonymous request may make the server do.

Structural checks, not timings (speed is measured by tests/load/slowest.py, which prints numbers):

* the figures of a report (compare page, figures CSV, /api/reports/<id>/indicators/) never read
  a section's text once per figure: a long section stating many figures made a 5 MB report's
  figures pass the 60 s worker timeout;
* a query holds at most ``MAX_TERMS`` words and phrases, wherever it is read (search page,
  exports, compare ?q=, the reader's ?hl=), and says so in Chinese when it drops some;
* an export stops at its byte budget with a note, not only at its row cap.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.querysyntax import MAX_TERMS, W_TOO_MANY, parse_query

# Common characters OR'd, as in the attack (80 of them in the issue; 30 is enough here).
COMMON = "的是在了有为中对以地上个国到说们时要就出会也得里后自然下过能可年生面而方去子之于其"
MANY_OR = " OR ".join(COMMON[:30])
FIGURE_SENTENCE = "全年受理行政复议案件80件，行政应诉案件12件，行政机关负责人出庭应诉率100%。"


@pytest.fixture
def figure_heavy_report(db):
    """One report whose single long section states a few hundred figures."""
    from compare.services import indicators_refresh
    from reports.models import Report, Section

    text = "\n".join(f"（{i}）{FIGURE_SENTENCE}" for i in range(200))
    report = Report.objects.create(title="某市2023年法治政府建设年度报告", year=2023,
                                   original_text=text, checksum="bounded-" + "0" * 56)
    Section.objects.create(report=report, level=1, number="一、", path="1", heading="一、行政复议",
                           text=text, order=1)
    other = Report.objects.create(title="某县2023年法治政府建设年度报告", year=2023,
                                  original_text=FIGURE_SENTENCE, checksum="bounded-" + "1" * 56)
    Section.objects.create(report=other, level=1, number="一、", path="1", heading="一、行政复议",
                           text=FIGURE_SENTENCE, order=1)
    for r in (report, other):
        indicators_refresh(report=r)
    assert report.indicators.count() >= 200
    return report, other


def _section_text_reads_with_figures(queries) -> list[str]:
    """Queries that read figures AND the text of their sections (one text per figure row)."""
    return [
        q["sql"] for q in queries
        if "compare_indicator" in q["sql"] and '"reports_section"."text"' in q["sql"]
    ]


def test_report_figures_api_does_not_read_section_text_per_figure(client, figure_heavy_report):
    report, _ = figure_heavy_report
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/api/reports/{report.pk}/indicators/")
    assert response.status_code == 200
    body = response.json()
    assert len(body) >= 200 and body[0]["section_url"].endswith("/1/")
    assert _section_text_reads_with_figures(ctx.captured_queries) == []


def test_compare_page_reads_each_section_text_once(client, figure_heavy_report):
    report, other = figure_heavy_report
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/compare/?reports={report.pk},{other.pk}")
    assert response.status_code == 200
    assert "行政复议" in response.content.decode()
    assert _section_text_reads_with_figures(ctx.captured_queries) == []
    with CaptureQueriesContext(connection) as ctx:
        csv = client.get(f"/compare/figures.csv?reports={report.pk},{other.pk}")
    assert csv.status_code == 200 and b"80" in b"".join(csv.streaming_content if csv.streaming else [csv.content])
    assert _section_text_reads_with_figures(ctx.captured_queries) == []


def test_query_terms_are_capped_with_a_chinese_message():
    parsed = parse_query(MANY_OR)
    assert len(parsed.terms) == MAX_TERMS
    assert parsed.terms == list(COMMON[:MAX_TERMS])
    assert W_TOO_MANY.format(limit=MAX_TERMS) in parsed.warnings
    # Under the cap nothing is dropped and nothing is said.
    few = parse_query(" OR ".join(COMMON[:MAX_TERMS]))
    assert len(few.terms) == MAX_TERMS and not few.warnings
    # Exclusions count too: each is a posting list to read.
    nots = parse_query("法治 " + " ".join(f"-{c}" for c in COMMON[:30]))
    assert W_TOO_MANY.format(limit=MAX_TERMS) in nots.warnings
    # Cutting never leaves a dangling operator or parenthesis behind.
    nested = parse_query("(" + " OR ".join(COMMON[:30]) + ")")
    assert nested.terms == list(COMMON[:MAX_TERMS])
    assert nested.warnings == [W_TOO_MANY.format(limit=MAX_TERMS)]


@pytest.mark.parametrize("path", ["/search/", "/compare/"])
def test_search_and_compare_q_say_terms_were_dropped(client, shared_seed_reports, path):
    response = client.get(path, {"q": MANY_OR})
    assert response.status_code == 200
    assert W_TOO_MANY.format(limit=MAX_TERMS) in response.content.decode()


def test_reader_highlights_at_most_max_terms(client, shared_seed_reports):
    from reports.presentation import reader_terms

    assert reader_terms("".join(f"{c} " for c in COMMON)) == list(COMMON[:MAX_TERMS])
    report = next(iter(shared_seed_reports.values()))
    response = client.get(f"/reports/{report.pk}/", {"hl": " ".join(COMMON)})
    assert response.status_code == 200
    page = response.content.decode()
    marked = {c for c in COMMON if f">{c}</mark>" in page}
    assert marked and marked <= set(COMMON[:MAX_TERMS])


def test_export_stops_at_its_byte_budget_with_a_note(shared_seed_reports):
    from research import export
    from search.service import SearchParams

    rows = list(export.export_rows(SearchParams(q="法治"), lambda p: "http://testserver" + p, max_bytes=2_000))
    assert "note" in rows[-1] and "上限" in rows[-1]["note"]
    body = [r for r in rows if "note" not in r]
    assert body
    assert sum(export.row_bytes(r) for r in body) <= 2_000
    everything = list(export.export_rows(SearchParams(q="法治"), lambda p: "http://testserver" + p))
    assert len(everything) > len(body) and "note" not in everything[-1]


def test_trends_count_sections_without_reading_their_text(shared_seed_reports):
    """Trends need how many sections match, not what they say: no section text is read
    (snippets for every matching section of every report made /trends/ take a minute)."""
    from research import trends

    params, _ = trends.params_from_querydict({"terms": "法治,行政复议", "by": "province"})
    with CaptureQueriesContext(connection) as ctx:
        results = trends.compute_trends(params)
    assert results and all(t.total_reports > 0 and t.total_sections >= t.total_reports for t in results)
    reads = [q["sql"] for q in ctx.captured_queries if '"reports_section"."text"' in q["sql"]]
    assert not reads, reads[:1]
    # The same counts as the search with snippets.
    from research.matches import iter_matches
    from search.service import SearchParams

    hits = [h for h in iter_matches(SearchParams(q="法治"), sections=True) if h.report.year]
    assert results[0].total_sections == sum(len(h.sections) for h in hits)
    assert all(s.snippet_html for h in hits for s in h.sections)
