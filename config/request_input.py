"""What a request may bring in: a bounded body, and query strings without control characters.

``RequestBodyLimitMiddleware`` answers 413 from the ``Content-Length`` header alone, before
anything reads the body (it sits after authentication and before CSRF and the login
throttle, the first readers of ``request.POST``), so an anonymous client cannot make the
server spool a large multipart body to disk.  Limits (settings):

* ``REQUEST_BODY_LIMIT_BYTES`` (64 KB): every request from anyone who is not active staff
  (login form, comparison list, …);
* ``STAFF_BODY_LIMIT_BYTES``: active staff in the admin (editing a large report's text);
* ``UPLOAD_BODY_LIMIT_BYTES``: active staff on the admin upload view (several files).

Without ``Content-Length`` Django reads no body at all (``LimitedStream`` of length 0), and
gunicorn refuses chunked bodies it cannot size, so the header is the whole story.

``CleanQueryStringMiddleware`` strips control characters (``reports.cleantext``) from every
query-string value, so no view, feed or export sees them.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.urls import NoReverseMatch, reverse

from reports.cleantext import has_controls, strip_controls

TOO_LARGE = "请求内容过大（上限 {limit}），未作任何处理。"


def _human(size: int) -> str:
    return f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def body_limit(request) -> int:
    """The largest body this request may carry (bytes)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_active and user.is_staff:
        try:
            upload_path = reverse("admin:reports_report_upload")
        except NoReverseMatch:  # pragma: no cover - the admin is always mounted
            upload_path = None
        if request.path_info == upload_path:
            return settings.UPLOAD_BODY_LIMIT_BYTES
        return settings.STAFF_BODY_LIMIT_BYTES
    return settings.REQUEST_BODY_LIMIT_BYTES


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            length = 0  # Django reads nothing of a body whose length it cannot parse
        if length > settings.REQUEST_BODY_LIMIT_BYTES:  # cheap test first: no user lookup
            limit = body_limit(request)
            if length > limit:
                response = HttpResponse(
                    TOO_LARGE.format(limit=_human(limit)), status=413, content_type="text/plain; charset=utf-8"
                )
                response["Connection"] = "close"  # the unread body must not be parsed as a request
                return response
        return self.get_response(request)


class CleanQueryStringMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET
        if any(has_controls(k) or any(has_controls(v) for v in vs) for k, vs in query.lists()):
            cleaned = QueryDict(mutable=True)
            for key, values in query.lists():
                cleaned.setlist(strip_controls(key), [strip_controls(v) for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
