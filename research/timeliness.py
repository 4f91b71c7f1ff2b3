"""Timeliness: was a report published before 1 April of the year after the one it reports on?

The 《法治政府建设与责任落实督察工作规定》 (2019), art. 25, sets the deadline: the annual report
is published "每年4月1日之前".  Pure: no Django, no I/O.

* The date used is the publication date when known (``source = "published"``), otherwise the
  date the archive first saw the report (harvest or upload, ``source = "first_seen"``) — an
  upper bound: a report first seen late may have been published on time elsewhere, so a
  "late" verdict from a first-seen date says so.
* ``on_time``: published on or before 31 March of year + 1 (before 1 April);
  ``late``: after that, by ``days_late`` days counted from 1 April (1 April itself is 1 day);
  ``unknown``: no reported year, or no date at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["Timeliness", "deadline_for", "assess", "STATUS_LABELS"]

STATUS_LABELS = {"on_time": "按时公开", "late": "逾期公开", "unknown": "无法判断"}


@dataclass(frozen=True)
class Timeliness:
    status: str  # on_time | late | unknown
    deadline: date | None = None
    date_used: date | None = None
    source: str = ""  # published | first_seen | ""
    days_late: int = 0

    @property
    def label(self) -> str:
        text = STATUS_LABELS[self.status]
        if self.status == "late":
            text += f"（{self.days_late} 天）"
        if self.source == "first_seen" and self.status != "unknown":
            text += "，按本库首次收录日期"
        return text

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "label": self.label,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "date_used": self.date_used.isoformat() if self.date_used else None,
            "source": self.source,
            "days_late": self.days_late,
        }


def deadline_for(year: int) -> date:
    """The first day that is late: 1 April of the following year."""
    return date(year + 1, 4, 1)


def assess(*, year: int | None, published: date | None, first_seen: date | None) -> Timeliness:
    if not year:
        return Timeliness("unknown")
    deadline = deadline_for(year)
    if published is not None:
        used, source = published, "published"
    elif first_seen is not None:
        used, source = first_seen, "first_seen"
    else:
        return Timeliness("unknown", deadline)
    if used < deadline:
        return Timeliness("on_time", deadline, used, source)
    return Timeliness("late", deadline, used, source, (used - deadline).days + 1)
