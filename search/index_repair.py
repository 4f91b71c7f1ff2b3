"""Damage checks and out-of-place rebuilds of the Whoosh index.

* ``verify_index`` opens the index and reads every segment: its stored fields, every column,
  the term dictionary of every field and the postings of every term (``deep``; without it a
  sample), so a truncated or overwritten segment file is found, not only a missing TOC.
* ``rebuild_beside`` builds a complete, fresh index from the database in a sibling
  directory, without the writer lock of the old one (which may be held by a stuck process
  or be unreadable), then swaps the two directories with renames.  Its first generation is
  above the old index's, so every process's cached searcher sees a change and reopens.
  Queue rows seen before the rebuild started are applied by it and deleted.

Whoosh only: with ``SEARCH_URL`` (Elasticsearch) callers fall back to haystack's commands.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

_TOC = re.compile(r"^_(?P<name>.+)_(?P<gen>\d+)\.toc$")
# Postings of at most this many terms per field are read without ``deep``.
SAMPLE_TERMS = 2000


def is_whoosh(backend) -> bool:
    from search.backends import ArchiveWhooshSearchBackend

    return isinstance(backend, ArchiveWhooshSearchBackend)


def verify_index(path: str, *, deep: bool = False) -> list[str]:
    """Problems found reading the index at ``path`` (empty: every segment read cleanly)."""
    from whoosh.reading import SegmentReader

    from search.backends import REPORT_INDEX, index_storage

    try:
        storage = index_storage(path)
        ix = storage.open_index(indexname=REPORT_INDEX)
        segments = ix._segments()
        schema = ix.schema
    except Exception as exc:
        return [f"无法打开索引：{type(exc).__name__}: {exc}"]
    problems = []
    for segment in segments:
        try:
            reader = SegmentReader(storage, schema, segment)
            try:
                for _ in reader.all_stored_fields():
                    pass
                for name in schema.names():
                    if reader.has_column(name):
                        for _ in reader.column_reader(name):
                            pass
                    if name not in reader.indexed_field_names():
                        continue
                    for k, term in enumerate(reader.lexicon(name)):
                        if deep or k < SAMPLE_TERMS:
                            reader.postings(name, term).all_ids()
            finally:
                reader.close()
        except Exception as exc:
            problems.append(f"段 {segment.segment_id()} 损坏：{type(exc).__name__}: {exc}"[:500])
    return problems


def _latest_generation(path: Path) -> int:
    gens = [int(m["gen"]) for f in os.listdir(path) if (m := _TOC.match(f))] if path.is_dir() else []
    return max(gens, default=-1)


@dataclass
class RebuildResult:
    reports: int
    seconds: float
    cleared_tasks: int


def rebuild_beside(backend, *, stdout=None) -> RebuildResult:
    """A fresh index of every report, built next to the current one and swapped in."""
    from django.db import connections
    from whoosh.index import TOC

    from search.backends import REPORT_INDEX, ArchiveWhooshSearchBackend, index_storage, reset_searchers
    from search.models import IndexTask
    from search.search_indexes import ReportIndex

    t0 = time.perf_counter()
    # Rows visible now have their data visible to the reads below: the rebuild covers them.
    seen = list(IndexTask.objects.values_list("pk", "token"))
    live = Path(backend.path)
    fresh = live.with_name(f"{live.name}.rebuild-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    try:
        new = ArchiveWhooshSearchBackend(backend.connection_alias, **{**_options(backend), "PATH": str(fresh)})
        new.procs = backend.procs
        storage = index_storage(str(fresh))
        schema = _schema(backend)
        TOC(schema, [], _latest_generation(live) + 1).write(storage, REPORT_INDEX)
        new.setup()
        index = ReportIndex()
        ids = list(index.index_queryset().order_by("pk").values_list("pk", flat=True))
        batch = backend.batch_size
        for start in range(0, len(ids), batch):
            objs = list(index.index_queryset().filter(pk__in=ids[start : start + batch]).order_by("pk"))
            _release_connections(connections)
            new.update(index, objs)
            if stdout is not None:
                stdout.write(f"已重建 {min(start + batch, len(ids))}/{len(ids)}")
        problems = verify_index(str(fresh))
        if problems:
            raise RuntimeError("新建的索引无法读取：" + "；".join(problems[:3]))
        old = live.with_name(f"{live.name}.old-{os.getpid()}")
        if live.exists():
            os.rename(live, old)
        os.rename(fresh, live)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    reset_searchers(str(live))
    backend.setup_complete = False
    cleared = 0
    for pk, token in seen:
        cleared += IndexTask.objects.filter(pk=pk, token=token).delete()[0]
    return RebuildResult(reports=len(ids), seconds=time.perf_counter() - t0, cleared_tasks=cleared)


def _release_connections(connections) -> None:
    """Close idle database handles so that forked index workers inherit none.

    The workers never query (their reports arrive loaded), this is only a guard.  A handle
    inside a transaction stays open: closing it would roll back and break the caller's
    transaction (PostgreSQL; a test's or an ``atomic`` caller's), and the drain inside a
    request forks the same workers with its handle open too."""
    for alias in connections:
        conn = connections[alias]
        if not conn.in_atomic_block:
            conn.close()


def _options(backend) -> dict:
    from haystack import connections

    return dict(connections.connections_info[backend.connection_alias])


def _schema(backend):
    from haystack import connections

    unified = connections[backend.connection_alias].get_unified_index()
    return backend.build_schema(unified.all_searchfields())[1]
