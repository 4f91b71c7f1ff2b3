"""What region a reader means by what they typed: 保定, 河北, 河北省保定市, 河北省>保定市, 130600.

Plain module over the Region table (no HTTP): the search page, the report list, the API filter
and the typeahead endpoint all call ``lookup_region`` / ``suggest_regions``.

Accepted, in this order:
  * a number: a division code (130600, 130600000000) or a region id;
  * a path with separators (河北省>保定市, 河北/保定, 河北 保定): each part is matched below
    the previous one, at any depth, by full name, short name or prefix;
  * a path without separators (河北省保定市, 河北保定): walked down the tree from any region
    whose name or short name starts the text;
  * one name: exact full name, then short name / prefix (保定 → 保定市, 河北 → 河北省);
    the national root also answers to 中央, 国家, 全国 and 国家级.
Traditional script is read as simplified (保定市 = 保定市, 蘇州 = 苏州).

Several fitting regions are never silently narrowed to one: ``candidates`` holds them and the
page offers a choice.  One exception keeps the common case quiet: when a single shallowest
match contains all the others (苏州 → 苏州市 and 苏州工业园区 under it) that region is meant.
Levels are handled generically, the national root (level 0) included.

Work is bounded: one query reads the region table's few columns (regions exist only where the
archive holds reports: hundreds to a few thousand rows), then everything is dictionary work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reports.models import Region

MAX_INPUT = 100
MAX_CANDIDATES = 12
# What readers call the national level (its region is named 国务院).
_NATIONAL_ALIASES = frozenset({"中央", "国家", "全国", "国家级", "中华人民共和国", "中国", "国务院"})

# Separators people put between the parts of a path.
_SEPARATORS = re.compile(r"[>＞/／\\|｜·•›»→\-—,，、;；\s]+")
# Longest first: "壮族自治区" before "自治区" before "区".
_SUFFIXES = sorted(
    [
        "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县",
        "自治旗", "地区", "街道", "新区", "省", "市", "区", "县", "旗", "盟", "州", "镇", "乡",
    ],
    key=len,
    reverse=True,
)


@dataclass(frozen=True, slots=True)
class _Node:
    pk: int
    name: str
    short: str
    parent_id: int | None
    level: int
    code: str
    tree_path: str


@dataclass
class RegionLookup:
    """The outcome of reading one region input."""

    query: str
    region: Region | None = None
    candidates: list[Region] = field(default_factory=list)

    @property
    def given(self) -> bool:
        return bool(self.query)

    @property
    def ambiguous(self) -> bool:
        return self.region is None and len(self.candidates) > 1

    @property
    def not_found(self) -> bool:
        return self.given and self.region is None and not self.candidates

    @property
    def message(self) -> str:
        """A Chinese sentence for the page; '' when the input was understood."""
        shown = self.query[:20]
        if self.ambiguous:
            return f"地区“{shown}”对应多个地区，请在下面选择一个（当前未按地区筛选）。"
        if self.not_found:
            return f"本库没有与“{shown}”相符的地区，当前未按地区筛选。可以输入省、市、县名称的开头，如“保定”“河北”。"
        return ""


def short_name(name: str) -> str:
    """河北省 → 河北, 广西壮族自治区 → 广西, 保定市 → 保定; names of two characters stay whole."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _simplified(text: str) -> str:
    from reports.gazetteer import to_simplified

    return to_simplified(text)


class _Tree:
    """The region table as plain nodes, with look-ups by name, short name, code and parent."""

    def __init__(self, rows):
        self.nodes: dict[int, _Node] = {}
        self.children: dict[int | None, list[_Node]] = {}
        for pk, name, parent_id, level, code, tree_path in rows:
            node = _Node(pk, name, short_name(name), parent_id, int(level), code or "", tree_path or "")
            self.nodes[pk] = node
            self.children.setdefault(parent_id, []).append(node)

    @classmethod
    def load(cls) -> _Tree:
        return cls(Region.objects.values_list("pk", "name", "parent_id", "level", "code", "tree_path"))

    def within(self, scope: _Node | None) -> list[_Node]:
        """Every node below ``scope`` (all nodes when None), shallowest first."""
        if scope is None:
            return sorted(self.nodes.values(), key=lambda n: (n.level, n.tree_path))
        return sorted(
            (n for n in self.nodes.values() if n.tree_path.startswith(scope.tree_path) and n.pk != scope.pk),
            key=lambda n: (n.level, n.tree_path),
        )

    def by_code(self, digits: str) -> list[_Node]:
        padded = digits.ljust(12, "0") if len(digits) in (6, 9) else digits
        return [n for n in self.nodes.values() if n.code and n.code.ljust(12, "0") == padded]


def _name_match(nodes: list[_Node], part: str) -> list[_Node]:
    """Exact full name, else exact short name, else name prefix; shallowest kept first."""
    for test in (
        lambda n: n.name == part,
        lambda n: n.short == part,
        lambda n: n.name.startswith(part),
    ):
        found = [n for n in nodes if test(n)]
        if found:
            return found
    return []


def _walk(tree: _Tree, text: str) -> list[_Node]:
    """Regions whose chain of names (full or short) spells ``text`` from some region down."""
    results: list[_Node] = []

    def descend(node: _Node, rest: str) -> None:
        if not rest:
            results.append(node)
            return
        for child in tree.children.get(node.pk, []):
            for spelled in {child.name, child.short}:
                if rest.startswith(spelled):
                    descend(child, rest[len(spelled):])

    for node in tree.nodes.values():
        for spelled in {node.name, node.short}:
            if text.startswith(spelled) and len(spelled) < len(text):
                descend(node, text[len(spelled):])
    return results


def _settle(query: str, found: list[_Node], tree: _Tree) -> RegionLookup:
    unique = sorted({n.pk: n for n in found}.values(), key=lambda n: (n.level, n.tree_path))
    if not unique:
        return RegionLookup(query=query)
    top = unique[0]
    if len(unique) == 1 or (
        all(n.tree_path.startswith(top.tree_path) for n in unique[1:])
        and sum(1 for n in unique if n.level == top.level) == 1
    ):
        return RegionLookup(query=query, region=Region.objects.with_ancestors().get(pk=top.pk))
    wanted = [n.pk for n in unique[:MAX_CANDIDATES]]
    regions = Region.objects.with_ancestors().in_bulk(wanted)
    return RegionLookup(query=query, candidates=[regions[pk] for pk in wanted if pk in regions])


def lookup_region(value: str | int | None) -> RegionLookup:
    """Read one region input (see the module docstring); never raises on any text."""
    query = str(value if value is not None else "").strip()[:MAX_INPUT]
    if not query:
        return RegionLookup(query="")
    tree = _Tree.load()
    if query.isdigit():
        found = tree.by_code(query) if len(query) in (6, 9, 12) else []
        if not found and int(query) in tree.nodes:
            found = [tree.nodes[int(query)]]
        return _settle(query, found, tree)
    text = _simplified(query)
    parts = [p for p in _SEPARATORS.split(text) if p]
    if not parts:
        return RegionLookup(query=query)
    if len(parts) > 1:
        return _settle(query, _path_match(tree, parts), tree)
    part = parts[0]
    if part in _NATIONAL_ALIASES:
        national = [n for n in tree.nodes.values() if n.level == 0 and n.parent_id is None]
        if national:
            return _settle(query, national, tree)
    exact = [n for n in tree.nodes.values() if n.name == part]
    if exact:
        return _settle(query, exact, tree)
    walked = _walk(tree, part)
    if walked:
        return _settle(query, walked, tree)
    return _settle(query, _name_match(tree.within(None), part), tree)


def _path_match(tree: _Tree, parts: list[str]) -> list[_Node]:
    """河北 > 保定 > 涞源: each part below a match of the part before it (levels may be skipped)."""
    scopes: list[_Node | None] = [None]
    for part in parts:
        nxt: list[_Node] = []
        for scope in scopes:
            nxt.extend(_name_match(tree.within(scope), part))
        if not nxt:
            return []
        scopes = list({n.pk: n for n in nxt}.values())[:MAX_CANDIDATES]
    return [s for s in scopes if s is not None]


def suggest_regions(prefix: str, limit: int = 10) -> list[Region]:
    """Regions for a typeahead: names (full or short) starting with ``prefix``, then names
    containing it; shallowest first; at most ``limit``."""
    text = _simplified(str(prefix or "").strip()[:MAX_INPUT])
    limit = max(1, min(int(limit), 20))
    if not text:
        return []
    tree = _Tree.load()
    looked_up = lookup_region(text)
    ordered = sorted(tree.nodes.values(), key=lambda n: (n.level, n.tree_path))
    picked: dict[int, None] = {}
    if looked_up.region is not None:
        picked[looked_up.region.pk] = None
    for region in looked_up.candidates:
        picked[region.pk] = None
    for test in (lambda n: n.name.startswith(text) or n.short.startswith(text), lambda n: text in n.name):
        for node in ordered:
            if len(picked) >= limit:
                break
            if test(node):
                picked[node.pk] = None
    regions = Region.objects.with_ancestors().in_bulk(list(picked))
    return [regions[pk] for pk in list(picked)[:limit] if pk in regions]
