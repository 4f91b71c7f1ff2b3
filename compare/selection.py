"""Which reports are compared: ids from the URL (?reports=3,7) and the reader's own list.

The comparison itself always lives in the URL, so it can be shared; the reader's list
("加入对比", at most ``MAX_REPORTS`` ids) lives in a signed cookie (``SelectionCookie``), not
in a server-side session: an anonymous POST never creates a session row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_REPORTS = 2
MAX_REPORTS = 6
SESSION_KEY = "compare_selection"

_MAX_RAW = 200
_MAX_ID = 2**63 - 1
_SPLIT = re.compile(r"[\s,，、;；]+")


class SelectionError(ValueError):
    """A ``reports=`` value that cannot be compared; the message is for readers (Chinese)."""


def parse_report_ids(raw: str | list[str] | None) -> list[int]:
    """ "3,7, 12" → [3, 7, 12] (order kept, duplicates dropped); raises SelectionError."""
    if isinstance(raw, (list, tuple)):
        raw = ",".join(str(v) for v in raw)
    raw = (raw or "").strip()
    if not raw:
        raise SelectionError(f"请选择 {MIN_REPORTS}–{MAX_REPORTS} 份报告进行对比。")
    if len(raw) > _MAX_RAW:
        raise SelectionError("报告编号过长，请检查链接。")
    ids: list[int] = []
    for token in _SPLIT.split(raw):
        if not token:
            continue
        if not token.isascii() or not token.isdigit() or int(token) < 1 or int(token) > _MAX_ID:
            raise SelectionError(f"报告编号“{token[:20]}”无效：编号应为正整数，用逗号分隔。")
        value = int(token)
        if value not in ids:
            ids.append(value)
    if len(ids) < MIN_REPORTS:
        raise SelectionError(f"至少需要 {MIN_REPORTS} 份不同的报告才能对比。")
    if len(ids) > MAX_REPORTS:
        raise SelectionError(f"一次最多对比 {MAX_REPORTS} 份报告，当前为 {len(ids)} 份。")
    return ids


def load_reports(ids: list[int]):
    """The reports in the order given; raises SelectionError naming ids that do not exist."""
    from reports.models import Report

    found = Report.objects.with_region().defer("original_text").in_bulk(ids)
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise SelectionError(f"找不到编号为 {'、'.join(missing)} 的报告。")
    return [found[i] for i in ids]


def reports_param(ids: list[int]) -> str:
    return ",".join(str(i) for i in ids)


# ---------------------------------------------------------------------------
# Session list
# ---------------------------------------------------------------------------


COOKIE_NAME = "compare_selection"
_COOKIE_SALT = "compare.selection"
_COOKIE_AGE = 30 * 24 * 3600


class SelectionCookie(dict):
    """The reader's list as a session-like mapping read from, and written back to, a signed
    cookie.  ``store(request)`` gives the one instance of a request; a view that changed it
    calls ``write(response)``."""

    def __init__(self, raw: str = ""):
        super().__init__()
        ids = [int(t) for t in raw.split(",") if t.isascii() and t.isdigit() and len(t) <= 18][:MAX_REPORTS]
        if ids:
            super().__setitem__(SESSION_KEY, ids)
        self.modified = False

    def __setitem__(self, key, value):
        self.modified = True
        super().__setitem__(key, value)

    def pop(self, key, *default):
        self.modified = self.modified or key in self
        return super().pop(key, *default)

    def write(self, response) -> None:
        if not self.modified:
            return
        ids = get_selection(self)
        if ids:
            response.set_signed_cookie(
                COOKIE_NAME, reports_param(ids), salt=_COOKIE_SALT, max_age=_COOKIE_AGE,
                httponly=True, samesite="Lax", secure=_secure_cookies(),
            )
        else:
            response.delete_cookie(COOKIE_NAME, samesite="Lax")


def _secure_cookies() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "SESSION_COOKIE_SECURE", False))


def store(request) -> SelectionCookie:
    """The reader's list for this request (parsed once; an invalid signature is an empty list)."""
    if request is None:
        return SelectionCookie()
    cached = getattr(request, "_compare_selection", None)
    if cached is None:
        raw = request.get_signed_cookie(COOKIE_NAME, default="", salt=_COOKIE_SALT, max_age=_COOKIE_AGE)
        cached = request._compare_selection = SelectionCookie(raw or "")
    return cached


def get_selection(session) -> list[int]:
    """The ids in the session, cleaned (a tampered or stale value becomes a valid list)."""
    value = session.get(SESSION_KEY) or []
    if not isinstance(value, list):
        return []
    out: list[int] = []
    for item in value:
        if isinstance(item, int) and not isinstance(item, bool) and 0 < item <= _MAX_ID and item not in out:
            out.append(item)
    return out[:MAX_REPORTS]


@dataclass
class SelectionResult:
    ids: list[int]
    message: str
    ok: bool = True


def _save(session, ids: list[int]) -> None:
    if ids:
        session[SESSION_KEY] = ids
    else:
        session.pop(SESSION_KEY, None)


def selection_add(session, report_id: int) -> SelectionResult:
    ids = get_selection(session)
    if report_id in ids:
        return SelectionResult(ids, "该报告已在对比栏中。")
    if len(ids) >= MAX_REPORTS:
        return SelectionResult(ids, f"对比栏最多 {MAX_REPORTS} 份报告，请先移除一份。", ok=False)
    ids.append(report_id)
    _save(session, ids)
    return SelectionResult(ids, "已加入对比栏。")


def selection_remove(session, report_id: int) -> SelectionResult:
    ids = [i for i in get_selection(session) if i != report_id]
    _save(session, ids)
    return SelectionResult(ids, "已从对比栏移除。")


def selection_clear(session) -> SelectionResult:
    _save(session, [])
    return SelectionResult([], "已清空对比栏。")


def prune_selection(session, existing_ids) -> list[int]:
    """Drop ids of reports deleted since they were added."""
    existing = set(existing_ids)
    ids = get_selection(session)
    kept = [i for i in ids if i in existing]
    if kept != ids:
        _save(session, kept)
    return kept
