"""Bulk updates merge the small segments that repeated bulk runs leave behind."""

from __future__ import annotations

import pytest

from search import service
from search.backends import REPORT_INDEX, get_backend
from search.segment_writing import small_segments

pytestmark = pytest.mark.django_db


def run(q):
    return service.search(service.SearchParams(q=q))


class _Seg:
    def __init__(self, n):
        self.n = n

    def doc_count(self):
        return self.n


def test_small_segments_policy():
    big, a, b, mid = _Seg(100), _Seg(3), _Seg(20), _Seg(60)
    assert small_segments([big, a, mid, b]) == [a, b]
    assert small_segments([big, a, mid]) == []  # one small segment: nothing to merge it with
    assert small_segments([big, _Seg(90), _Seg(80)]) == []  # what one bulk run writes
    assert small_segments([a]) == []


def test_repeated_bulk_updates_merge_small_segments(search_index, make_report, monkeypatch):
    import search.backends as backends
    from search.search_indexes import ReportIndex

    monkeypatch.setattr(backends, "BULK_MIN_DOCS", 2)
    backend = get_backend()
    backend.procs = 1

    def update(reports):
        pks = [r.pk for r in reports]
        backend.update(ReportIndex(), list(ReportIndex().index_queryset().filter(pk__in=pks)))

    def segment_sizes():
        ix = backend.storage.open_index(indexname=REPORT_INDEX)
        return sorted(seg.doc_count() for seg in ix._segments())

    update([make_report(f"大{i}", [("一", f"第{i}号 行政复议")], index=False) for i in range(12)])
    batches = []
    for k in range(3):
        batch = [make_report(f"小{k}{i}", [("一", f"批次{k}号 依法行政")], index=False) for i in range(2)]
        batches.append(batch)
        update(batch)
    # 12 + 2, then 12 + 2 + 2 -> 12 + 4 (merged), then 12 + 4 + 2 (one small one: left alone).
    assert segment_sizes() == [2, 4, 12]
    assert run("行政复议").count == 12
    assert run("依法行政").count == 6
    assert run('"批次1号"').count == 2
    assert run('"第7号"').count == 1

    # Re-indexing a merged report deletes its old copy; the next merge drops it for good.
    update([batches[0][0], *batches[2]])
    assert run("依法行政").count == 6
    assert run('"批次0号"').count == 2
    assert sum(segment_sizes()) == 18
    page = run('"批次0号"')
    sections = [s for hit in page.results for s in hit.sections]
    assert sections and all("<mark>批次0号</mark>" in s.snippet_html for s in sections)
