"""The formats ``reports.ingest`` can read, in the order they are asked.

Each format module defines ``FORMAT = Format(...)``: a ``detect(data, ext)`` that looks at
the bytes (the extension only breaks ties) and an ``extract(data, limits)`` that returns an
``IngestedText`` or raises ``IngestError``.  A new format is one module plus one name below.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from reports.ingest.base import IngestedText, Limits

# Formats recognised by magic bytes first; markup and plain text (which accept almost any
# bytes) last.
_MODULES = ("pdf", "ocr", "office", "ofd", "docx", "html", "text")


@dataclass(frozen=True)
class Format:
    name: str  # stored as Report.original_format
    label: str  # Chinese name shown to admins
    detect: Callable[[bytes, str], bool]
    extract: Callable[[bytes, Limits], IngestedText]
    extensions: tuple[str, ...] = ()
    # True: detect() checks magic bytes and runs before known unsupported kinds are refused.
    magic: bool = True
    # False only for formats whose work is bounded by the file size (plain text).
    isolated: bool = True
    # True: may run OCR or an external converter, so the child gets the OCR time budget.
    slow: bool = False


@cache
def formats() -> tuple[Format, ...]:
    return tuple(importlib.import_module(f"reports.ingest.{name}").FORMAT for name in _MODULES)


def by_name(name: str) -> Format:
    for fmt in formats():
        if fmt.name == name:
            return fmt
    raise KeyError(name)
