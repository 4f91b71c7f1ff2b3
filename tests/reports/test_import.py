"""The import service and the import_reports command: encodings, duplicates, exit codes."""

import json
import shutil

import pytest
from django.core.management import call_command

from reports.models import Report, Section
from reports.services import ImportRefused, report_draft, report_import

from .conftest import SEED_FILES

pytestmark = pytest.mark.django_db

TRADITIONAL_SEED = next(p for p in SEED_FILES if p.name.startswith("001"))
SIMPLIFIED_SEED = next(p for p in SEED_FILES if p.name.startswith("004"))


def run_import(*args):
    """Run the command; return (exit status, stdout)."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("import_reports", *args, "--no-progress", stdout=out)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue()


def test_import_creates_report_with_sections_and_original(seed_reports):
    report = seed_reports["004"]
    assert report.sections.count() > 10
    assert report.original_file.name.endswith(".txt")
    with report.original_file.open("rb") as stored:
        assert stored.read() == SIMPLIFIED_SEED.read_bytes()
    assert len(report.file_checksum) == 64
    # Parents are saved before children and paths are unique and ordered.
    sections = list(report.sections.order_by("order"))
    seen = set()
    for section in sections:
        if section.parent_id:
            assert section.parent_id in seen
        seen.add(section.pk)
    assert len({s.path for s in sections}) == len(sections)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "big5"])
def test_same_report_in_each_encoding_imports_to_the_same_text(tmp_path, encoding):
    text = TRADITIONAL_SEED.read_text(encoding="utf-8")
    path = tmp_path / f"report-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    status, out = run_import(str(path))
    assert status == 0, out
    report = Report.objects.get()
    assert report.original_text.replace("\r\n", "\n").strip() == text.replace("\r\n", "\n").strip()
    assert report.script == "traditional"


def test_simplified_report_in_gb18030_and_utf8_is_one_report(tmp_path):
    text = SIMPLIFIED_SEED.read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "b.txt").write_bytes(text.encode("gb18030"))
    status, out = run_import(str(tmp_path))
    assert status == 0
    assert Report.objects.count() == 1
    assert "重复" in out


def test_duplicate_is_reported_not_stored_twice(seed_reports):
    data = SIMPLIFIED_SEED.read_bytes()
    sections_before = Section.objects.count()
    with pytest.raises(ImportRefused) as refused:
        report_import(draft=report_draft(data=data, filename="again.txt"), data=data)
    assert refused.value.code == "duplicate"
    assert refused.value.existing == seed_reports["004"]
    assert Report.objects.count() == 5
    assert Section.objects.count() == sections_before


def test_command_exit_codes_and_json_summary(tmp_path):
    good = tmp_path / "good.txt"
    shutil.copy(SIMPLIFIED_SEED, good)
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    status, out = run_import(str(good), "--json")
    assert status == 0
    summary = json.loads(out)
    assert summary["created"] == 1 and summary["error"] == 0
    assert summary["files"][0]["status"] == "created"

    # A second run: the duplicate is reported, the empty file fails, the batch goes on.
    status, out = run_import(str(bad), str(good), "--json")
    assert status == 1
    summary = json.loads(out)
    assert [f["status"] for f in summary["files"]] == ["error", "duplicate"]
    assert summary["files"][0]["message"]
    assert Report.objects.count() == 1


def test_command_reports_one_line_per_file(tmp_path):
    shutil.copy(SIMPLIFIED_SEED, tmp_path / "one.txt")
    (tmp_path / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    status, out = run_import(str(tmp_path))
    assert status == 1
    lines = [line for line in out.splitlines() if "\t" in line]
    assert len(lines) == 2
    assert any(line.startswith("新增") and "one.txt" in line for line in lines)
    assert any(line.startswith("失败") and "broken.txt" in line for line in lines)


def test_missing_path_fails(tmp_path):
    status, out = run_import(str(tmp_path / "nope.txt"))
    assert status == 1
    assert "不存在" in out


def test_batch_overrides(tmp_path):
    shutil.copy(SIMPLIFIED_SEED, tmp_path / "one.txt")
    status, _ = run_import(str(tmp_path), "--year", "2020", "--kind", "other", "--region", "江苏省>苏州市")
    assert status == 0
    report = Report.objects.get()
    assert report.year == 2020 and report.kind == "other"
    assert report.region.full_name == "江苏省苏州市"
    assert set(report.locked_fields) >= {"year", "kind", "region"}


def test_failed_import_leaves_nothing(tmp_path, monkeypatch):
    """A failure after the report row exists rolls everything back, files included."""
    import reports.services as services

    data = SIMPLIFIED_SEED.read_bytes()
    draft = report_draft(data=data, filename="x.txt")

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_store_original", explode)
    with pytest.raises(RuntimeError):
        report_import(draft=draft, data=data)
    assert Report.objects.count() == 0
    assert Section.objects.count() == 0


def test_replace_text_keeps_admin_metadata_and_topic_overrides(seed_reports):
    from reports.services import report_replace_text, report_update_metadata, section_set_topic

    report = seed_reports["004"]
    report_update_metadata(report=report, changes={"year": 2019})
    first = report.sections.exclude(path="0").order_by("order").first()
    section_set_topic(section=first, topic="other")
    report_replace_text(report=report, text=report.original_text + "\n\n附：本报告自发布之日起公开。")
    report.refresh_from_db()
    assert report.year == 2019
    assert "附：本报告" in report.original_text
    assert report.sections.get(path=first.path).topic == "other"
    assert report.sections.get(path=first.path).topic_overridden
