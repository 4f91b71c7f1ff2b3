"""Is the search index usable?  Used by /healthz (config/health.py).

Backend-neutral: it goes through haystack's connection (``get_backend()``,
``get_unified_index()``) and a count query, so it works for whichever engine is configured.
"Broken" means any of:

* the index lives on disk (the connection has a ``PATH``) and that directory is missing or is
  not a readable directory: the probe must not let the backend silently create a new, empty
  index in its place;
* opening the index or running the count query raises (unreadable or corrupt files, a search
  server that is down);
* the index is empty while the database holds objects it should contain.
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
        engine.get_backend()
        count = SearchQuerySet(using=using).models(*models).count()
    except Exception as exc:
        log.exception("search index health check failed")
        return False, f"index error: {type(exc).__name__}"

    if count == 0:
        try:
            in_database = any(
                unified.get_index(model).index_queryset(using=using).exists() for model in models
            )
        except DatabaseError:  # the database check reports this; the index itself answered
            return True, "0 documents (not compared: database unavailable)"
        if in_database:
            return False, "index empty but the database has documents"
    return True, f"{count} documents"
