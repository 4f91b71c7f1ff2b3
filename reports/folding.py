"""Script, width and case folding: the one home of text normalisation.

Ground floor: pure (OpenCC only: no Django, no jieba, no Whoosh) and importing nothing from
reports/ or search/, so the parser and metadata side, the comparison modules and the search
analyzer (``search/analysis.py`` via the re-export ``search/folding.py``) all share it.
``fold`` is strictly length-preserving, so character offsets computed on folded text are
valid in the original — highlighting in the original script depends on that.
"""

from __future__ import annotations

import re
import unicodedata

import opencc

__all__ = ["fold", "is_traditional", "simplify_if_traditional", "to_simplified", "traditional_share"]

_T2S = opencc.OpenCC("t2s.json")
_CJK = re.compile(r"[\u3400-\u9fff]")
# Characters OpenCC t2s changes although they are also standard simplified characters (乾县,
# 著名, 瞭望 …): they must not count as evidence of traditional script.
_DUAL_USE = frozenset("乾於著瞭藉麽夥祇遊甦鍾捨衝")


def _build_width_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # Full-width ASCII variants U+FF01..U+FF5E -> U+0021..U+007E.
    for cp in range(0xFF01, 0xFF5F):
        table[cp] = chr(cp - 0xFEE0)
    table[0x3000] = " "  # ideographic space
    # CJK compatibility ideographs -> their unified equivalents (1:1 under NFKC).
    for cp in list(range(0xF900, 0xFB00)) + list(range(0x2F800, 0x2FA20)):
        norm = unicodedata.normalize("NFKC", chr(cp))
        if len(norm) == 1 and norm != chr(cp):
            table[cp] = norm
    # Upper-case letters whose lower case is a single character.  (str.lower()
    # may lengthen text, e.g. 'İ' -> 'i̇'; this table never does.)
    for cp in range(0x41, 0x5B):
        table[cp] = chr(cp + 32)
    for cp in range(0xC0, 0x2000):
        ch = chr(cp)
        low = ch.lower()
        if low != ch and len(low) == 1:
            table[cp] = low
    # Full-width upper-case letters fold all the way to ASCII lower case.
    for cp in range(0xFF21, 0xFF3B):
        table[cp] = chr(cp - 0xFEE0 + 32)
    return table


_WIDTH_TABLE = _build_width_table()

# ``str.translate`` with a dict runs at ~5 M chars/s over Chinese text (one dict look-up per
# character): it was most of the cost of ``fold`` (OpenCC itself runs at ~40 M chars/s), paid
# by every indexed character and by every snippet.  The same mapping, done as one C-speed
# ``str.replace`` per character that is frequent in Chinese text (full-width comma, ideographic
# space, ...: 96 % of the characters the table changes in the corpus), then a regex pass that
# translates only the runs of the remaining table characters, which are rare.
_FREQUENT = "，\u3000；：（）！％．"
_FREQUENT_PAIRS = tuple((ch, _WIDTH_TABLE[ord(ch)]) for ch in _FREQUENT)


def _rare_pattern() -> re.Pattern:
    # Characters of the Basic Multilingual Plane only (``re`` then tests a bitmap); the
    # compatibility ideographs beyond it as one range, filtered in ``_translate_run``.
    bmp = "".join(
        re.escape(chr(cp)) for cp in sorted(_WIDTH_TABLE) if cp <= 0xFFFF and chr(cp) not in _FREQUENT
    )
    return re.compile("[" + bmp + "\U0002F800-\U0002FA1F]+")


_RARE = _rare_pattern()


def _translate_run(match: re.Match) -> str:
    return match.group().translate(_WIDTH_TABLE)


def _width_fold(text: str) -> str:
    """``text.translate(_WIDTH_TABLE)``, several times faster on Chinese text."""
    for ch, replacement in _FREQUENT_PAIRS:
        text = text.replace(ch, replacement)
    return _RARE.sub(_translate_run, text)


def _t2s_char(ch: str) -> str:
    out = _T2S.convert(ch)
    return out if len(out) == 1 else ch


def _t2s_preserving(text: str) -> str:
    """OpenCC t2s that never changes the length of any line.

    The whole text is converted in one call (fast).  OpenCC's phrase tables
    could in principle map a phrase to one of a different length; every line
    whose length changed is redone character by character, where t2s is
    1:1 (verified over all CJK blocks).
    """
    out = _T2S.convert(text)
    if out == text:  # already simplified: most texts
        return out
    if len(out) == len(text):
        src_lines = text.split("\n")
        out_lines = out.split("\n")
        if len(src_lines) == len(out_lines) and all(
            len(a) == len(b) for a, b in zip(src_lines, out_lines)
        ):
            return out
    else:
        src_lines = text.split("\n")
        out_lines = out.split("\n")
    if len(src_lines) == len(out_lines):
        fixed = [
            b if len(a) == len(b) else "".join(_t2s_char(c) for c in a)
            for a, b in zip(src_lines, out_lines)
        ]
    else:  # newline itself touched: be safe
        fixed = ["".join(_t2s_char(c) for c in a) for a in src_lines]
    return "\n".join(fixed)


def fold(text: str) -> str:
    """Fold script, width and case; ``len(fold(s)) == len(s)`` always."""
    if not text:
        return ""
    width_folded = _width_fold(text)
    folded = _t2s_preserving(width_folded)
    if folded == width_folded:  # the table is idempotent (tested): nothing left to fold
        return folded
    # t2s output is simplified CJK: no further case/width work needed, but
    # OpenCC may emit characters we fold (it does not today); re-translate.
    return _width_fold(folded)


def to_simplified(text: str) -> str:
    """Plain OpenCC t2s for display (the reader's "简体" switch): no width or case folding."""
    return _T2S.convert(text) if text else text


def traditional_share(text: str) -> tuple[int, int]:
    """(characters OpenCC t2s changes, CJK characters) in ``text``."""
    if not text:
        return 0, 0
    converted = _T2S.convert(text)
    cjk = len(_CJK.findall(text))
    if len(converted) == len(text):
        changed = sum(1 for a, b in zip(text, converted) if a != b and a not in _DUAL_USE)
    else:  # a phrase conversion changed the length: count character by character
        changed = sum(1 for ch in set(text) if ch not in _DUAL_USE and _T2S.convert(ch) != ch)
    return changed, cjk


def is_traditional(text: str) -> bool:
    """True when ``text`` is written in traditional characters.

    In traditional Chinese prose roughly a fifth to a third of the characters differ from their
    simplified forms; in simplified prose almost none do.  A 5 % share (and at least one changed
    character) separates the two robustly, also for a title of a few characters.
    """
    changed, cjk = traditional_share(text)
    return changed >= 1 and changed >= 0.05 * max(cjk, 1)


def simplify_if_traditional(text: str) -> str:
    """Fold traditional characters to simplified, only when the text is traditional.

    Simplified text is returned unchanged: OpenCC t2s would also rewrite a few characters that
    are correct in simplified text (乾县 → 干县).
    """
    if not text:
        return text
    return _T2S.convert(text) if is_traditional(text) else text
