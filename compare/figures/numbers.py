"""Numbers as reports write them: Arabic (with thousands commas, full-width), Chinese numerals,
and the 万/亿 multipliers."""

from __future__ import annotations

import re

import cn2an

from search.folding import fold

CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
# One number in folded text: digits (1,234 / 40.7) or Chinese numerals, with an optional 万/亿
# multiplier that is not itself the start of more numerals.
NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{CN_DIGITS}]+)(?:[万亿](?![{CN_DIGITS}]))?"
_ARABIC = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")


def parse_chinese_number(s: str) -> float | None:
    """Read "12", "1,234", "１２", "十二", "两", "二十三", "一百零五", "3.5万", "1.2亿"; else None."""
    if s is None:
        return None
    t = fold(s.strip()).replace(" ", "")
    if not t:
        return None
    mult = 1
    if t[-1] in "万亿" and len(t) > 1 and (t[-2].isdigit()):
        mult = 10_000 if t[-1] == "万" else 100_000_000
        t = t[:-1]
    m = _ARABIC.match(t)
    if m:
        return float(t.replace(",", "")) * mult
    if not all(ch in CN_DIGITS for ch in t):
        return None
    if t in ("零", "〇"):
        return 0.0
    try:
        value = cn2an.cn2an(t, "smart")
    except (ValueError, KeyError, TypeError):
        # Digit-by-digit form such as 二〇二〇 (cn2an's "normal" mode rejects it).
        if all(ch in "零〇一二三四五六七八九" for ch in t):
            return float("".join(str("零一二三四五六七八九".index(ch) if ch != "〇" else 0) for ch in t))
        return None
    return float(value) * mult
