"""Timeliness (research/timeliness.py) against the 1 April deadline, with real_dev dates."""

from __future__ import annotations

from datetime import date

import pytest

from research.timeliness import assess, deadline_for


def test_deadline_is_first_of_april_of_the_next_year():
    assert deadline_for(2022) == date(2023, 4, 1)


@pytest.mark.parametrize(
    "report, year, published, status, days",
    [
        # Publication dates from the real_dev index (hand-coded from the pages).
        ("d009 广东省 2020", 2020, date(2021, 3, 31), "on_time", 0),
        ("d021 海淀区 2022", 2022, date(2023, 3, 31), "on_time", 0),
        ("d073 小龍門鄉 2024 (traditional)", 2024, date(2025, 4, 11), "late", 11),
        ("d050 河北省 2020", 2020, date(2021, 4, 12), "late", 12),
        ("d040 吉林市 2021", 2021, date(2022, 5, 12), "late", 42),
        ("d048 安徽省 2021", 2021, date(2022, 10, 21), "late", 204),
        ("d004 下蜀镇 2025 (untitled; before the year ended)", 2025, date(2025, 12, 20), "on_time", 0),
    ],
)
def test_real_dev_publication_dates(report, year, published, status, days):
    result = assess(year=year, published=published, first_seen=date(2026, 12, 1))
    assert (result.status, result.days_late, result.source) == (status, days, "published"), report


def test_first_of_april_itself_is_one_day_late():
    result = assess(year=2020, published=date(2021, 4, 1), first_seen=None)
    assert result.status == "late" and result.days_late == 1


def test_first_seen_date_stands_in_and_says_so():
    result = assess(year=2022, published=None, first_seen=date(2026, 11, 30))
    assert result.status == "late" and result.source == "first_seen"
    assert "首次收录" in result.label


def test_unknown_without_year_or_date():
    assert assess(year=None, published=date(2021, 1, 1), first_seen=None).status == "unknown"
    assert assess(year=2020, published=None, first_seen=None).status == "unknown"


def test_ledger_page_filters_by_verdict(client, shared_seed_reports):
    from research.instruments import report_timeliness

    report = shared_seed_reports["004"]  # 港口镇 2021 (page: 发布日期:2022-02-14)
    verdict = report_timeliness(report)
    url = report.get_absolute_url()
    assert f'href="{url}"' in client.get("/timeliness/").content.decode()
    assert f'href="{url}"' in client.get(f"/timeliness/?status={verdict.status}").content.decode()
    other = "late" if verdict.status != "late" else "on_time"
    assert f'href="{url}"' not in client.get(f"/timeliness/?status={other}").content.decode()


def test_export_rows_carry_timeliness(shared_seed_reports):
    from research.export import FIELDS, report_columns

    assert FIELDS[-2:] == ["timeliness", "days_late"]
    columns = report_columns(shared_seed_reports["004"], lambda p: p)
    assert columns["timeliness"] in {"on_time", "late", "unknown"}
