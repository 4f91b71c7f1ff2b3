"""Compatibility name: the figure extractor lives in the package compare/figures/."""

from compare.figures import (  # noqa: F401
    INDICATOR_GROUPS,
    INDICATOR_KEYS,
    INDICATOR_UNITS,
    RATE_KEYS,
    Indicator,
    derive_rates,
    extract_indicators,
    parse_chinese_number,
)

__all__ = ["Indicator", "INDICATOR_KEYS", "INDICATOR_UNITS", "INDICATOR_GROUPS", "RATE_KEYS", "derive_rates",
           "extract_indicators", "parse_chinese_number"]
