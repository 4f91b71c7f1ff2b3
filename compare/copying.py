"""Copying that means something: shared passages that are rare in the archive (pure).

A section of one body's report that is nearly the same as another body's is evidence of
copying (横向移植) only if what they share is not what *every* report says.  Reports open with a
ceremonial paragraph ("在市委、市政府的坚强领导下……现将有关情况报告如下"), quote the same
纲要 titles and repeat standard phrases; a six-county comparison that flags those flags nothing.

So texts are cut into passages (sentences), each reduced to a *key* that survives trivial
edits: folded script, no whitespace, every run of digits one ``#``, the body's own place
names masked (``〇``), so "甲县2022年…" and "乙县2023年…" share a key.  A passage does not
count when

* it is **ceremonial** (``CEREMONIAL``: the opening's leadership and guiding-thought formulas,
  the "现将……报告如下" close, the 四个意识/两个维护 formula), or
* it is **common**: held by at least ``common_threshold(n)`` bodies of the archive (a body
  repeating itself year after year counts once), or
* what is left of it once quoted titles (《…》) are removed is shorter than ``MIN_PASSAGE``.

A copy flag is a pair of sections whose remaining (rare) passages are nearly identical
(compare.diff.likely_copies on the rare text), or which share at least ``MIN_SHARED_CHARS``
characters of rare passages verbatim.  Each shared passage carries how many bodies in the
archive hold it; flags rank rarest first.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from compare.diff import likely_copies
from search.folding import fold

MIN_PASSAGE = 12  # characters of a key, titles removed: shorter passages match everywhere
MIN_SHARED_CHARS = 60  # verbatim rare text shared by two sections that makes a flag on its own
COMMON_MIN_BODIES = 4  # a passage held by this many bodies is common ...
COMMON_SHARE = 0.01  # ... or in this share of the archive, whichever is larger

_SENTENCE_END = re.compile(r"[。!?;！？；\n]")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_SPACE = re.compile(r"\s+")
_TITLE = re.compile(r"《[^《》]{0,80}》")
_LEADING_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+[、是]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、])")

# On keys (folded, simplified, no whitespace, digits as #).  Each is a formula reports repeat
# whatever they go on to say; a passage matching one does not count.
CEREMONIAL = [re.compile(p) for p in (
    r"(?:坚强|正确)领导下",
    r"以习近平新时代中国特色社会主义思想为指导",
    r"(?:深入|认真|全面)(?:学习)?贯彻(?:落实)?习近平法治思想",
    r"全面贯彻(?:落实)?党的(?:十八|十九|二十)(?:大|届)",
    r"报告如下$",
    r"现将.{0,30}(?:情况|工作)(?:报告|汇报|公布|公告)",
    r"四个意识.{0,12}四个自信.{0,12}两个维护",
    r"两个确立.{0,12}两个维护",
    r"^#年(?:以来|是)?[,，]?(?:〇|我|全)?(?:省|市|县|区|镇|乡|局|厅)?(?:委|政府)?(?:在|坚持)",
    # The address of a 政府工作报告 to its congress.
    r"代表.{0,20}人民政府.{0,6}(?:向大会)?(?:作|报告)",
    r"人民代表大会.{0,12}次会议上",
    r"请予审议|提出意见$",
)]


def _digest(key: str) -> int:
    """A stable 8-byte id of a key (hash() differs between processes; counts are cached)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")


@dataclass(frozen=True)
class Passage:
    start: int  # offsets in the original text
    end: int
    key: str
    digest: int
    content: int  # characters of the key once quoted titles are removed

    @property
    def ceremonial(self) -> bool:
        return any(p.search(self.key) for p in CEREMONIAL)


def _key(folded: str, folded_mask: Sequence[str]) -> str:
    for name in folded_mask:
        folded = folded.replace(name, "〇")
    t = _LEADING_NUMBER.sub("", _SPACE.sub("", folded))
    return _DIGITS.sub("#", t).rstrip("。!?;！？；")


def _folded_mask(mask: Iterable[str]) -> list[str]:
    return sorted({fold(m) for m in mask if m}, key=len, reverse=True)  # 甲县 before 甲


def passage_key(sentence: str, mask: Iterable[str] = ()) -> str:
    return _key(fold(sentence), _folded_mask(mask))


def passages(text: str, mask: Iterable[str] = ()) -> list[Passage]:
    """The sentences of ``text`` long enough to count, with their keys and offsets.

    The text is folded once (folding keeps offsets), and each sentence keyed from its slice."""
    names = _folded_mask(mask)
    text = text or ""
    folded = fold(text)
    out: list[Passage] = []
    start = 0
    for m in [*_SENTENCE_END.finditer(folded), None]:
        end = m.end() if m else len(folded)
        raw = folded[start:end]
        if raw.strip():
            key = _key(raw, names)
            content = len(_TITLE.sub("", key)) if "《" in key else len(key)
            if content >= MIN_PASSAGE:
                lead = len(raw) - len(raw.lstrip())
                out.append(Passage(start + lead, end, key, _digest(key), content))
        start = end
        if m is None:
            break
    return out


def common_threshold(bodies: int) -> int:
    return max(COMMON_MIN_BODIES, round(COMMON_SHARE * bodies))


def counts_as_shared(p: Passage, held_by: Mapping[int, int], threshold: int) -> bool:
    return not p.ceremonial and held_by.get(p.digest, 1) < threshold


@dataclass(frozen=True)
class SharedPassage:
    left: Passage
    right: Passage
    text: str  # the left passage as written
    bodies: int  # bodies in the archive holding this passage (both sides included)

    @property
    def others(self) -> int:
        return max(0, self.bodies - 2)


@dataclass
class CopyEvidence:
    left: int  # section index on each side
    right: int
    score: float  # similarity of the two sections' rare text (0..1)
    shared: list[SharedPassage] = field(default_factory=list)
    ignored: int = 0  # passages both sections have that are ceremonial or common

    @property
    def shared_chars(self) -> int:
        return sum(s.left.end - s.left.start for s in self.shared)

    @property
    def others(self) -> int:
        """How many other bodies hold the rarest shared passage (0: only these two)."""
        return min((s.others for s in self.shared), default=0)


def _rare_text(text: str, items: Sequence[Passage], held_by, threshold) -> str:
    return "".join(text[p.start:p.end] for p in items if counts_as_shared(p, held_by, threshold))


def meaningful_copies(
    texts_a: Sequence[str],
    texts_b: Sequence[str],
    *,
    mask_a: Iterable[str] = (),
    mask_b: Iterable[str] = (),
    held_by: Mapping[int, int],
    bodies: int,
    threshold: float = 0.8,
) -> list[CopyEvidence]:
    """Pairs of sections (one from each report) that share rare text, rarest first.

    ``held_by``: passage digest → number of archive bodies holding it (digests held by one
    may be absent); ``bodies``: how many bodies those counts cover.
    """
    mask_a, mask_b = list(mask_a), list(mask_b)
    common = common_threshold(bodies)
    pa = [passages(t, mask_a) for t in texts_a]
    pb = [passages(t, mask_b) for t in texts_b]
    rare_a = [_rare_text(t, p, held_by, common) for t, p in zip(texts_a, pa)]
    rare_b = [_rare_text(t, p, held_by, common) for t, p in zip(texts_b, pb)]
    similar = {(i, j): s for i, j, s in likely_copies(rare_a, rare_b, threshold=threshold)}
    out: list[CopyEvidence] = []
    for i, items_a in enumerate(pa):
        by_key_a = {p.key: p for p in items_a}
        for j, items_b in enumerate(pb):
            shared, ignored = [], 0
            for q in items_b:
                p = by_key_a.get(q.key)
                if p is None:
                    continue
                if counts_as_shared(p, held_by, common):
                    shared.append(SharedPassage(p, q, texts_a[i][p.start:p.end], max(2, held_by.get(p.digest, 2))))
                else:
                    ignored += 1
            evidence = CopyEvidence(i, j, similar.get((i, j), 0.0), shared, ignored)
            if (i, j) in similar or evidence.shared_chars >= MIN_SHARED_CHARS:
                out.append(evidence)
    out.sort(key=lambda e: (e.others, -e.score, -e.shared_chars, e.left, e.right))
    return out


def marked_segments(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, marked) runs, marked where a span covers it (for side by side)."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for s, e in sorted(spans):
        if s < pos:
            s = pos
        if e <= s:
            continue
        if s > pos:
            out.append((text[pos:s], False))
        out.append((text[s:e], True))
        pos = e
    if pos < len(text):
        out.append((text[pos:], False))
    return out


__all__ = [
    "CEREMONIAL",
    "CopyEvidence",
    "Passage",
    "SharedPassage",
    "common_threshold",
    "marked_segments",
    "meaningful_copies",
    "passage_key",
    "passages",
]
