"""Display conversion between scripts (traditional → simplified) for readers who want it.

Indexing and queries fold scripts in search/analysis.py; this module only serves the
"简体" switch on report pages, which must not lowercase or width-fold anything.
"""

from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text) if text else text
