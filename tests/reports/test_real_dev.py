"""Every field of every row of the real development set (fixtures/real_dev/index.tsv).

One test per (row, field), judged by `reports.measure_fidelity` (its docstring says how each
field is judged; rows whose place the text alone does not determine accept an empty part
there, and are not judged on the full jurisdiction).  What still fails is listed in
KNOWN_FAILURES with what comes out today: those cases are strict xfails, so a fix makes them
pass, fails the test, and forces the entry out of the list.  ACCURACY_FLOOR holds the share
reached per field; it may only go up.
"""

import pytest

from reports.measure_fidelity import FIELDS, accuracy, judge_all, load_rows

KNOWN_FAILURES: dict[str, dict[str, str]] = {
    "province": {
        "d008_guangdong_2019_trad": "got ''",
        "d032_qianhai_2023": "got ''",
    },
    "city": {
        "d032_qianhai_2023": "got ''",
    },
    "county": {
        "d032_qianhai_2023": "got ''",
    },
    "jurisdiction": {
        "d008_guangdong_2019_trad": "got 'None'",
        "d032_qianhai_2023": "got 'None'",
    },
    "year": {
        "d024_xicheng_2022": "got ''",
    },
}

ACCURACY_FLOOR: dict[str, float] = {
    "title": 1.0000,
    "kind": 1.0000,
    "province": 0.9750,
    "city": 0.9875,
    "county": 0.9875,
    "town": 1.0000,
    "jurisdiction": 0.9733,
    "department": 1.0000,
    "year": 0.9875,
    "published": 1.0000,
    "script": 1.0000,
    "level1_headings": 1.0000,
    "no_chrome_left": 1.0000,
    "no_text_lost": 1.0000,
}


def _cases():
    for row in load_rows():
        for name in FIELDS:
            reason = KNOWN_FAILURES.get(name, {}).get(row.id)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(row.id, name, marks=marks, id=f"{row.id}-{name}")


@pytest.fixture(scope="module")
def outcomes():
    return {o.row.id: o for o in judge_all()}


@pytest.mark.parametrize(("row_id", "name"), list(_cases()))
def test_field(outcomes, row_id, name):
    outcome = outcomes[row_id]
    if outcome.ok[name] is None:
        pytest.skip("the text alone does not determine the place (see the row's note)")
    assert outcome.ok[name], f"{name}: expected {outcome.row.expected.get(name, '')!r}, got {outcome.actual.get(name)!r}"


def test_known_failures_name_real_rows_and_fields():
    ids = {row.id for row in load_rows()}
    for name, rows in KNOWN_FAILURES.items():
        assert name in FIELDS
        assert set(rows) <= ids


def test_accuracy_per_field_does_not_fall(outcomes):
    table = accuracy(list(outcomes.values()))
    for name, floor in ACCURACY_FLOOR.items():
        right, judged = table[name]
        assert right / judged >= floor - 1e-9, f"{name}: {right}/{judged} below {floor:.1%}"
