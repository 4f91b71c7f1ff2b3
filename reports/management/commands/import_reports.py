"""Import report files or web addresses into the archive.

    python manage.py import_reports fixtures/seeds/ more/report.docx --year 2021
    python manage.py import_reports https://www.example.gov.cn/art/2022/3/31/art_1.html

Formats: plain text, .docx, .doc/.wps (LibreOffice), PDF (scanned pages by OCR), images
(OCR), OFD, saved web pages.  A URL is fetched (see reports/ingest/url.py: SSRF rules, size
and time limits); a page that only links to the report's attachment is followed one level
and both responses are kept as WARC records.

Directories are searched recursively for report files.  Each file is reported on its own
line (created / duplicate / error with the reason); one bad file never stops the batch and
never leaves a half-stored report.  Exit status 1 when any file failed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from reports.ingest import IngestError
from reports.ingest.url import fetch_report
from reports.models import Region, ReportKind
from reports.services import ImportRefused, region_from_names, report_draft, report_import

REPORT_SUFFIXES = {
    ".txt", ".text", ".htm", ".html", ".shtml", ".docx", ".pdf", ".doc", ".wps", ".ofd",
    ".png", ".jpg", ".jpeg", ".tif", ".tiff",
}


def is_url(value: str) -> bool:
    return value.strip().lower().startswith(("http://", "https://"))


def collect_files(paths: list[str]) -> list[Path | str]:
    """Explicit files as given; directories searched recursively for report-like files."""
    found: list[Path] = []
    for raw in paths:
        if is_url(raw):
            found.append(raw.strip())
            continue
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES and not p.name.startswith(".")
                )
            )
        else:
            found.append(path)
    return found


class Command(BaseCommand):
    help = (
        "导入报告文件（txt/docx/doc/wps/pdf/ofd/图片/html）或网址，目录会递归查找。"
        "Import report files or URLs; directories are searched recursively."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, directories or http(s) URLs to import.")
        parser.add_argument("--json", action="store_true", help="Print a machine-readable JSON summary.")
        parser.add_argument(
            "--region",
            help="Override the jurisdiction for the whole batch: a region id, or names from the "
            "province down separated by '>' (e.g. '江苏省>苏州市').",
        )
        parser.add_argument("--year", type=int, help="Override the year reported on for the whole batch.")
        parser.add_argument(
            "--kind", choices=[k.value for k in ReportKind], help="Override the report kind for the batch."
        )
        parser.add_argument(
            "--allow-unstructured",
            action="store_true",
            help="Store texts without Chinese or without any body text as single-section reports "
            "(Chinese texts without numbered headings are stored without it).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")

    def handle(self, *args, **options):
        files = collect_files(options["paths"])
        missing = [str(p) for p in files if isinstance(p, Path) and not p.exists()]
        overrides = self._overrides(options)
        results = []
        show_bar = not options["no_progress"] and not options["json"] and sys.stderr.isatty()
        for path in tqdm(files, desc="导入", unit="份", disable=not show_bar, file=sys.stderr):
            result = self._import_one(path, overrides, options["allow_unstructured"])
            results.append(result)
            if not options["json"]:
                self._print_line(result)
        summary = {
            "created": sum(r["status"] == "created" for r in results),
            "duplicate": sum(r["status"] == "duplicate" for r in results),
            "error": sum(r["status"] == "error" for r in results),
            "files": results,
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                f"共 {len(results)} 个文件：新增 {summary['created']}，重复 {summary['duplicate']}，"
                f"失败 {summary['error']}。"
            )
        if summary["error"] or missing:
            sys.exit(1)

    def _overrides(self, options) -> dict:
        overrides: dict = {}
        if options["year"] is not None:
            overrides["year"] = options["year"]
        if options["kind"]:
            overrides["kind"] = options["kind"]
        if options["region"]:
            value = options["region"].strip()
            if value.isdigit():
                try:
                    overrides["region"] = Region.objects.get(pk=int(value))
                except Region.DoesNotExist:
                    raise CommandError(f"没有编号为 {value} 的地区。") from None
            else:
                overrides["region"] = region_from_names([n.strip() for n in value.split(">") if n.strip()])
        return overrides

    def _import_one(self, path: Path | str, overrides: dict, allow_unstructured: bool) -> dict:
        result = {"path": str(path), "status": "error", "report": None, "message": "", "warnings": []}
        try:
            captures = None
            if isinstance(path, str):  # a web address
                fetched = fetch_report(path)
                captures, data, filename = fetched.captures, fetched.report.body, fetched.report.filename
                result["final_url"] = fetched.report.final_url
            else:
                data, filename = path.read_bytes(), path.name
            draft = report_draft(data=data, filename=filename)
            result["warnings"] = draft.warnings
            report = report_import(
                draft=draft, data=data, overrides=overrides, confirm_unstructured=allow_unstructured,
                captures=captures,
            )
        except FileNotFoundError:
            result["message"] = "文件不存在。"
        except IsADirectoryError:
            result["message"] = "这是一个目录。"
        except PermissionError:
            result["message"] = "没有读取权限。"
        except IngestError as exc:
            result["message"] = exc.message
        except ImportRefused as exc:
            if exc.code == "duplicate" and exc.existing is not None:
                result.update(status="duplicate", report=exc.existing.pk, message=exc.messages[0])
            elif exc.code == "unstructured":
                # the service's message names the admin checkbox; here the caller has a flag
                result["message"] = "未识别出中文或正文；如确认导入为单节报告，请加 --allow-unstructured 选项重新导入。"
            else:
                result["message"] = exc.messages[0]
        except ValidationError as exc:
            result["message"] = "；".join(exc.messages)
        else:
            result.update(status="created", report=report.pk, message=report.title)
        return result

    def _print_line(self, result: dict) -> None:
        label = {"created": "新增", "duplicate": "重复", "error": "失败"}[result["status"]]
        line = f"{label}\t{result['path']}\t{result['message']}"
        if result["report"]:
            line += f"\t#{result['report']}"
        style = {"created": self.style.SUCCESS, "duplicate": self.style.WARNING, "error": self.style.ERROR}
        self.stdout.write(style[result["status"]](line))
