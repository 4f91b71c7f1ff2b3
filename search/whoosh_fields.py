"""Whoosh field types of the archive's index.

Whoosh pickles the schema -- field classes and the analyzer -- into the index by reference,
so this module, like search/analysis.py, imports neither Django nor haystack and must never
move: an index written today has to open in any process, Django or not.
"""

from __future__ import annotations

from whoosh.fields import TEXT

__all__ = ["Analyzed", "ArchiveText"]


class Analyzed(str):
    """A field value that carries its own postings: term → positions (ascending).

    The report document's text is assembled from its sections' analysed text, so each
    character is analysed once, and the postings are handed to Whoosh as they are instead of
    being replayed token by token and grouped again.
    """

    __slots__ = ("postings",)

    def __new__(cls, text: str, postings: dict[str, list[int]]):
        obj = super().__new__(cls, text)
        obj.postings = postings
        return obj


class ArchiveText(TEXT):
    """TEXT field that accepts an ``Analyzed`` value (replays its tokens) or a plain string.

    Pickled into the index schema by reference: never move or rename this class.
    """

    def index(self, value, **kwargs):
        if isinstance(value, Analyzed):
            # What Positions.word_values would compute from the tokens: frequency, weight
            # (every token's boost is 1) and the encoded positions.
            boost = self.format.field_boost
            encode = self.format.encode
            for term, positions in value.postings.items():
                yield term.encode("utf-8"), len(positions), len(positions) * boost, encode(positions)
            return
        yield from super().index(value, **kwargs)
