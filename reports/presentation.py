"""Shaping reports for display: the section tree and the reader's choices (script, terms)."""

from __future__ import annotations

from dataclasses import dataclass, field

from reports.models import Report, Section
from reports.script import to_simplified


@dataclass
class SectionNode:
    section: Section
    heading: str
    text: str
    children: list["SectionNode"] = field(default_factory=list)


@dataclass
class ReaderOptions:
    """What the reader asked for in the query string: ?script=simplified&hl=行政复议"""

    simplified: bool = False
    highlight: str = ""
    terms: list[str] = field(default_factory=list)

    @classmethod
    def from_querydict(cls, query, report: Report) -> "ReaderOptions":
        simplified = query.get("script") == "simplified" and report.script == "traditional"
        highlight = (query.get("hl") or "")[:200]
        terms: list[str] = []
        if highlight.strip():
            from search.querysyntax import parse_query

            terms = parse_query(highlight).terms
        return cls(simplified=simplified, highlight=highlight, terms=terms)


def section_tree(sections: list[Section], options: ReaderOptions) -> list[SectionNode]:
    """Nest sections (given in document order) under their parents."""
    convert = to_simplified if options.simplified else (lambda s: s)
    nodes: dict[int, SectionNode] = {}
    roots: list[SectionNode] = []
    for section in sections:
        node = SectionNode(section=section, heading=convert(section.heading), text=convert(section.text))
        nodes[section.pk] = node
        parent = nodes.get(section.parent_id) if section.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


def subtree_sections(report: Report, section: Section) -> list[Section]:
    """The section and everything below it, in document order."""
    sections = list(report.sections.all())
    keep = {section.pk}
    result = []
    for candidate in sections:
        if candidate.pk == section.pk or candidate.parent_id in keep:
            keep.add(candidate.pk)
            result.append(candidate)
    return result
