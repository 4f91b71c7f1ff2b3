"""Shaping reports for display: the section tree and the reader's choices (script, terms)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reports.models import Report, Section
from reports.script import to_simplified

# The reader's ?hl= words are read with the search query syntax (search/querysyntax.py), one
# floor up: search/apps.py registers that parser here at start-up, so reports/ never imports
# search/.  Without it the terms are the words between spaces.
_term_parser: Callable[[str], list[str]] | None = None


def register_term_parser(parser: Callable[[str], list[str]]) -> None:
    global _term_parser
    _term_parser = parser


def reader_terms(highlight: str) -> list[str]:
    if not highlight.strip():
        return []
    if _term_parser is not None:
        return _term_parser(highlight)
    return highlight.split()


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
        return cls(simplified=simplified, highlight=highlight, terms=reader_terms(highlight))


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
    """The section and everything below it, in document order.

    The tree is walked on ids; only the subtree's rows are read whole (a section page of a
    20,000-section report read every section's text)."""
    keep, last = {section.pk}, section.order
    later = report.sections.filter(order__gt=section.order).order_by("order")
    for pk, parent_id, order in later.values_list("pk", "parent_id", "order").iterator(chunk_size=5000):
        if parent_id in keep:
            keep.add(pk)
            last = order
    if last == section.order:
        return [section]
    # A subtree is contiguous in document order: the range holds it and (almost) nothing else.
    span = report.sections.filter(order__gte=section.order, order__lte=last).order_by("order")
    return [s for s in span if s.pk in keep]
