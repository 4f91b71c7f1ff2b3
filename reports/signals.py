"""Model-level boundary cleaning: no stored text field keeps a control character.

Connected in ``ReportsConfig.ready`` for the archive's own apps (reports, compare, research,
search): one receiver, so every write path (admin, services, commands, API) is covered.
``bulk_create``/``update()`` bypass signals; the archive's write paths do not use them for
user text (reports.services saves sections one by one).
"""

from __future__ import annotations

from django.db import models

from reports.cleantext import has_controls, strip_controls

ARCHIVE_APPS = frozenset({"reports", "compare", "research", "search"})


def _text_fields(model) -> list[str]:
    cached = model.__dict__.get("_archive_text_fields")
    if cached is None:
        cached = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices
        ]
        model._archive_text_fields = cached
    return cached


def strip_control_characters(sender, instance, raw=False, **kwargs):
    if raw or sender._meta.app_label not in ARCHIVE_APPS:
        return
    for name in _text_fields(sender):
        value = getattr(instance, name, None)
        if has_controls(value):
            setattr(instance, name, strip_controls(value))
