"""Rates computed from their parts, and checked against the rate the report states.

A rate is computed only from parts stated in the same place (the same section), so two
counts about different years or bodies in different sections are never divided:

* 败诉率 = 败诉案件 / 一审行政诉讼案件 (else 行政诉讼案件)
* 负责人出庭应诉率 = 负责人出庭应诉次数 / 一审行政诉讼案件 (else 行政诉讼案件)
* 直接纠错率 = 纠错案件 / 审结行政复议案件

The first stated figure of each part in a section is used.  A stated rate in the same section
is compared: more than ``TOLERANCE`` percentage points apart is a mismatch (reports round to
whole or one-decimal percents, so 11/27 = 40.74% against a stated 40.7% agrees).  综合纠错率
includes mediated and withdrawn cases, which reports rarely count: it is never computed.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from compare.figures.keys import INDICATOR_KEYS

TOLERANCE = 0.55

_LITIGATION_WHOLE = ("admin_litigation_first_instance", "admin_litigation_cases")

# rate key → (numerator key, denominator keys in order of preference)
FORMULAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "admin_litigation_loss_rate": ("admin_litigation_lost", _LITIGATION_WHOLE),
    "head_appearance_rate": ("head_appearance_count", _LITIGATION_WHOLE),
    "admin_review_direct_correction_rate": ("admin_review_corrected", ("admin_review_concluded",)),
}


@dataclass(frozen=True)
class DerivedRate:
    key: str
    value: float  # percent, rounded to 0.1
    numerator: tuple[str, float]
    denominator: tuple[str, float]
    group: Hashable  # where the parts were stated (a section)
    stated: float | None = None

    @property
    def mismatch(self) -> bool:
        """The report's own rate disagrees with its parts (or a part exceeds its whole)."""
        if self.numerator[1] > self.denominator[1]:
            return True
        return self.stated is not None and abs(self.stated - self.value) > TOLERANCE

    @property
    def formula(self) -> str:
        return f"{_fmt(self.numerator[1])} / {_fmt(self.denominator[1])}"

    @property
    def explained(self) -> str:
        """行政诉讼败诉案件 9 / 行政诉讼（应诉）案件 27"""
        (num_key, num), (den_key, den) = self.numerator, self.denominator
        return f"{INDICATOR_KEYS[num_key]} {_fmt(num)} / {INDICATOR_KEYS[den_key]} {_fmt(den)}"


def _fmt(v: float) -> str:
    return f"{v:.4f}".rstrip("0").rstrip(".")


def derive_rates(figures: Iterable[tuple[str, float, Hashable]]) -> list[DerivedRate]:
    """``figures``: (key, value, group) in document order; one DerivedRate per rate and group
    where the parts are stated."""
    first: dict[tuple[Hashable, str], float] = {}
    groups: list[Hashable] = []
    for key, value, group in figures:
        if group not in groups:
            groups.append(group)
        first.setdefault((group, key), float(value))
    out: list[DerivedRate] = []
    for group in groups:
        for rate_key, (num_key, den_keys) in FORMULAS.items():
            num = first.get((group, num_key))
            den_key = next((k for k in den_keys if first.get((group, k))), None)
            if num is None or den_key is None:
                continue
            den = first[(group, den_key)]
            out.append(DerivedRate(rate_key, round(100 * num / den, 1), (num_key, num), (den_key, den), group,
                                   first.get((group, rate_key))))
    return out
