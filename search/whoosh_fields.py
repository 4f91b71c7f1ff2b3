"""Whoosh field types of the archive's index.

Whoosh pickles the schema -- field classes and the analyzer -- into the index by reference,
so this module, like search/analysis.py, imports neither Django nor haystack and must never
move: an index written today has to open in any process, Django or not.
"""

from __future__ import annotations

from whoosh.analysis import Token as WhooshToken
from whoosh.fields import TEXT

__all__ = ["Analyzed", "ArchiveText"]


class Analyzed(str):
    """A field value that carries its own tokens: ``(text, position)`` pairs.

    The report document's text is assembled from its sections' token streams, so each
    character is analysed once.
    """

    __slots__ = ("tokens",)

    def __new__(cls, text: str, tokens: list[tuple[str, int]]):
        obj = super().__new__(cls, text)
        obj.tokens = tokens
        return obj


def _replay(value, positions=False, chars=False, boosts=False, **kwargs):
    t = WhooshToken(positions, chars, boosts=boosts, **kwargs)
    for text, pos in value.tokens:
        t.text = text
        t.pos = pos
        t.boost = 1.0
        t.stopped = False
        yield t


class ArchiveText(TEXT):
    """TEXT field that accepts an ``Analyzed`` value (replays its tokens) or a plain string.

    Pickled into the index schema by reference: never move or rename this class.
    """

    def index(self, value, **kwargs):
        if isinstance(value, Analyzed):
            kwargs.setdefault("mode", "index")
            for tstring, freq, wt, vbytes in self.format.word_values(value, _replay, **kwargs):
                yield (tstring.encode("utf-8"), freq, wt, vbytes)
            return
        yield from super().index(value, **kwargs)
