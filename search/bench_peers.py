"""Peers for ``make bench``: the same reports and queries in other engines, and the truth.

* ``Truth``: brute force over the folded text (title and sections, whitespace removed): a
  word matches a report whose folded text contains it; AND / OR / NOT as
  ``search.querysyntax`` parsed them, filters applied.  Every engine's answer is checked
  against it (precision / recall).
* ``Fts5Peer``: SQLite FTS5 with its trigram tokenizer (standard library).  Words of three
  characters or more are trigram phrase matches; shorter ones can only be ``LIKE`` scans
  (FTS5 trigram indexes nothing shorter).
* ``TantivyPeer``: tantivy (Rust) over character bigrams, when the optional ``bench`` extra
  is installed: a word is the phrase of its bigrams.

All of them index what our engine indexes: each report's title and its sections, folded
(``reports.folding.fold``: simplified, narrow, lower case), with whitespace removed (our
engine ignores it too).  The replicated bench corpus repeats 177 texts, so each distinct text
is folded (and its bigrams built) once.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass

from reports.folding import fold

# Between the title and the body, and between sections: no query word contains it, so no
# match spans two parts (our engine leaves a gap of positions there).
SEP = "|"


@dataclass
class PeerDoc:
    report_id: int
    year: int
    kind: str
    tree_path: str
    title: str  # folded, whitespace removed
    body: str  # folded sections, whitespace removed, joined by SEP; shared by replicas


def squeeze(text: str) -> str:
    """Folded, whitespace removed: what a word must be a substring of."""
    return "".join(fold(text or "").split())


def load_docs() -> list[PeerDoc]:
    """Every report of the database as the peers index it (one SQL pass, no ORM objects)."""
    from django.db import connection

    from reports.models import Region, Report, Section

    paths = dict(Region.objects.values_list("pk", "tree_path"))
    meta = {
        pk: (year or 0, kind or "", paths.get(region_id, "") or "", title or "")
        for pk, year, kind, region_id, title in Report.objects.values_list("pk", "year", "kind", "region_id", "title")
    }
    folded_bodies: dict[str, str] = {}
    bodies: dict[int, str] = {}
    table = Section._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT report_id, heading, text FROM {table} ORDER BY report_id, "order"')
        current, parts = None, []

        def flush():
            if current is None:
                return
            raw = SEP.join(parts)
            folded = folded_bodies.get(raw)
            if folded is None:
                folded = folded_bodies[raw] = SEP.join(squeeze(p) for p in parts)
            bodies[current] = folded

        for report_id, heading, text in cursor:
            if report_id != current:
                flush()
                current, parts = report_id, []
            parts.append((heading or "") + (text or ""))
        flush()
    return [
        PeerDoc(pk, year, kind, path, squeeze(title), bodies.get(pk, ""))
        for pk, (year, kind, path, title) in sorted(meta.items())
    ]


def _allowed(doc: PeerDoc, filters: dict) -> bool:
    if filters.get("year") is not None and doc.year != filters["year"]:
        return False
    if filters.get("year_from") is not None and doc.year < filters["year_from"]:
        return False
    if filters.get("year_to") is not None and doc.year > filters["year_to"]:
        return False
    if filters.get("kind") and doc.kind != filters["kind"]:
        return False
    if filters.get("tree_path") and not doc.tree_path.startswith(filters["tree_path"]):
        return False
    return True


def _kind(node) -> str:
    return type(node).__name__


class Truth:
    """Brute-force answers: substring tests over the folded text, set algebra over reports."""

    name = "brute-force truth"

    def __init__(self, docs: list[PeerDoc]):
        self.docs = docs
        self._has: dict[tuple[int, str], bool] = {}

    def _term(self, word: str, universe: list[PeerDoc]) -> set[int]:
        word = squeeze(word)
        if not word:
            return set()
        out = set()
        has = self._has
        for d in universe:
            key = (id(d.body), word)
            found = has.get(key)
            if found is None:
                found = has[key] = word in d.body
            if found or word in d.title:
                out.add(d.report_id)
        return out

    def _eval(self, node, universe: list[PeerDoc], every: set[int]) -> set[int]:
        kind = _kind(node)
        if kind == "Term":
            return self._term(node.text, universe)
        if kind == "Not":
            return every - self._eval(node.node, universe, every)
        positive = [n for n in node.nodes if _kind(n) != "Not"]
        negative = [n.node for n in node.nodes if _kind(n) == "Not"]
        if kind == "Or":
            out: set[int] = set()
            for child in positive or node.nodes:
                out |= self._eval(child, universe, every)
            return out
        out = None
        for child in positive:
            found = self._eval(child, universe, every)
            out = found if out is None else out & found
        if out is None:
            out = set(every)
        for child in negative:
            out -= self._eval(child, universe, every)
        return out

    def answer(self, node, filters: dict) -> set[int]:
        universe = [d for d in self.docs if _allowed(d, filters)]
        every = {d.report_id for d in universe}
        if node is None:
            return every
        return self._eval(node, universe, every) & every


# ---------------------------------------------------------------------------
# SQLite FTS5 (trigram)
# ---------------------------------------------------------------------------


def _fts_string(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _like_pattern(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class Fts5Peer:
    name = "SQLite FTS5 trigram"

    def __init__(self, path: str):
        self.path = path
        self.con: sqlite3.Connection | None = None

    def build(self, docs: list[PeerDoc]) -> None:
        if os.path.exists(self.path):
            os.remove(self.path)
        con = sqlite3.connect(self.path)
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute("CREATE VIRTUAL TABLE doc USING fts5(text, tokenize='trigram')")
        con.execute("CREATE TABLE meta(id INTEGER PRIMARY KEY, year INT, kind TEXT, tree_path TEXT)")
        con.execute("CREATE INDEX meta_year ON meta(year)")
        batch = 2000
        for start in range(0, len(docs), batch):
            chunk = docs[start : start + batch]
            con.executemany(
                "INSERT INTO doc(rowid, text) VALUES (?, ?)", ((d.report_id, d.title + SEP + d.body) for d in chunk)
            )
            con.executemany(
                "INSERT INTO meta VALUES (?, ?, ?, ?)", ((d.report_id, d.year, d.kind, d.tree_path) for d in chunk)
            )
            con.commit()
        con.execute("INSERT INTO doc(doc) VALUES ('optimize')")
        con.commit()
        con.close()
        self.open()

    def open(self) -> None:
        self.con = sqlite3.connect(self.path, check_same_thread=False)

    def _sql(self, node, args: list) -> str:
        kind = _kind(node)
        if kind == "Term":
            word = squeeze(node.text)
            if len(word) >= 3:
                args.append(_fts_string(word))
                return "SELECT rowid AS id FROM doc WHERE doc MATCH ?"
            args.append(_like_pattern(word))
            return "SELECT rowid AS id FROM doc WHERE text LIKE ? ESCAPE '\\'"
        if kind == "Not":
            return f"SELECT id FROM meta EXCEPT SELECT id FROM ({self._sql(node.node, args)})"
        positive = [n for n in node.nodes if _kind(n) != "Not"]
        negative = [n.node for n in node.nodes if _kind(n) == "Not"]
        if kind == "Or":
            parts = [f"SELECT id FROM ({self._sql(c, args)})" for c in positive or node.nodes]
            return " UNION ".join(parts)
        parts = [f"SELECT id FROM ({self._sql(c, args)})" for c in positive] or ["SELECT id FROM meta"]
        sql = " INTERSECT ".join(parts)
        for child in negative:
            sql = f"SELECT id FROM ({sql}) EXCEPT SELECT id FROM ({self._sql(child, args)})"
        return sql

    def search(self, node, filters: dict) -> tuple[int, list[int], set[int]]:
        """(count, top 10 by bm25 (or newest first), every matching id); year facet counted."""
        args: list = []
        where, fargs = [], []
        for col, op, key in (("year", "=", "year"), ("year", ">=", "year_from"), ("year", "<=", "year_to")):
            if filters.get(key) is not None:
                where.append(f"year {op} ?")
                fargs.append(filters[key])
        if filters.get("kind"):
            where.append("kind = ?")
            fargs.append(filters["kind"])
        if filters.get("tree_path"):
            where.append("tree_path >= ? AND tree_path < ?")
            fargs += [filters["tree_path"], filters["tree_path"] + "\U0010ffff"]
        sql = "SELECT id, year FROM meta"
        if where:
            sql += " WHERE " + " AND ".join(where)
        if node is not None:
            sql += (" AND " if where else " WHERE ") + f"id IN ({self._sql(node, args)})"
        rows = self.con.execute(sql, fargs + args).fetchall()
        years: dict[int, int] = {}
        for _, y in rows:
            years[y] = years.get(y, 0) + 1
        ids = {rid for rid, _ in rows}
        words = [squeeze(w) for w in _positive_words(node)]
        words = [w for w in words if len(w) >= 3]
        if words and ids:
            match = " OR ".join(_fts_string(w) for w in words)
            ranked = self.con.execute(
                f"SELECT rowid FROM doc WHERE doc MATCH ? AND rowid IN ({sql.replace('SELECT id, year', 'SELECT id')}) "
                "ORDER BY rank LIMIT 10",
                [match, *fargs, *args],
            ).fetchall()
            top = [r for (r,) in ranked]
        else:
            top = [rid for rid, _ in sorted(rows, key=lambda r: -r[1])[:10]]
        return len(ids), top, ids

    def size_bytes(self) -> int:
        return os.path.getsize(self.path)


def _positive_words(node) -> list[str]:
    from search.querysyntax import positive_leaves

    return positive_leaves(node) if node is not None else []


# ---------------------------------------------------------------------------
# tantivy over character bigrams
# ---------------------------------------------------------------------------


def tantivy_available() -> bool:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


def _bigrams(text: str) -> str:
    return " ".join(map(str.__add__, text, text[1:]))


class TantivyPeer:
    name = "tantivy, character bigrams"

    def __init__(self, path: str):
        self.path = path
        self.index = None
        self.schema = None

    def _schema(self):
        import tantivy

        sb = tantivy.SchemaBuilder()
        sb.add_text_field("text", stored=False, tokenizer_name="bigrams", index_option="position")
        sb.add_integer_field("year", fast=True, indexed=True)
        sb.add_text_field("kind", stored=False, tokenizer_name="raw")
        sb.add_text_field("paths", stored=False, tokenizer_name="raw")  # every prefix of the region path
        sb.add_integer_field("rid", stored=True, fast=True)
        return sb.build()

    def _open(self, create: bool):
        import tantivy

        self.schema = self._schema()
        os.makedirs(self.path, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=self.path, reuse=not create)
        # Documents carry space-separated bigrams: the whitespace tokenizer keeps their positions.
        self.index.register_tokenizer("bigrams", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())

    def build(self, docs: list[PeerDoc], threads: int = 2) -> None:
        import shutil

        import tantivy

        shutil.rmtree(self.path, ignore_errors=True)
        self._open(create=True)
        writer = self.index.writer(heap_size=512_000_000, num_threads=threads)
        body_grams: dict[int, str] = {}
        for d in docs:
            grams = body_grams.get(id(d.body))
            if grams is None:
                grams = body_grams[id(d.body)] = _bigrams(SEP + d.body)
            paths = [d.tree_path[:k] for k in range(1, len(d.tree_path) + 1) if d.tree_path[k - 1] == "/"]
            writer.add_document(
                tantivy.Document(
                    text=[_bigrams(d.title + SEP), grams],
                    year=d.year,
                    kind=d.kind,
                    paths=paths or [""],
                    rid=d.report_id,
                )
            )
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()

    def open(self) -> None:
        self._open(create=False)

    def _word(self, word: str):
        import re

        import tantivy

        word = squeeze(word)
        grams = [word[k : k + 2] for k in range(len(word) - 1)]
        if not grams:
            return tantivy.Query.regex_query(self.schema, "text", f"{re.escape(word)}.|.{re.escape(word)}")
        if len(grams) == 1:
            return tantivy.Query.term_query(self.schema, "text", grams[0])
        return tantivy.Query.phrase_query(self.schema, "text", grams)

    def _query(self, node):
        import tantivy

        kind = _kind(node)
        if kind == "Term":
            return self._word(node.text)
        Occur = tantivy.Occur
        if kind == "Not":
            return tantivy.Query.boolean_query(
                [(Occur.Must, tantivy.Query.all_query()), (Occur.MustNot, self._query(node.node))]
            )
        positive = [n for n in node.nodes if _kind(n) != "Not"]
        negative = [n.node for n in node.nodes if _kind(n) == "Not"]
        if kind == "Or":
            return tantivy.Query.boolean_query([(Occur.Should, self._query(c)) for c in positive or node.nodes])
        clauses = [(Occur.Must, self._query(c)) for c in positive] or [(Occur.Must, tantivy.Query.all_query())]
        clauses += [(Occur.MustNot, self._query(c)) for c in negative]
        return tantivy.Query.boolean_query(clauses)

    def _filtered(self, node, filters: dict):
        import tantivy

        Q, Occur = tantivy.Query, tantivy.Occur
        clauses = [(Occur.Must, self._query(node) if node is not None else Q.all_query())]
        if filters.get("year") is not None:
            clauses.append((Occur.Must, Q.term_query(self.schema, "year", filters["year"])))
        if filters.get("year_from") is not None or filters.get("year_to") is not None:
            clauses.append(
                (
                    Occur.Must,
                    Q.range_query(
                        self.schema, "year", tantivy.FieldType.Integer, filters.get("year_from"), filters.get("year_to")
                    ),
                )
            )
        if filters.get("kind"):
            clauses.append((Occur.Must, Q.term_query(self.schema, "kind", filters["kind"])))
        if filters.get("tree_path"):
            clauses.append((Occur.Must, Q.term_query(self.schema, "paths", filters["tree_path"])))
        return Q.boolean_query(clauses) if len(clauses) > 1 else clauses[0][1]

    def search(self, node, filters: dict) -> tuple[int, list[int], set[int] | None]:
        """(count, top 10 by BM25, None); the year facet is a terms aggregation."""
        searcher = self.index.searcher()
        query = self._filtered(node, filters)
        result = searcher.search(query, limit=10)
        searcher.aggregate(query, {"year": {"terms": {"field": "year", "size": 100}}})
        top = [searcher.doc(addr)["rid"][0] for _, addr in result.hits]
        return result.count, top, None

    def all_ids(self, node, filters: dict) -> set[int]:
        searcher = self.index.searcher()
        query = self._filtered(node, filters)
        count = searcher.search(query, limit=1).count
        if not count:
            return set()
        hits = searcher.search(query, limit=count).hits
        return {searcher.doc(addr)["rid"][0] for _, addr in hits}

    def size_bytes(self) -> int:
        return sum(e.stat().st_size for e in os.scandir(self.path) if e.is_file())


def timed(fn, *args):
    t = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t, out


def precision_recall(answers: dict, truths: dict) -> tuple[float, float, int]:
    """Micro-averaged precision and recall over the queries, and how many were exact."""
    tp = fp = fn = exact = 0
    for key, found in answers.items():
        truth = truths[key]
        tp += len(found & truth)
        fp += len(found - truth)
        fn += len(truth - found)
        exact += found == truth
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, exact
