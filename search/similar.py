"""Similar sections ("相似段落"): the same topic in other reports, found through the index.

``similar_sections(section)``:

1. ``distinctive_terms``: the section's most distinctive words by tf-idf: main words from
   ``search.analysis.segment`` (folded, so script-blind), term frequency in the section,
   inverse document frequency from the index reader (``doc_frequency`` of the indexed word
   over the report documents).  Single characters, numbers and words found in nearly every
   report are left out.
2. One OR query of those words through ``search.service.search`` (the same engine, filters
   and section selection as the search page), restricted to reports other than the
   section's own, with each report's best-matching sections.
3. Those candidate sections are re-ranked by cosine similarity of tf-idf vectors with the
   source section (a small set read from the database), so a section that shares many
   distinctive words wins over a long report that merely mentions them all somewhere.

Index-only, never a scan of all sections.  Uses the Whoosh reader only through
``search.backends.get_backend().searcher()``, like the rest of search/.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import dataclass

from search.analysis import segment

log = logging.getLogger(__name__)

__all__ = ["SimilarSection", "distinctive_terms", "similar_sections"]

TOP_TERMS = 10
CANDIDATE_REPORTS = 30
SECTIONS_PER_REPORT = 2
MIN_SCORE = 0.05
# Words in more than this share of the reports say nothing about a topic.
MAX_DF_SHARE = 0.9


@dataclass
class SimilarSection:
    section_id: int
    report_id: int
    report_title: str
    report_year: int | None
    jurisdiction: str
    path: str
    heading: str
    url: str
    snippet_html: str
    score: float


def _words(text: str) -> Counter:
    words = Counter()
    for tok in segment(text or "", subwords=False):
        w = tok.text
        if len(w) >= 2 and not w.isdigit() and not w.isascii():
            words[w] += 1
    return words


class _Idf:
    """idf from the index (report documents), memoised per call."""

    def __init__(self):
        from search.backends import get_backend

        backend = get_backend()
        self.reader = backend.searcher().reader()
        self.field = backend.content_field_name or "text"
        self.n = max(1, self.reader.doc_count())
        self.cache: dict[str, tuple[int, float]] = {}

    def __call__(self, word: str) -> tuple[int, float]:
        if word not in self.cache:
            try:
                df = self.reader.doc_frequency(self.field, word)
            except Exception:
                df = 0
            self.cache[word] = (df, math.log((self.n + 1) / (df + 1)) + 1.0)
        return self.cache[word]


def distinctive_terms(text: str, k: int = TOP_TERMS, *, idf: _Idf | None = None) -> list[str]:
    """The ``k`` words of ``text`` with the highest tf-idf (folded, simplified script)."""
    words = _words(text)
    if not words:
        return []
    idf = idf or _Idf()
    scored = []
    for word, tf in words.items():
        df, weight = idf(word)
        if df == 0 or (idf.n >= 10 and df > MAX_DF_SHARE * idf.n):
            continue
        scored.append((-(1 + math.log(tf)) * weight, word))
    scored.sort()
    return [w for _, w in scored[:k]]


def _vector(text: str, idf: _Idf) -> dict[str, float]:
    return {w: (1 + math.log(tf)) * idf(w)[1] for w, tf in _words(text).items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(w, 0.0) for w, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def similar_sections(section, limit: int = 8) -> list[SimilarSection]:
    """Sections of OTHER reports most similar to ``section`` (a reports.Section); [] on failure."""
    try:
        return _similar(section, limit)
    except Exception:  # a side panel must never break the section page
        log.exception("similar sections failed for section %s", getattr(section, "pk", None))
        return []


def _similar(section, limit: int) -> list[SimilarSection]:
    from reports.models import Section
    from search import service

    source_text = f"{section.heading}\n{section.text}"
    idf = _Idf()
    terms = distinctive_terms(source_text, idf=idf)
    if not terms:
        return []
    q = " OR ".join(f'"{t}"' for t in terms)
    page = service.search(
        service.SearchParams(q=q, per_page=CANDIDATE_REPORTS + 1, sections_per_report=SECTIONS_PER_REPORT)
    )
    if page.error:
        return []
    hits = [(hit, s) for hit in page.results if hit.report.pk != section.report_id for s in hit.sections]
    if not hits:
        return []
    texts = Section.objects.filter(pk__in=[s.id for _, s in hits]).only("heading", "text").in_bulk()
    source = _vector(source_text, idf)
    out: list[SimilarSection] = []
    for hit, s in hits:
        row = texts.get(s.id)
        if row is None:
            continue
        score = _cosine(source, _vector(f"{row.heading}\n{row.text}", idf))
        if score < MIN_SCORE:
            continue
        report = hit.report
        out.append(
            SimilarSection(
                section_id=s.id,
                report_id=report.pk,
                report_title=report.title,
                report_year=report.year,
                jurisdiction=report.jurisdiction_name,
                path=s.path,
                heading=s.heading,
                url=s.url,
                snippet_html=s.snippet_html,
                score=round(score, 3),
            )
        )
    out.sort(key=lambda r: (-r.score, r.report_id, r.path))
    return out[:limit]
