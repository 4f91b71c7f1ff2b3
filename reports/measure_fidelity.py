"""Fidelity of the parser and the metadata on real report pages (``fixtures/real_dev/``).

    python -m reports.measure_fidelity [-v] [--timing]

Runs the pure pipeline of an import (``reports.pipeline.read_report``: ingest → parse_report →
extract_metadata, the same code ``reports.services.draft_from_text`` calls; no database) on the
80 hand-coded page beginnings of ``fixtures/real_dev`` and compares every field with
``index.tsv``: a table of accuracy per field, with ``-v`` every mismatch, with ``--timing`` the
parser's speed on these pages and on the 177 corpus files.

How each field is judged (``fixtures/real_dev/README.md`` defines the columns):

- title: the printed title, spaces folded to one; a row without a printed title wants a
  generated title (or none), never a line of the page taken for the title.
- kind: every report of the set is a 法治政府建设 report or its 依法行政 predecessor → "fazhi".
- province, city, county, town: the region names. Where the note says the text alone does not
  determine the place ("NOT determinable from text"), leaving a part empty is right too; a
  wrong name is still wrong.
- jurisdiction: all four parts right; rows whose place the text does not determine are left out.
- department: the department's short name for department reports, empty otherwise.
- year, published (ISO date or empty), script.
- level1_headings: the headings of the level-1 sections, compared without spaces and punctuation.
- no_chrome_left: no stored paragraph comes from the page before the report starts (the title,
  or for untitled pages the addressee line or first prose paragraph) and none looks like page
  furniture (metadata labels, date-time stamps, breadcrumbs, share/print/QR widgets).
- no_text_lost: every line of the report from its start to the end of the excerpt (chrome and
  copies of the title aside) is found in the stored sections.
"""

from __future__ import annotations

import argparse
import csv
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from reports.gazetteer import to_simplified
from reports.ingest import ingest_bytes
from reports.parsing import ParsedReport, parse_report
from reports.pipeline import read_report

DEV_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "real_dev"

FIELDS = (
    "title", "kind", "province", "city", "county", "town", "jurisdiction", "department",
    "year", "published", "script", "level1_headings", "no_chrome_left", "no_text_lost",
)
PLACE_FIELDS = ("province", "city", "county", "town")
NOT_DETERMINABLE = "NOT determinable from text"

_NON_WORD_RE = re.compile(r"[\W_]+")
_SPACES_RE = re.compile(r"\s+")

# The measuring instrument's own idea of page furniture, independent of reports/chrome.py:
# a stored paragraph that matches is chrome left in the report.
_FURNITURE_RE = re.compile(
    r"^(?:[•·●▪]\s*)?[\[【(（]?\s*(?:索\s*引\s*号|索\s*引\s*號|发\s*布\s*日\s*期|發\s*布\s*日\s*期|發\s*佈\s*日\s*期|发布时间|發布時間|"
    r"发\s*文\s*日\s*期|發文日期|发布机构|發布機構|發佈機構|发布单位|發布單位|信息来源|信息來源|来源|來源|日期|时间|時間|"
    r"更新时间|浏览次数|瀏覽次數|浏览量|瀏覽量|点击数|點擊數|字号|字號|字體|字体|分享|打印|扫一扫|掃一掃|相关|相關|热门|熱門|联系我们|聯絡我們|上一篇|下一篇|"
    r"责任编辑|責任編輯|栏目|欄目|发文字号|發文字號|成文日期|主题分类|公开方式|有效性)\s*[\]】)）]?\s*[:：]?"
    r"|(?:19|20)\d{2}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}"
    # a line that is only a date stamp: a numeric date, or a written date with its time,
    # and at most a short site or source name beside it
    r"|^(?:[•·●▪]\s*)?(?:(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|(?:19|20)\d{2}年\d{1,2}月\d{1,2}日\s*\d{1,2}(?:[:：]|时|時)\d{2})\S*(?:\s+\S{1,20})?$"
    r"|\d{1,2}\.\d{1,2}\.(?:19|20)\d{2}\s+\d{1,2}:\d{2}"
    r"|(?:您|你)?(?:当前|當前|现在)?(?:所在)?(?:的)?位置\s*[:：]"
    r"|\S\s*(?:>|＞|→|»)\s*\S.*(?:>|＞|→|»)"
    r"|IPv6|二维码|二維碼|无障碍|無障礙|长者模式|网站地图|網站地圖|^Menu$|^×$"
)


def _is_furniture(line: str) -> bool:
    return len(line) <= 160 and _FURNITURE_RE.search(line) is not None


def compact(text: str) -> str:
    """Letters and digits only: spaces and punctuation (half- or full-width) dropped."""
    return _NON_WORD_RE.sub("", text or "")


@dataclass
class Row:
    id: str
    expected: dict[str, str]
    note: str

    @property
    def determinable(self) -> bool:
        return NOT_DETERMINABLE not in self.note


@dataclass
class Outcome:
    row: Row
    actual: dict[str, str]
    ok: dict[str, bool | None]            # None: the field is not judged on this row
    details: dict[str, str] = field(default_factory=dict)


def load_rows() -> list[Row]:
    with (DEV_DIR / "index.tsv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [Row(id=r["id"], expected=r, note=r.get("note", "")) for r in reader]


def _fold(s: str) -> str:
    return _SPACES_RE.sub(" ", (s or "").replace("\u3000", " ")).strip()


def _raw_lines(text: str) -> list[str]:
    return [_fold(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def _report_start(lines: list[str], title: str) -> int:
    """Index of the first line of the report proper in the raw page."""
    if title:
        key = compact(title)
        for i, line in enumerate(lines):
            c = compact(line)
            if len(c) >= 4 and key.startswith(c) and not _is_furniture(line):
                return i
    for i, line in enumerate(lines):
        size = len(compact(line))
        if (size >= 60 or "。" in line and size >= 30) and not _is_furniture(line):
            start = i
            while start > 0 and lines[start - 1].endswith((":", "：")) and len(lines[start - 1]) <= 40:
                start -= 1
            return start
    return 0


def _stored_paragraphs(parsed: ParsedReport) -> list[str]:
    out: list[str] = []
    for section in parsed.walk():
        if section.heading:
            out.append(section.heading)
        out.extend(p for p in section.text.split("\n") if p.strip())
    return out


def _chrome_left(raw: list[str], start: int, title: str, parsed: ParsedReport) -> list[str]:
    title_key = compact(title)
    before = {compact(line) for line in raw[:start] if compact(line)}
    before = {c for c in before if not (title_key and c in title_key)}
    left = []
    for para in _stored_paragraphs(parsed):
        c = compact(para)
        if (c and c in before) or _is_furniture(para):
            left.append(para)
    return left


def _text_lost(raw: list[str], start: int, titles: list[str], parsed: ParsedReport) -> list[str]:
    stored = compact("".join(s.number + s.heading + s.text for s in parsed.walk()))
    title_keys = [compact(t) for t in titles if t]
    lost = []
    for line in raw[start:]:
        c = compact(line)
        if len(c) < 2 or _is_furniture(line):
            continue
        if any(c in key for key in title_keys):
            continue
        if c not in stored:
            lost.append(line)
    return lost


def _headings(parsed: ParsedReport) -> list[str]:
    return [s.heading for s in parsed.sections if s.level == 1 and s.heading and s.path != "0"]


def judge(row: Row, data: bytes | None = None) -> Outcome:
    path = DEV_DIR / f"{row.id}.txt"
    data = path.read_bytes() if data is None else data
    ingested = ingest_bytes(data, filename=path.name)
    result = read_report(ingested=ingested, filename=path.name)
    parsed, meta = result.parsed, result.metadata
    exp = row.expected
    names = meta.jurisdiction.names() if meta.jurisdiction is not None else dict.fromkeys(PLACE_FIELDS, "")
    actual = {
        "title": "" if meta.title_generated else _fold(meta.title),
        "kind": meta.kind,
        **names,
        "department": getattr(meta, "department", "") or "",
        "year": str(meta.year or ""),
        "published": meta.published.isoformat() if meta.published else "",
        "script": meta.script,
        "level1_headings": "|".join(_headings(parsed)),
    }
    ok: dict[str, bool | None] = {}
    details: dict[str, str] = {}
    ok["title"] = _fold(exp["title"]) == actual["title"]
    ok["kind"] = actual["kind"] == "fazhi"
    for part in PLACE_FIELDS:
        right = to_simplified(exp[part]) == actual[part]
        ok[part] = right or (not row.determinable and actual[part] == "")
    ok["jurisdiction"] = all(ok[p] for p in PLACE_FIELDS) if row.determinable else None
    ok["department"] = exp["department"] == actual["department"]
    for name in ("year", "published", "script"):
        ok[name] = exp[name] == actual[name]
    want = [compact(h) for h in exp["level1_headings"].split("|") if h]
    got = [compact(h) for h in _headings(parsed)]
    ok["level1_headings"] = want == got
    raw = _raw_lines(ingested.text)
    start = _report_start(raw, exp["title"])
    chrome = _chrome_left(raw, start, exp["title"], parsed)
    ok["no_chrome_left"] = not chrome
    actual["no_chrome_left"] = " ‖ ".join(c[:60] for c in chrome[:4])
    lost = _text_lost(raw, start, [exp["title"], parsed.title or "", meta.title], parsed)
    ok["no_text_lost"] = not lost
    actual["no_text_lost"] = " ‖ ".join(c[:60] for c in lost[:4])
    details["warnings"] = "；".join(result.warnings)
    return Outcome(row=row, actual=actual, ok=ok, details=details)


@lru_cache(maxsize=1)
def judge_all() -> tuple[Outcome, ...]:
    return tuple(judge(row) for row in load_rows())


def accuracy(outcomes: tuple[Outcome, ...] | list[Outcome]) -> dict[str, tuple[int, int]]:
    """field → (right, judged)."""
    table: dict[str, tuple[int, int]] = {}
    for name in FIELDS:
        judged = [o.ok[name] for o in outcomes if o.ok.get(name) is not None]
        table[name] = (sum(1 for v in judged if v), len(judged))
    return table


def _timing() -> None:
    from reports.sample_corpus import corpus_files

    for label, paths in (("real_dev", sorted(DEV_DIR.glob("*.txt"))), ("corpus", corpus_files())):
        texts = [ingest_bytes(p.read_bytes(), filename=p.name).text for p in paths]
        for text in texts:          # warm up regex caches
            parse_report(text)
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            for text in texts:
                parse_report(text)
            best = min(best, time.perf_counter() - t0)
        chars = sum(len(t) for t in texts)
        print(f"parse_report on {label}: {len(texts)} texts, {chars / len(texts) / 1000:.1f} k chars avg, "
              f"{best / len(texts) * 1000:.2f} ms per report (best of 5)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="print every mismatch")
    parser.add_argument("--timing", action="store_true", help="also time parse_report")
    args = parser.parse_args(argv)
    outcomes = judge_all()
    if args.verbose:
        for name in FIELDS:
            for o in outcomes:
                if o.ok.get(name) is False:
                    exp = o.row.expected.get(name, "") if name not in ("kind", "jurisdiction") else (
                        "fazhi" if name == "kind" else "/".join(o.row.expected[p] for p in PLACE_FIELDS))
                    got = o.actual.get(name, "") if name != "jurisdiction" else "/".join(
                        o.actual[p] for p in PLACE_FIELDS)
                    if name in ("no_chrome_left", "no_text_lost"):
                        exp = ""
                    print(f"{name:16} {o.row.id:32} expected {exp!r}\n{'':16} {'':32} got      {got!r}")
        print()
    print(f"{'field':16} {'right':>5} / {'rows':<4} accuracy")
    for name, (right, judged) in accuracy(outcomes).items():
        share = right / judged * 100 if judged else 0.0
        print(f"{name:16} {right:5} / {judged:<4} {share:5.1f} %")
    if args.timing:
        print()
        _timing()


if __name__ == "__main__":
    main()
