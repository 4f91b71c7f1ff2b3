"""Extension points the higher floors plug into, so reports/ never imports them.

The write path (``reports.services``) stores sections; what is *derived* from them belongs to
the apps above: compare/ classifies each section's topic and reads the figures.  Those apps
register here in their ``AppConfig.ready``:

- ``register_topic_classifier(classify, keys)``: ``classify(outlines) -> [topic key, ...]``,
  one key per ``SectionOutline`` in document order; ``keys`` is the vocabulary an admin may
  choose from (a mapping key -> Chinese label, or any iterable of keys; ``topic_label`` gives
  the label the admin shows).  Without a classifier sections are stored with an empty topic.
- ``sections_stored``: a signal sent inside the import/re-parse transaction once a report's
  sections are written (``report=`` the report), so derived rows commit or roll back with them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.dispatch import Signal

sections_stored = Signal()


@dataclass(frozen=True)
class SectionOutline:
    heading: str
    text: str
    level: int
    parent_index: int | None  # index into the same list; parents come before children


TopicClassifier = Callable[[Sequence[SectionOutline]], list[str]]

_classifier: TopicClassifier | None = None
_topic_keys: frozenset[str] = frozenset()
_topic_labels: dict[str, str] = {}


def register_topic_classifier(classify: TopicClassifier, keys: Iterable[str]) -> None:
    global _classifier, _topic_keys, _topic_labels
    _classifier, _topic_keys = classify, frozenset(keys)
    if hasattr(keys, "items"):
        _topic_labels = {key: str(getattr(value, "label", value)) for key, value in keys.items()}


def topic_label(key: str) -> str:
    """The topic's Chinese label ('' for no topic; the key itself when no label is known)."""
    return _topic_labels.get(key or "", key or "")


def topic_choices() -> list[tuple[str, str]]:
    return [("", "（无）")] + sorted(_topic_labels.items(), key=lambda kv: kv[1])


def classify_topics(outlines: Sequence[SectionOutline]) -> list[str]:
    if _classifier is None:
        return [""] * len(outlines)
    keys = _classifier(outlines)
    if len(keys) != len(outlines):
        raise ValueError(f"topic classifier returned {len(keys)} keys for {len(outlines)} sections")
    return keys


def is_topic(key: str) -> bool:
    return key in _topic_keys
