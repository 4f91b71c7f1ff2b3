"""The search index's durable work queue.

A report saved or deleted in a transaction leaves one ``IndexTask`` row written in that same
transaction: a rollback removes the task with the data, a commit keeps it until the single
index writer (``search/indexing.py``) has applied it.  One row per report (the newest action
wins); ``token`` changes on every enqueue, so a writer only deletes the task it applied.
"""

from __future__ import annotations

from django.db import models


class IndexTask(models.Model):
    class Action(models.TextChoices):
        UPDATE = "update", "更新"
        DELETE = "delete", "删除"

    report_id = models.BigIntegerField("报告编号", unique=True)
    action = models.CharField("操作", max_length=10, choices=Action.choices, default=Action.UPDATE)
    token = models.CharField(max_length=32)
    queued_at = models.DateTimeField("入队时间", db_index=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)

    class Meta:
        verbose_name = "索引任务"
        verbose_name_plural = "索引任务"
        ordering = ["queued_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} report {self.report_id}"


# Connect the model signal receivers (search/indexing.py) when the app registry loads models.
from search import indexing as _indexing  # noqa: E402,F401
