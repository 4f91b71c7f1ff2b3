"""Fixtures for the search engine tests: a small region tree, reports made with the ORM,
and a fresh index directory per test (``isolated_search_index`` from tests/conftest.py)."""

from __future__ import annotations

import itertools

import pytest

_counter = itertools.count(1)


@pytest.fixture
def search_index(isolated_search_index):
    """A fresh, empty index for this test; the process-wide searcher cache is reset."""
    from search.backends import reset_searchers

    reset_searchers()
    yield isolated_search_index
    reset_searchers()


@pytest.fixture
def regions(db):
    """江苏省 > 苏州市 > 苏州工业园区 > 娄葑街道; 江苏省 > 南京市; 广东省 > 广州市 > 天河区."""
    from reports.models import Region, RegionLevel

    def mk(name, level, parent=None):
        return Region.objects.create(name=name, level=level, parent=parent)

    js = mk("江苏省", RegionLevel.PROVINCE)
    sz = mk("苏州市", RegionLevel.CITY, js)
    sip = mk("苏州工业园区", RegionLevel.COUNTY, sz)
    lf = mk("娄葑街道", RegionLevel.TOWN, sip)
    nj = mk("南京市", RegionLevel.CITY, js)
    gd = mk("广东省", RegionLevel.PROVINCE)
    gz = mk("广州市", RegionLevel.CITY, gd)
    th = mk("天河区", RegionLevel.COUNTY, gz)
    for r in (js, sz, sip, lf, nj, gd, gz, th):
        r.refresh_from_db()
    return {r.name: r for r in (js, sz, sip, lf, nj, gd, gz, th)}


@pytest.fixture
def make_report(db, django_capture_on_commit_callbacks):
    """make_report(title, sections=[(heading, text), ...], region=..., year=..., kind=...).

    Saved in one transaction whose on-commit callbacks run, as in production: the report
    is in the index when this returns.
    """
    from django.db import transaction

    from reports.models import Report, ReportKind, Section

    def make(title, sections=(), *, region=None, year=2021, kind=ReportKind.RULE_OF_LAW, index=True):
        n = next(_counter)
        body = "\n".join(f"{h}\n{t}" for h, t in sections)

        def create():
            with transaction.atomic():
                report = Report.objects.create(
                    title=title, region=region, year=year, kind=kind,
                    original_text=f"{title}\n{body}", checksum=f"test-{n:059d}",
                )
                for i, (heading, text) in enumerate(sections, start=1):
                    Section.objects.create(
                        report=report, level=1, number=f"{i}、", path=str(i), heading=heading,
                        text=text, order=i,
                    )
            return report

        if index:
            with django_capture_on_commit_callbacks(execute=True):
                return create()
        return create()

    return make
