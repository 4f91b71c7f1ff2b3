"""The archive's haystack engine on Elasticsearch 7.17: the scale-out path.

Selected by configuration alone (``SEARCH_URL=elasticsearch://host:9200/fazhi``, see
config/settings.py); needs the optional ``es`` extra (``pip install -e '.[es]'``:
elasticsearch-py 7.17).  It exposes what ``search.service``, ``search.indexing`` and
``check_index`` use from the Whoosh engine (``search/backends.py``): ``search_reports``
(-> ``ReportMatches``), ``matching_sections``, ``indexed_stamps``, ``update``,
``remove_many``, ``clear``, plus ``path`` (a local directory for the writer lock that
``search.indexing.drain`` takes) and ``_ensure``.

Chinese is analysed in Python by ``search.analysis`` exactly as for Whoosh; Elasticsearch
only splits on whitespace and matches exact substrings of the folded text through a
``wildcard`` field.  The mapping, settings, query bodies and the equivalence with the Whoosh
semantics (and its limits) are in ``search/es_query.py``.

Writes: bulk requests with ``refresh=wait_for`` (a search after a write sees it, as on
Whoosh), failures raise (the queue retries), and every document carries an external version
derived from the report's ``updated_at``, so that with several hosts draining the queue an
older state of a report can never overwrite a newer one.
"""

from __future__ import annotations

import logging
import os

from django.conf import settings
from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
    Elasticsearch7SearchQuery,
)
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.utils import get_identifier, get_model_ct

from search import es_query
from search.backends import ReportMatches

log = logging.getLogger(__name__)


def es_document(obj) -> dict:
    """The Elasticsearch document of one report (the text analysed once, as for Whoosh)."""
    from search.search_indexes import region_columns, updated_stamp

    sections = sorted(obj.sections.all(), key=lambda s: s.order)
    fields = es_query.text_fields(
        obj.title or "", [(s.pk, s.heading, s.text) for s in sections], obj.original_text or ""
    )
    doc = {
        ID: get_identifier(obj),
        DJANGO_CT: get_model_ct(obj),
        DJANGO_ID: str(obj.pk),
        **fields,
        "report_id": obj.pk,
        "year": obj.year or 0,
        "kind": obj.kind or "",
        "body_kind": obj.body_kind or "gov",
        "sort_title": obj.title or "",
        "updated": updated_stamp(obj),
    }
    doc.update(region_columns(obj.region))
    return doc


def doc_version(obj) -> int:
    """External version: ``updated_at`` in microseconds (0 when unknown)."""
    stamp = getattr(obj, "updated_at", None)
    return int(stamp.timestamp() * 1_000_000) if stamp else 0


class ArchiveElasticsearchBackend(Elasticsearch7SearchBackend):
    DEFAULT_SETTINGS = {"settings": es_query.INDEX_SETTINGS}

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.silently_fail = False
        # search.indexing.drain serialises the writers of this host with writer_lock(path).
        self.path = str(
            connection_options.get("LOCK_DIR") or os.path.join(settings.ARCHIVE_DATA_DIR, "search-writer")
        )
        self.content_field_name = "text"

    # -- setup ------------------------------------------------------------

    def build_schema(self, fields):
        return "text", dict(es_query.MAPPING["properties"])

    def setup(self):
        from elasticsearch import NotFoundError

        try:
            self.conn.indices.get_mapping(index=self.index_name)
        except NotFoundError:
            # 400: another process created it in the meantime.
            self.conn.indices.create(index=self.index_name, body=es_query.index_body(), ignore=400)
        self.content_field_name = "text"
        self.setup_complete = True

    def _ensure(self):
        if not self.setup_complete:
            self.setup()

    def reset(self):
        self.setup_complete = False

    # -- reading ------------------------------------------------------------

    def search_reports(
        self,
        node,
        *,
        years: tuple[int | None, int | None] = (None, None),
        year: int | None = None,
        kind: str = "",
        tree_path: str = "",
        level: int | None = None,
        sort: str = "relevance",
        start: int = 0,
        stop: int = 20,
        body_kind: str = "",
    ) -> ReportMatches:
        self._ensure()
        body = es_query.search_body(
            node, year=year, years=years, kind=kind, tree_path=tree_path, level=level, sort=sort,
            start=start, stop=stop, body_kind=body_kind,
        )
        resp = self.conn.search(index=self.index_name, body=body)
        hits = [(int(h["_source"]["report_id"]), float(h.get("_score") or 0.0)) for h in resp["hits"]["hits"]]
        total = resp["hits"]["total"]
        count = total["value"] if isinstance(total, dict) else int(total)
        return ReportMatches(count, hits, es_query.facets_from_aggregations(resp.get("aggregations") or {}))

    def matching_sections(self, node, report_ids: list[int], per_report: int = 3) -> dict[int, list[int]]:
        leaves = es_query.positive_leaves(node)
        if not leaves or not report_ids:
            return {}
        self._ensure()
        resp = self.conn.search(index=self.index_name, body=es_query.sections_body(report_ids))
        out: dict[int, list[int]] = {}
        for h in resp["hits"]["hits"]:
            src = h["_source"]
            best = es_query.best_sections(
                src.get("folded") or "", src.get("section_map") or [], leaves, per_report
            )
            if best:
                out[int(src["report_id"])] = best
        return out

    def indexed_stamps(self) -> dict[int, str]:
        from elasticsearch.helpers import scan

        self._ensure()
        return {
            int(h["_source"]["report_id"]): h["_source"].get("updated") or ""
            for h in scan(
                self.conn,
                index=self.index_name,
                query={"query": {"match_all": {}}, "_source": ["report_id", "updated"]},
            )
        }

    # -- writing ------------------------------------------------------------

    def update(self, index, iterable, commit=True):
        """Index (or re-index) reports.  Raises on any failure: the queue retries."""
        from elasticsearch.helpers import bulk

        self._ensure()
        actions = [
            {
                "_op_type": "index",
                "_index": self.index_name,
                "_id": get_identifier(obj),
                "version": doc_version(obj),
                "version_type": "external_gte",
                "_source": es_document(obj),
            }
            for obj in iterable
        ]
        if actions:
            # 409: the index already holds a newer state of that report (another host won).
            bulk(self.conn, actions, refresh="wait_for", ignore_status=(409,), chunk_size=200)

    def remove(self, obj_or_string, commit=True):
        self.remove_many([get_identifier(obj_or_string)])

    def remove_many(self, identifiers: list[str]):
        from elasticsearch.helpers import bulk

        if not identifiers:
            return
        self._ensure()
        actions = [{"_op_type": "delete", "_index": self.index_name, "_id": i} for i in identifiers]
        bulk(self.conn, actions, refresh="wait_for", ignore_status=(404,))

    def clear(self, models=None, commit=True):
        """Empty the index: drop it and create it again (mapping included)."""
        self.conn.indices.delete(index=self.index_name, ignore=404)
        self.setup_complete = False
        self.setup()

    def delete_index(self):
        self.conn.indices.delete(index=self.index_name, ignore=404)
        self.setup_complete = False


class ArchiveElasticsearchSearchQuery(Elasticsearch7SearchQuery):
    pass


class ArchiveElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = ArchiveElasticsearchBackend
    query = ArchiveElasticsearchSearchQuery
