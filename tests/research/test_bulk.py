"""Bulk data: dump_reports / load_reports round trip, and the download."""

from __future__ import annotations

import gzip
import json

import pytest
from django.core.management import CommandError, call_command

from research.bulk import FORMAT


@pytest.fixture
def seeds(fresh_seeds):
    """These tests wipe, load and change reports and need the index to follow each commit:
    each imports its own seeds (tests/research/conftest.py), not the module's shared ones."""
    return fresh_seeds


def _snapshot():
    from reports.models import Report

    out = {}
    for r in Report.objects.with_region().prefetch_related("sections"):
        out[r.checksum] = {
            "title": r.title,
            "title_generated": r.title_generated,
            "year": r.year,
            "kind": r.kind,
            "published": r.published,
            "script": r.script,
            "source_url": r.source_url,
            "region": [(x.name, x.level, x.code) for x in r.region.ancestors()] if r.region_id else [],
            "file_checksum": r.file_checksum,
            "locked_fields": r.locked_fields,
            "created_at": r.created_at,
            "sections": [
                (s.path, s.level, s.number, s.heading, s.text, s.topic, s.topic_overridden)
                for s in r.sections.order_by("order")
            ],
            "parents": [
                (s.path, s.parent.path if s.parent_id else None) for s in r.sections.order_by("order")
            ],
        }
    return out


def _wipe():
    from reports.models import Region, Report

    Report.objects.all().delete()
    while Region.objects.exists():  # leaves first (PROTECT on parent)
        Region.objects.filter(children__isnull=True).delete()


def test_dump_load_round_trip_into_an_empty_database(seeds, tmp_path):
    from reports.models import Report
    from reports.services import report_update_metadata, section_set_topic

    # Hand-set metadata and a topic override must survive too.
    report_update_metadata(
        report=seeds["003"], changes={"title": "平顶山市城乡一体化示范区2019年法治政府建设报告"}
    )
    from compare.topics import TOPIC_BY_KEY

    section = seeds["001"].sections.get(path="2")
    section_set_topic(section=section, topic=next(k for k in TOPIC_BY_KEY if k != section.topic))
    before = _snapshot()
    assert len(before) == 5

    dump = tmp_path / "archive.jsonl.gz"
    call_command("dump_reports", str(dump))
    lines = gzip.open(dump, "rt", encoding="utf-8").read().splitlines()
    assert len(lines) == 5
    first = json.loads(lines[0])
    assert first["format"] == FORMAT and first["sections"] and first["region"][0]["level"] == 1

    _wipe()
    assert Report.objects.count() == 0
    call_command("load_reports", str(dump))
    after = _snapshot()
    assert after == before

    # Loading again into a non-empty database: every report skipped, no failure.
    call_command("load_reports", str(dump))
    assert Report.objects.count() == 5


def test_loaded_reports_are_searchable(client, seeds, tmp_path):
    dump = tmp_path / "a.jsonl.gz"
    call_command("dump_reports", str(dump))
    _wipe()
    call_command("load_reports", str(dump))
    from search.indexing import drain

    drain()
    data = client.get("/api/search/", {"q": "行政复议"}).json()
    assert data["count"] == 4


def test_load_reports_reports_bad_lines_and_fails(seeds, tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    good = json.dumps({"format": FORMAT, "title": "空", "original_text": ""}, ensure_ascii=False)
    path.write_text("not json\n" + json.dumps({"format": "other"}) + "\n" + good + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="failed 3"):
        call_command("load_reports", str(path))


def test_dump_with_originals(seeds, tmp_path):
    import base64

    dump = tmp_path / "o.jsonl.gz"
    call_command("dump_reports", str(dump), "--originals")
    record = json.loads(gzip.open(dump, "rt", encoding="utf-8").readline())
    from reports.models import Report

    report = Report.objects.get(pk=record["id"])
    assert base64.b64decode(record["original_file_base64"]) == report.original_file.open("rb").read()


def test_download_is_streamed_and_cached(client, seeds, settings):
    from pathlib import Path

    response = client.get("/data/reports.jsonl.gz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    assert response["Content-Disposition"].startswith('attachment; filename="fazhi-reports-')
    body = b"".join(response.streaming_content)
    records = [json.loads(x) for x in gzip.decompress(body).decode("utf-8").splitlines()]
    assert sorted(r["id"] for r in records) == sorted(r.pk for r in seeds.values())
    cached = list((Path(settings.ARCHIVE_DATA_DIR) / "exports").glob("reports-*.jsonl.gz"))
    assert len(cached) == 1
    # A change to the archive makes a new file (and removes the old one).
    from reports.services import report_update_metadata

    report_update_metadata(report=seeds["000"], changes={"year": 2021})
    b"".join(client.get("/data/reports.jsonl.gz").streaming_content)
    now = list((Path(settings.ARCHIVE_DATA_DIR) / "exports").glob("reports-*.jsonl.gz"))
    assert len(now) == 1 and now != cached
