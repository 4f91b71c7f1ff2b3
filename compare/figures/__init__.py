"""Figures stated in reports (pure: no Django, no I/O).

* ``keys``     which figures, their labels (the phrasings reports use), units and groups
* ``numbers``  Arabic and Chinese numerals, 万/亿
* ``rules``    the wording that binds a number to a figure
* ``extract``  one pass over a text: figures with sentence and offsets
* ``rates``    rates computed from their parts, checked against the stated ones
"""

from compare.figures.extract import Indicator, extract_indicators
from compare.figures.keys import INDICATOR_GROUPS, INDICATOR_KEYS, INDICATOR_UNITS, RATE_KEYS
from compare.figures.numbers import parse_chinese_number
from compare.figures.rates import DerivedRate, derive_rates

__all__ = [
    "DerivedRate",
    "Indicator",
    "INDICATOR_GROUPS",
    "INDICATOR_KEYS",
    "INDICATOR_UNITS",
    "RATE_KEYS",
    "derive_rates",
    "extract_indicators",
    "parse_chinese_number",
]
