"""``/healthz``: is this instance able to serve?  200 or 503 with the failing part.

Checked: the database (``SELECT 1``) and the search index (``search.health.index_ok``, which
never counts documents: milliseconds at any size).  Reported, never failing the probe: the age
of the oldest index-queue row (``search.health.queue_status``), so a stalled queue drain shows
on the instance's health page while the instance keeps serving.  The
view is also answered by ``HealthCheckMiddleware``, first in MIDDLEWARE, so a load balancer
can probe over plain HTTP with any Host header (before ALLOWED_HOSTS and the HTTPS redirect).
The body says which check failed, never the exception text (that goes to the log).
"""

from __future__ import annotations

import logging

from django.db import connections
from django.http import HttpResponseNotAllowed, JsonResponse

from search.health import index_ok, queue_status

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"


def database_ok(alias: str = "default") -> tuple[bool, str]:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        log.exception("database health check failed")
        return False, f"database error: {type(exc).__name__}"
    return True, connections[alias].vendor


def healthz(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    checks = {}
    for name, check in (("database", database_ok), ("search_index", index_ok)):
        try:
            ok, detail = check()
        except Exception as exc:  # a probe must answer, never 500
            log.exception("%s health check crashed", name)
            ok, detail = False, f"check failed: {type(exc).__name__}"
        checks[name] = {"ok": ok, "detail": detail}
    healthy = all(c["ok"] for c in checks.values())
    body = {"status": "ok" if healthy else "error", "checks": checks}
    if checks["database"]["ok"]:
        try:
            body["index_queue"] = queue_status()
        except Exception as exc:  # reported, never a 500 nor a failed probe
            log.exception("index queue status failed")
            body["index_queue"] = {"error": type(exc).__name__}
    if not healthy:
        body["failed"] = [name for name, c in checks.items() if not c["ok"]]
    response = JsonResponse(body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") == HEALTH_PATH:
            return healthz(request)
        return self.get_response(request)
