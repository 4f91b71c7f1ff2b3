"""haystack index of the archive: one document per report.

A report's document holds its title and all its sections as one analysed ``text`` field,
plus untokenised filter/facet/sort columns (year, kind, body kind, province, level, region path) and a
stored *section map* (section id -> its first character offset in ``text``) that lets the engine
find a report's matching sections from the same postings (see ``search/backends.py``).

Each character is analysed once: sections are segmented one by one and their token streams
concatenated, with a gap between sections so that a phrase never spans two of them.
"""

from __future__ import annotations

from haystack import indexes

from reports.models import Report
from search.analysis import archive_analyzer, index_terms

# Character offsets left empty between the title and sections, so a phrase cannot straddle them.
SECTION_GAP = 8


def region_columns(region) -> dict:
    """Province name, level and tree path of a report's region ('' / 0 when unknown)."""
    if region is None:
        return {"province": "", "level": 0, "tree_path": ""}
    province = region.at_level(1)
    return {
        "province": province.name if province else "",
        "level": int(region.level or 0),
        "tree_path": region.tree_path or "",
    }


def updated_stamp(report: Report) -> str:
    """What check_index compares with the database to find stale documents."""
    return report.updated_at.isoformat() if report.updated_at else ""


def analysed_text(report: Report):
    """(text, tokens, section_map) of a report: title, then every section in order."""
    from search.backends import Analyzed

    sections = list(report.sections.all())
    sections.sort(key=lambda s: s.order)
    postings: dict[str, list[int]] = {}
    parts: list[str] = []
    section_map: list[tuple[int, int]] = []
    next_pos = 0

    def add(text: str) -> None:
        nonlocal next_pos
        if not text:
            return
        parts.append(text)
        # Token positions are character offsets (search/analysis.py), so the next part
        # starts after this one's characters.
        for term, offset in index_terms(text):
            positions = postings.get(term)
            if positions is None:
                postings[term] = [next_pos + offset]
            else:
                positions.append(next_pos + offset)
        next_pos += len(text)

    add(report.title)
    next_pos += SECTION_GAP
    if sections:
        for section in sections:
            section_map.append((section.pk, next_pos))
            add(section.heading)
            add(section.text)
            next_pos += SECTION_GAP
    else:
        add(report.original_text)
    return Analyzed("\n".join(parts), postings), section_map


class ReportIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, stored=False, analyzer=archive_analyzer())
    report_id = indexes.IntegerField(model_attr="pk")
    year = indexes.IntegerField(default=0)
    level = indexes.IntegerField(default=0)
    kind = indexes.CharField(model_attr="kind")
    # "gov" or "dept": a government's own report or one of its departments' (facet and filter).
    body_kind = indexes.CharField(default="gov")
    province = indexes.CharField(default="")
    tree_path = indexes.CharField(default="")
    sort_title = indexes.CharField(model_attr="title", stored=False)
    updated = indexes.CharField(default="")
    # Display/navigation only: never searched.
    section_map = indexes.CharField(indexed=False, default="")

    def get_model(self):
        return Report

    def index_queryset(self, using=None):
        return Report.objects.with_region().prefetch_related("sections")

    # Small prepare_<field> methods: used by haystack's own full_prepare (health checks etc.).
    def prepare_text(self, obj):
        return analysed_text(obj)[0]

    def prepare_year(self, obj):
        return obj.year or 0

    def prepare_body_kind(self, obj):
        return obj.body_kind or "gov"

    def prepare_level(self, obj):
        return region_columns(obj.region)["level"]

    def prepare_province(self, obj):
        return region_columns(obj.region)["province"]

    def prepare_tree_path(self, obj):
        return region_columns(obj.region)["tree_path"]

    def prepare_updated(self, obj):
        return updated_stamp(obj)

    def prepare_document(self, obj) -> dict:
        """The whole Whoosh document for one report, analysing its text exactly once."""
        from haystack.constants import DJANGO_CT, DJANGO_ID, ID
        from haystack.utils import get_identifier, get_model_ct

        text, section_map = analysed_text(obj)
        doc = {
            ID: get_identifier(obj),
            DJANGO_CT: get_model_ct(Report),
            DJANGO_ID: str(obj.pk),
            "text": text,
            "report_id": obj.pk,
            "year": obj.year or 0,
            "kind": obj.kind or "",
            "body_kind": obj.body_kind or "gov",
            "sort_title": obj.title or "",
            "updated": updated_stamp(obj),
            "section_map": section_map,
        }
        doc.update(region_columns(obj.region))
        return doc
