"""User query syntax -> AST.  Pure Python; never raises on any input.

Syntax
    词1 词2            both (AND); ``AND`` between words is accepted too
    词1 OR 词2         either; also ``|`` and ``或``
    -词 / NOT 词       exclude
    词1，词2 / 词1、词2 list punctuation separates words like a space (AND), as people type
                       lists in Chinese; a comma between digits (1,000) stays inside the word
    "短语" “短语” 「短语」 『短语』   exact phrase
    ( … )              grouping

Robustness: control characters become spaces, full-width ASCII is read as
ASCII, wildcards ``*``/``?`` separate words (warning), unpaired quotes and
parentheses are ignored (warning), dangling operators are ignored, input
longer than ``max_length`` is truncated (warning), words and phrases past the
``max_terms``-th are dropped (warning: each one is a posting list to read and text to mark,
so 80 OR'd common characters cost seconds per request), a query with nothing
searchable is ``empty``, and a query made only of exclusions is ``empty``
with a warning.  HTML is kept as literal text (escaping is the view's job).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Union

__all__ = ["Term", "Not", "And", "Or", "Node", "ParsedQuery", "parse_query", "positive_leaves"]

W_TOO_LONG = "查询过长，已截断"
W_QUOTES = "引号不成对，已按普通词处理"
W_PARENS = "括号不成对，已忽略"
W_WILDCARD = "不支持通配符，已忽略 * 和 ?"
W_OPERATOR = "运算符位置不当，已忽略"
W_ONLY_NOT = "查询不能只包含排除条件，请至少输入一个要查找的词"
W_OR_NOT = "“或”的每一项都需要包含要查找的词，已忽略只有排除条件的项"
W_TOO_MANY = "查询词过多（最多 {limit} 个），已只使用前 {limit} 个"

# Words and phrases one query may hold (search, exports, compare ?q=, the reader's ?hl=).
MAX_TERMS = 10


@dataclass
class Term:
    text: str
    phrase: bool = False


@dataclass
class Not:
    node: "Node"


@dataclass
class And:
    nodes: list["Node"]


@dataclass
class Or:
    nodes: list["Node"]


Node = Union[Term, Not, And, Or]


@dataclass
class ParsedQuery:
    node: Node | None
    terms: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    empty: bool = True


_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}
_CLOSERS = frozenset("”」』")
_QUOTE_CHARS = frozenset(_QUOTES) | _CLOSERS
_OR_WORDS = {"OR", "或", "|", "||"}
_AND_WORDS = {"AND", "&&", "和"}
_NOT_WORDS = {"NOT"}
# Clause punctuation trimmed from the ends of an unquoted word ("行政复议，").
_TRIM = ",.;:!?。，、；：？！…—·'\"‘’“”「」『』《》〈〉【】〔〕"


def _norm_table() -> dict[int, str]:
    table = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    table[0x3000] = " "
    return table


_NORM = _norm_table()


def _normalize(raw: str) -> str:
    out = []
    for ch in raw.translate(_NORM):
        cat = unicodedata.category(ch)
        if cat == "Cc" or cat == "Zl" or cat == "Zp":
            out.append(" ")
        elif cat in ("Cf", "Cs", "Co", "Cn") and not ch.isspace():
            out.append(" ")  # zero-width, surrogates, private use, unassigned
        else:
            out.append(ch)
    return "".join(out)


def _searchable(text: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


# List punctuation that separates words like whitespace (after _NORM, ，→ , and ；→ ;).
_SEPARATORS = frozenset("、,;")


def _separates(text: str, i: int) -> bool:
    """Is text[i] list punctuation between words (not the comma inside 1,000)?"""
    ch = text[i]
    if ch not in _SEPARATORS:
        return False
    if ch == "、":
        return True
    return not (0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit())


# Lexer tokens: ("word", text) ("phrase", text) ("(",) (")",) ("or",) ("and",) ("not",)


def _lex(text: str, warnings: list[str]) -> list[tuple]:
    toks: list[tuple] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace() or _separates(text, i):
            i += 1
            continue
        if ch in _QUOTE_CHARS:
            j = text.find(_QUOTES[ch], i + 1) if ch in _QUOTES else -1
            if j == -1:
                if W_QUOTES not in warnings:
                    warnings.append(W_QUOTES)
                i += 1
                continue
            toks.append(("phrase", text[i + 1 : j]))
            i = j + 1
            continue
        if ch == "(":
            toks.append(("(",))
            i += 1
            continue
        if ch == ")":
            toks.append((")",))
            i += 1
            continue
        if ch == "|":
            while i < n and text[i] == "|":
                i += 1
            toks.append(("or",))
            continue
        if ch == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] != "-":
            toks.append(("not",))
            i += 1
            continue
        # a word: up to whitespace, a quote, '|', or a parenthesis at its end
        j = i
        depth = 0
        while j < n:
            c = text[j]
            if c.isspace() or c in _QUOTE_CHARS or c == "|" or _separates(text, j):
                break
            if c == "(":
                if j == i:
                    break
                depth += 1  # literal parenthesis inside a word: alert(1)
            elif c == ")":
                if depth > 0:
                    depth -= 1
                else:
                    break
            j += 1
        if j == i:  # cannot happen, but never loop forever
            j = i + 1
        word = text[i:j]
        i = j
        if word in _OR_WORDS:
            toks.append(("or",))
        elif word in _AND_WORDS:
            toks.append(("and",))
        elif word in _NOT_WORDS:
            toks.append(("not",))
        else:
            toks.append(("word", word))
    return toks


def _balance(toks: list[tuple], warnings: list[str]) -> list[tuple]:
    stack: list[int] = []
    drop: set[int] = set()
    for k, t in enumerate(toks):
        if t[0] == "(":
            stack.append(k)
        elif t[0] == ")":
            if stack:
                stack.pop()
            else:
                drop.add(k)
    drop.update(stack)
    if drop:
        warnings.append(W_PARENS)
    return [t for k, t in enumerate(toks) if k not in drop]


class _Parser:
    def __init__(self, toks: list[tuple], warnings: list[str]):
        self.toks = toks
        self.i = 0
        self.warnings = warnings

    def warn(self, msg: str) -> None:
        if msg not in self.warnings:
            self.warnings.append(msg)

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else None

    def parse(self) -> Node | None:
        nodes = []
        while self.peek() is not None:
            node = self.or_expr()
            if node is not None:
                nodes.append(node)
            elif self.peek() is not None and self.peek()[0] in (")",):
                self.i += 1  # cannot happen after balancing
        return _mk_and(nodes)

    def or_expr(self) -> Node | None:
        branches = []
        first = self.and_expr()
        if first is not None:
            branches.append(first)
        while self.peek() is not None and self.peek()[0] == "or":
            self.i += 1
            nxt = self.and_expr()
            if nxt is None or not branches:
                self.warn(W_OPERATOR)
            if nxt is not None:
                branches.append(nxt)
        if not branches:
            return None
        if len(branches) == 1:
            return branches[0]
        return Or(branches)

    def and_expr(self) -> Node | None:
        nodes = []
        while True:
            t = self.peek()
            if t is None or t[0] in ("or", ")"):
                break
            if t[0] == "and":
                self.i += 1
                if not nodes:
                    self.warn(W_OPERATOR)
                nt = self.peek()
                if nt is None or nt[0] in ("or", ")", "and"):
                    self.warn(W_OPERATOR)
                continue
            node = self.unary()
            if node is not None:
                nodes.append(node)
        return _mk_and(nodes)

    def unary(self) -> Node | None:
        t = self.peek()
        if t[0] == "not":
            self.i += 1
            nt = self.peek()
            if nt is None or nt[0] in ("or", ")", "and"):
                self.warn(W_OPERATOR)
                return None
            inner = self.unary()
            if inner is None:
                return None
            if isinstance(inner, Not):  # NOT NOT x == x
                return inner.node
            return Not(inner)
        return self.primary()

    def primary(self) -> Node | None:
        t = self.peek()
        self.i += 1
        kind = t[0]
        if kind == "(":
            inner = self.or_expr_until_close()
            return inner
        if kind == "phrase":
            text = " ".join(t[1].split())
            return Term(text, True) if _searchable(text) else None
        if kind == "word":
            text = t[1].strip(_TRIM)
            if text.endswith("(") or text.startswith(")"):
                text = text.rstrip("(").lstrip(")")
                self.warn(W_PARENS)
            return Term(text, False) if _searchable(text) else None
        return None

    def or_expr_until_close(self) -> Node | None:
        nodes = []
        while self.peek() is not None and self.peek()[0] != ")":
            node = self.or_expr()
            if node is not None:
                nodes.append(node)
        if self.peek() is not None:
            self.i += 1  # ')'
        return _mk_and(nodes)


def _mk_and(nodes: list[Node]) -> Node | None:
    flat: list[Node] = []
    for node in nodes:
        if isinstance(node, And):
            flat.extend(node.nodes)
        else:
            flat.append(node)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else And(flat)


def _has_positive(node: Node) -> bool:
    if isinstance(node, Term):
        return True
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(_has_positive(n) for n in node.nodes)
    return all(_has_positive(n) for n in node.nodes)


def _prune_or(node: Node, warnings: list[str]) -> Node | None:
    """Drop OR branches that only exclude (they would match nearly everything)."""
    if isinstance(node, Term):
        return node
    if isinstance(node, Not):
        inner = _prune_or(node.node, warnings)
        return Not(inner) if inner is not None else None
    kids = [k for k in (_prune_or(n, warnings) for n in node.nodes) if k is not None]
    if isinstance(node, Or):
        kept = [k for k in kids if _has_positive(k)]
        if len(kept) < len(kids) and kept:
            if W_OR_NOT not in warnings:
                warnings.append(W_OR_NOT)
            kids = kept
        if not kids:
            return None
        return kids[0] if len(kids) == 1 else Or(kids)
    return _mk_and(kids)


def _positive_terms(node: Node | None, out: list[str]) -> None:
    if node is None or isinstance(node, Not):
        return
    if isinstance(node, Term):
        if node.text not in out:
            out.append(node.text)
        return
    for n in node.nodes:
        _positive_terms(n, out)


def _cap_terms(toks: list[tuple], limit: int, warnings: list[str]) -> list[tuple]:
    """The tokens up to the ``limit``-th word or phrase; operators left dangling go too."""
    seen = 0
    for k, t in enumerate(toks):
        if t[0] in ("word", "phrase"):
            seen += 1
            if seen > limit:
                warnings.append(W_TOO_MANY.format(limit=limit))
                kept = toks[:k]
                while kept and kept[-1][0] in ("or", "and", "not", "("):
                    kept.pop()
                return _balance(kept, [])
    return toks


def parse_query(raw: str, *, max_length: int = 500, max_terms: int | None = MAX_TERMS) -> ParsedQuery:
    """Parse a user query; never raises.  See the module docstring for the syntax."""
    warnings: list[str] = []
    try:
        if raw is None:
            raw = ""
        if not isinstance(raw, str):
            raw = str(raw)
        text = _normalize(raw)
        if max_length is not None and max_length >= 0 and len(text) > max_length:
            text = text[:max_length]
            warnings.append(W_TOO_LONG)
        if "*" in text or "?" in text:
            warnings.append(W_WILDCARD)
            text = text.replace("*", " ").replace("?", " ")
        toks = _balance(_lex(text, warnings), warnings)
        if max_terms is not None and max_terms >= 0:
            toks = _cap_terms(toks, max_terms, warnings)
        node = _Parser(toks, warnings).parse()
        if node is not None:
            node = _prune_or(node, warnings)
        if node is not None and not _has_positive(node):
            warnings.append(W_ONLY_NOT)
            node = None
        terms: list[str] = []
        _positive_terms(node, terms)
        return ParsedQuery(node=node, terms=terms, warnings=warnings, empty=node is None)
    except Exception:  # pragma: no cover - the contract is "never raises"
        return ParsedQuery(node=None, terms=[], warnings=warnings, empty=True)


def positive_leaves(node) -> list[str]:
    """Texts of the words/phrases that must or may match (not under a NOT): what to highlight."""
    out: list[str] = []

    def walk(n, negated=False):
        if isinstance(n, Term):
            if not negated:
                out.append(n.text)
        elif isinstance(n, Not):
            walk(n.node, not negated)
        elif isinstance(n, (And, Or)):
            for child in n.nodes:
                walk(child, negated)

    if node is not None:
        walk(node)
    return out
