"""gunicorn settings, read from the environment: `gunicorn -c gunicorn.conf.py config.wsgi`.

GUNICORN_BIND (or HOST/PORT)   where to listen            default 127.0.0.1:8000
WEB_CONCURRENCY                number of worker processes default 2 * cores + 1, at most
                                                          GUNICORN_MAX_WORKERS (8)
GUNICORN_TIMEOUT               worker timeout, seconds    default 60
GUNICORN_GRACEFUL_TIMEOUT      shutdown grace, seconds    default 8 (below a container's
                                                          10 s stop: docker's SIGKILL never
                                                          lands mid-request)
GUNICORN_CLIENT_TIMEOUT        a client's silence before  default 5 (config/gunicorn_worker.py:
                               its connection is closed   an idle client never holds shutdown)
FORWARDED_ALLOW_IPS            proxies trusted for X-Forwarded-*  default 127.0.0.1
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND") or (
    f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
workers = _int(
    "WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, _int("GUNICORN_MAX_WORKERS", 8))
)
# The sync worker, with a deadline on silent clients (config/gunicorn_worker.py).
worker_class = "config.gunicorn_worker.ReadDeadlineSyncWorker"
# Load Django (and, through the warm-up below, jieba's dictionary and the gazetteer) once in the
# master; workers share those pages copy-on-write.
preload_app = True
timeout = _int("GUNICORN_TIMEOUT", 60)
# Requests are bounded well below this (README "Reliability"), and a silent client is let go
# after GUNICORN_CLIENT_TIMEOUT, so 8 s lets every worker finish before `docker stop` (10 s).
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 8)
# The sync worker closes every connection after its response (keep-alive is a proxy's job).
keepalive = 2
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Heartbeat files in memory, not on a possibly slow disk (containers).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"


def when_ready(server):
    """Warm the tokenizer in the master before workers fork (optional: skipped if absent)."""
    try:
        from search.analysis import segment
    except ImportError:
        return
    try:
        segment("法治政府建设年度报告")
    except Exception:  # never keep the site down over a warm-up
        server.log.exception("search warm-up failed")


def post_fork(server, worker):
    """Nothing opened in the master may be shared by workers: DB connections, search handles."""
    from django.db import connections

    connections.close_all()
    try:
        from haystack import connections as search_connections

        for alias in search_connections.connections_info:
            search_connections[alias].reset_sessions()
    except Exception:
        server.log.exception("could not reset search connections after fork")


def post_worker_init(worker):
    """Open the search index in the new worker before it takes requests (first search fast)."""
    try:
        from search.service import warm_up

        warm_up()
    except Exception:  # an empty or missing index must not stop the worker
        worker.log.exception("search warm-up in the worker failed")
