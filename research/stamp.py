"""A cheap fingerprint of the archive's contents, for cache keys and cached dump files."""

from __future__ import annotations

import hashlib

from django.db.models import Count, Max

from reports.models import Report


def archive_stamp() -> str:
    """Changes whenever a report is added, changed or deleted (count, newest change, newest id)."""
    agg = Report.objects.aggregate(n=Count("pk"), changed=Max("updated_at"), last=Max("pk"))
    changed = agg["changed"].strftime("%Y%m%dT%H%M%S%f") if agg["changed"] else "0"
    return f"{agg['n']}-{agg['last'] or 0}-{changed}"


def stamp_key(prefix: str, *parts) -> str:
    raw = "|".join(str(p) for p in (archive_stamp(), *parts))
    return f"research:{prefix}:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]
