"""Is the search index usable?  Used by /healthz (config/health.py).

A probe a load balancer calls every few seconds: it must answer in milliseconds at any index
size, so it never counts documents.  "Broken" means any of:

* the index lives on disk (the connection has a ``PATH``) and that directory is missing or is
  not a readable directory: the probe must not let the backend silently create a new, empty
  index in its place;
* opening the index or reading from it raises (unreadable or corrupt files, a search server
  that is down);
* the index is empty while the database holds objects it should contain.

With the archive's own engine (``backend.health_probe``) the index is opened through the
process's cached searcher and answers from its segment metadata and one term look-up; any
other haystack engine is asked for a single result (``[:1]``), never ``count()``.

``queue_status`` reports the age of the oldest row of the index queue (``IndexTask``): a queue
that is not drained shows there, while the index itself still answers.
"""

from __future__ import annotations

import logging
import os

from django.db import DatabaseError
from haystack import connections
from haystack.query import SearchQuerySet

log = logging.getLogger(__name__)


def index_ok(using: str = "default") -> tuple[bool, str]:
    """Return ``(ok, detail)``; ``detail`` is short and safe to show publicly."""
    try:
        engine = connections[using]
        path = engine.options.get("PATH")
        if path:
            if not os.path.isdir(path):
                return False, "index directory missing"
            if not os.access(path, os.R_OK | os.X_OK):
                return False, "index directory unreadable"
        unified = engine.get_unified_index()
        models = unified.get_indexed_models()
        if not models:
            return True, "no search indexes registered"
        backend = engine.get_backend()
        probe = getattr(backend, "health_probe", None)
        if probe is not None:
            documents = probe()
            empty = documents == 0
            detail = f"{documents} documents"
        else:
            empty = not list(SearchQuerySet(using=using).models(*models)[:1])
            detail = "answers" if not empty else "0 documents"
    except Exception as exc:
        log.exception("search index health check failed")
        return False, f"index error: {type(exc).__name__}"

    if empty:
        try:
            in_database = any(
                unified.get_index(model).index_queryset(using=using).exists() for model in models
            )
        except DatabaseError:  # the database check reports this; the index itself answered
            return True, "0 documents (not compared: database unavailable)"
        if in_database:
            return False, "index empty but the database has documents"
    return True, detail


def queue_status(now=None) -> dict:
    """``{"oldest_age_seconds": float | None}``: the age of the oldest queued index task.

    One indexed ``ORDER BY queued_at LIMIT 1``: bounded however long the queue is.
    """
    from django.utils import timezone

    from search.models import IndexTask

    oldest = IndexTask.objects.order_by("queued_at").values_list("queued_at", flat=True).first()
    if oldest is None:
        return {"oldest_age_seconds": None}
    now = now or timezone.now()
    return {"oldest_age_seconds": round(max(0.0, (now - oldest).total_seconds()), 1)}
