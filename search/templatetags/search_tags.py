"""Query-string helpers for facet links and removable filter chips (no JavaScript needed)."""

from __future__ import annotations

from django import template

register = template.Library()

# Changing any filter starts again at page 1.
_ALWAYS_DROPPED = ("page",)


@register.simple_tag
def query_with(querydict, **changes) -> str:
    """The current query string with ``changes`` applied: ``key=value`` sets, ``key=None`` drops.

    ``{% query_with request.GET region=r.full_name %}`` → "q=…&region=…" (page dropped).
    """
    query = querydict.copy()
    for key in _ALWAYS_DROPPED:
        query.pop(key, None)
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = str(value)
    return query.urlencode()


@register.simple_tag
def query_without(querydict, *keys) -> str:
    """The current query string without ``keys`` (and without ``page``)."""
    query = querydict.copy()
    for key in (*_ALWAYS_DROPPED, *keys):
        query.pop(key, None)
    return query.urlencode()
