"""The Whoosh engine: phrase precision, script folding, searcher reuse, locking, facets."""

from __future__ import annotations

import pytest

from search import service
from search.backends import IndexLocked, get_backend, writer_lock

pytestmark = pytest.mark.django_db


def ids(page):
    return sorted(hit.report.pk for hit in page.results)


def run(q="", **kw):
    return service.search(service.SearchParams(q=q, **kw))


def test_phrase_precision(search_index, make_report, regions):
    together = make_report("甲", [("一、应诉", "行政机关负责人出庭应诉率达到百分之百。")])
    apart = make_report("乙", [("一、其他", "出庭工作良好，应诉材料齐全，比率提高。")])
    page = run("出庭应诉率")
    assert ids(page) == [together.pk]
    assert apart.pk not in ids(run('"出庭应诉率"'))


def test_multiword_phrase_consecutive(search_index, make_report):
    hit = make_report("甲", [("一、复议", "全面推进行政复议体制改革。")])
    make_report("乙", [("一、复议", "行政管理改革，复议案件体制")])
    assert ids(run('"行政复议体制改革"')) == [hit.pk]


def test_script_blind_both_ways(search_index, make_report):
    trad = make_report("廣州市報告", [("一、概況", "廣州市推進法治政府建設。")])
    simp = make_report("广州市报告", [("一、概况", "广州市推进法治政府建设。")])
    assert ids(run("广州")) == sorted([trad.pk, simp.pk])
    assert ids(run("廣州")) == sorted([trad.pk, simp.pk])
    assert ids(run("法治政府建設")) == sorted([trad.pk, simp.pk])


def test_and_or_not(search_index, make_report):
    a = make_report("甲", [("一", "行政复议工作"), ("二", "执法监督")])
    b = make_report("乙", [("一", "行政复议工作")])
    c = make_report("丙", [("一", "执法监督")])
    assert ids(run("行政复议 执法监督")) == [a.pk]  # words in different sections still AND
    assert ids(run("行政复议 OR 执法监督")) == sorted([a.pk, b.pk, c.pk])
    assert ids(run("行政复议 -执法监督")) == [b.pk]
    assert ids(run("行政复议 NOT 执法监督")) == [b.pk]


def test_sections_and_snippets(search_index, make_report):
    r = make_report("某市报告", [("一、概述", "总体情况良好。"), ("二、复议", "行政复议案件办理及时。")])
    page = run("行政复议")
    assert page.count == 1
    hit = page.results[0]
    assert [s.path for s in hit.sections] == ["2"]
    assert "<mark>行政复议</mark>" in hit.sections[0].snippet_html
    assert hit.sections[0].url.endswith(f"/reports/{r.pk}/s/2/")


def test_searcher_reused_until_index_changes(search_index, make_report):
    make_report("甲", [("一", "法治政府")])
    backend = get_backend()
    s1 = backend.searcher()
    assert backend.searcher() is s1
    make_report("乙", [("一", "法治政府")])
    s2 = backend.searcher()
    assert s2 is not s1
    assert run("法治政府").count == 2


def test_write_waits_for_lock_and_raises_when_busy(search_index, make_report, monkeypatch):
    import threading

    import search.backends as backends

    r = make_report("甲", [("一", "法治政府")], index=False)
    from search.search_indexes import ReportIndex

    backend = get_backend()
    monkeypatch.setattr(backends, "WRITE_LOCK_TIMEOUT", 0.3)
    released = threading.Event()

    def hold():
        with writer_lock(backend.path):
            released.wait(5)

    t = threading.Thread(target=hold)
    t.start()
    try:
        import time

        time.sleep(0.1)
        with pytest.raises(IndexLocked):
            with writer_lock(backend.path, timeout=0.3):
                pass
        with writer_lock(backend.path, blocking=False) as got:
            assert got is False
    finally:
        released.set()
        t.join()
    backend.update(ReportIndex(), [r])
    assert run("法治政府").count == 1


def test_remove_raises_instead_of_swallowing(search_index, make_report, monkeypatch):
    r = make_report("甲", [("一", "法治政府")])
    backend = get_backend()

    def boom(*a, **k):
        raise IndexLocked("busy")

    monkeypatch.setattr(type(backend), "_writer", boom)
    with pytest.raises(IndexLocked):
        backend.remove(r)


@pytest.mark.parametrize(
    "procs, max_postings",
    [(2, 10_000_000), (1, 10_000_000), (2, 5)],
    ids=["two-workers", "in-process", "several-segments-per-worker"],
)
def test_bulk_update(search_index, make_report, monkeypatch, procs, max_postings):
    import search.backends as backends
    from search.search_indexes import ReportIndex

    monkeypatch.setattr(backends, "BULK_MIN_DOCS", 2)
    monkeypatch.setattr(backends, "MAX_SEGMENT_POSTINGS", max_postings)
    reports = [make_report(f"报告{i}", [("一", f"第{i}号 行政复议")], index=False) for i in range(6)]
    backend = get_backend()
    backend.procs = procs
    backend.update(ReportIndex(), list(ReportIndex().index_queryset().filter(pk__in=[r.pk for r in reports])))
    assert run("行政复议").count == 6
    assert run('"第3号"').count == 1

    def segment_count():
        return len(backend.storage.open_index(indexname=backends.REPORT_INDEX)._segments())

    first_count = segment_count()
    assert first_count >= (6 if max_postings == 5 else procs)
    # Updating again replaces, never duplicates, and drops the segments it wholly replaced.
    backend.update(ReportIndex(), list(ReportIndex().index_queryset().filter(pk__in=[r.pk for r in reports])))
    assert run("行政复议").count == 6
    assert run('"第3号"').count == 1
    assert segment_count() == first_count
    # Re-indexing half of them keeps the segments still holding the other half.
    backend.update(ReportIndex(), list(ReportIndex().index_queryset().filter(pk__in=[r.pk for r in reports[:3]])))
    assert run("行政复议").count == 6
    if max_postings == 5:  # one report per segment: three replaced by three
        assert segment_count() == first_count
    else:  # every old segment keeps a report; each worker adds one
        assert segment_count() == first_count + procs


def _resident_bytes() -> int:
    import os

    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_opening_the_index_does_not_copy_it_into_memory(search_index, make_report):
    from pathlib import Path

    import search.backends as backends
    from search.analysis import fold
    from search.search_indexes import ReportIndex

    seeds = [p.read_text("utf-8") for p in sorted((Path(__file__).parents[2] / "fixtures" / "seeds").glob("*.txt"))]
    reports = [make_report(f"报告{i}", [("一", seeds[i % len(seeds)])], index=False) for i in range(100)]
    backend = get_backend()
    backend.update(ReportIndex(), list(ReportIndex().index_queryset().filter(pk__in=[r.pk for r in reports])))
    index_bytes = sum(f.stat().st_size for f in Path(backend.path).iterdir() if f.is_file())
    assert index_bytes > 5_000_000

    before = _resident_bytes()
    searcher = backend.storage.open_index(indexname=backends.REPORT_INDEX).searcher()
    grown = _resident_bytes() - before
    try:
        # Whoosh's mmap path copies each compound segment's files into memory (~all of it).
        assert grown < index_bytes / 4, (grown, index_bytes)
        expected = sum("行政复议" in fold(seeds[i % len(seeds)]) for i in range(100))
        assert expected and run("行政复议").count == expected
    finally:
        searcher.close()
